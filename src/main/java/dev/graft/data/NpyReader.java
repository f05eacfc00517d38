package dev.graft.data;

import dev.graft.model.HostArray;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

/**
 * Reads NumPy {@code .npy} files (format 1.0, 2.0, 3.0) into a row-major {@link HostArray}.
 *
 * <p>Data is streamed through a small buffer straight into the primitive array, so reading needs
 * the array plus 64 KB, not a second copy of the file. Fortran-ordered files are the exception:
 * they are read, then copied into row-major order.
 */
public final class NpyReader {
    /** The largest Java array the JVM reliably allocates. */
    static final int MAX_VALUES = Integer.MAX_VALUE - 8;
    private static final int CHUNK_BYTES = 1 << 16;

    private NpyReader() {
    }

    public static HostArray read(Path file) {
        String source = FileProblems.name(file);
        try (FileChannel in = FileProblems.openChannel(file)) {
            long size = in.size();
            NpyHeader header = NpyHeader.read(in, source);
            return readData(in, header, source, size - header.dataOffset, "file");
        } catch (IOException e) {
            throw FileProblems.of(file, e);
        }
    }

    /**
     * Reads one array from a stream (an archive entry, standard input). {@code source} names it in
     * messages; the stream is left open.
     */
    public static HostArray read(InputStream in, String source) {
        return read(in, source, -1, "file");
    }

    /**
     * @param totalBytes the stream's length when known (it lets a lying header be refused before
     *     allocating), else -1
     * @param holder what to call the container in a truncation message ("file", "entry")
     */
    static HostArray read(InputStream in, String source, long totalBytes, String holder) {
        try {
            ReadableByteChannel channel = Channels.newChannel(in);
            NpyHeader header = NpyHeader.read(channel, source);
            return readData(channel, header, source, totalBytes < 0 ? -1 : totalBytes - header.dataOffset, holder);
        } catch (IOException e) {
            throw FileProblems.of(source, e);
        }
    }

    private static HostArray readData(ReadableByteChannel in, NpyHeader header, String source, long dataBytes, String holder)
            throws IOException {
        NpyType type = header.type;
        int count = valueCount(header.shape, source);
        if (dataBytes >= 0 && dataBytes / type.itemSize < count) throw truncated(source, count, dataBytes / type.itemSize, holder);

        float[] floats = null;
        double[] doubles = null;
        long[] longs = null;
        if (type.kind == 'f' && type.itemSize <= 4) floats = new float[count];
        else if (type.kind == 'f') doubles = new double[count];
        else longs = new long[count];

        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(type.order);
        int perChunk = CHUNK_BYTES / type.itemSize;
        int done = 0;
        while (done < count) {
            int want = Math.min(count - done, perChunk);
            buf.clear().limit(want * type.itemSize);
            int got = readFully(in, buf) / type.itemSize;
            buf.flip();
            decode(buf, type, got, floats, doubles, longs, done);
            done += got;
            if (got < want) throw truncated(source, count, done, holder);
        }

        if (header.fortranOrder && header.shape.length > 1 && count > 0) {
            FortranOrder order = new FortranOrder(header.shape);
            if (floats != null) floats = order.toRowMajor(floats);
            if (doubles != null) doubles = order.toRowMajor(doubles);
            if (longs != null) longs = order.toRowMajor(longs);
        }
        long[] shape = header.shape;
        if (floats != null) return type.itemSize == 2 ? HostArray.ofHalfs(shape, floats) : HostArray.ofFloats(shape, floats);
        if (doubles != null) return HostArray.ofDoubles(shape, doubles);
        return HostArray.ofLongs(type.heldAs(), shape, longs);
    }

    private static void decode(ByteBuffer buf, NpyType type, int n, float[] floats, double[] doubles, long[] longs, int at) {
        switch (type.kind) {
            case 'f':
                if (type.itemSize == 4) buf.asFloatBuffer().get(floats, at, n);
                else if (type.itemSize == 8) buf.asDoubleBuffer().get(doubles, at, n);
                else for (int i = 0; i < n; i++) floats[at + i] = HalfFloat.toFloat(buf.getShort());
                return;
            case 'b':
                for (int i = 0; i < n; i++) longs[at + i] = buf.get() != 0 ? 1 : 0;
                return;
            case 'u':
                if (type.itemSize == 1) for (int i = 0; i < n; i++) longs[at + i] = buf.get() & 0xffL;
                else if (type.itemSize == 2) for (int i = 0; i < n; i++) longs[at + i] = buf.getShort() & 0xffffL;
                else for (int i = 0; i < n; i++) longs[at + i] = buf.getInt() & 0xffffffffL;
                return;
            default:
                if (type.itemSize == 1) for (int i = 0; i < n; i++) longs[at + i] = buf.get();
                else if (type.itemSize == 2) for (int i = 0; i < n; i++) longs[at + i] = buf.getShort();
                else if (type.itemSize == 4) for (int i = 0; i < n; i++) longs[at + i] = buf.getInt();
                else buf.asLongBuffer().get(longs, at, n);
        }
    }

    /** Number of values the shape holds, refusing shapes no Java array can hold. */
    static int valueCount(long[] shape, String source) {
        BigInteger n = BigInteger.ONE;
        for (long d : shape) n = n.multiply(BigInteger.valueOf(d));
        if (n.compareTo(BigInteger.valueOf(MAX_VALUES)) > 0) {
            throw new DataFileException(source, "shape " + NpyHeader.shapeRepr(shape) + " holds " + n
                    + " values; graft holds at most " + MAX_VALUES + " in one array");
        }
        return n.intValue();
    }

    private static DataFileException truncated(String source, long expected, long held, String holder) {
        return new DataFileException(source, "truncated: header says " + expected + " values, " + holder + " holds " + held);
    }

    /** Reads until the buffer is full or the input ends; returns the bytes read. */
    static int readFully(ReadableByteChannel in, ByteBuffer buf) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = in.read(buf);
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    /**
     * Maps row-major positions to positions in a Fortran-ordered (first axis fastest) buffer of
     * the same shape, walking the destination in order so no index table is needed.
     */
    private static final class FortranOrder {
        private final int[] dims;
        private final int[] strides;

        FortranOrder(long[] shape) {
            dims = new int[shape.length];
            strides = new int[shape.length];
            int stride = 1;
            for (int k = 0; k < shape.length; k++) {
                dims[k] = (int) shape[k];
                strides[k] = stride;
                stride *= dims[k];
            }
        }

        float[] toRowMajor(float[] src) {
            float[] dst = new float[src.length];
            Walk w = new Walk();
            for (int i = 0; i < dst.length; i++) dst[i] = src[w.next()];
            return dst;
        }

        double[] toRowMajor(double[] src) {
            double[] dst = new double[src.length];
            Walk w = new Walk();
            for (int i = 0; i < dst.length; i++) dst[i] = src[w.next()];
            return dst;
        }

        long[] toRowMajor(long[] src) {
            long[] dst = new long[src.length];
            Walk w = new Walk();
            for (int i = 0; i < dst.length; i++) dst[i] = src[w.next()];
            return dst;
        }

        /** An odometer over the row-major index (last axis fastest) tracking the Fortran offset. */
        private final class Walk {
            private final int[] index = new int[dims.length];
            private int offset;
            private boolean started;

            int next() {
                if (!started) {
                    started = true;
                    return 0;
                }
                for (int k = dims.length - 1; k >= 0; k--) {
                    if (++index[k] < dims[k]) {
                        offset += strides[k];
                        return offset;
                    }
                    offset -= strides[k] * (dims[k] - 1);
                    index[k] = 0;
                }
                throw new IllegalStateException("walked past the end");
            }
        }
    }
}
