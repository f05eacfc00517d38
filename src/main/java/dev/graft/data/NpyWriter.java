package dev.graft.data;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a {@link HostArray} as a NumPy {@code .npy} file: little-endian, C order, the array's own
 * dtype, format 1.0 unless the header is too long for it (then 2.0). The header is byte-for-byte
 * what NumPy 1.24's {@code np.save} writes, padding included, so files diff cleanly against it.
 */
public final class NpyWriter {
    private static final int ALIGN = 64;
    /** NumPy leaves room for the first axis to grow to 21 digits so it can append in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int CHUNK_BYTES = 1 << 16;

    private NpyWriter() {
    }

    /** Writes the file through a temporary file renamed into place: never half a file. */
    public static void write(Path file, HostArray array) {
        String source = FileProblems.name(file);
        NpyType type = typeFor(array, source);
        checkRange(array, source);
        AtomicFileWriter.write(file, out -> writeUnchecked(out, array, type));
    }

    /** Writes header and data to a stream, which is left open. */
    public static void write(OutputStream out, HostArray array) throws IOException {
        NpyType type = typeFor(array, "array");
        checkRange(array, "array");
        writeUnchecked(out, array, type);
    }

    /** The complete header (magic to final newline) NumPy writes for an array of this type and shape. */
    static byte[] header(String descr, long[] shape) {
        StringBuilder dict = new StringBuilder()
                .append("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': ")
                .append(NpyHeader.shapeRepr(shape)).append(", }");
        if (shape.length > 0) dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length())));
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int textLength = text.length + 1; // the final newline
        int major = 1;
        int lengthBytes = 2;
        int pad = ALIGN - ((NpyHeader.MAGIC.length + 2 + lengthBytes + textLength) % ALIGN);
        if (textLength + pad > 0xffff) {
            major = 2;
            lengthBytes = 4;
            pad = ALIGN - ((NpyHeader.MAGIC.length + 2 + lengthBytes + textLength) % ALIGN);
        }
        ByteBuffer b = ByteBuffer.allocate(NpyHeader.MAGIC.length + 2 + lengthBytes + textLength + pad).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) b.putShort((short) (textLength + pad));
        else b.putInt(textLength + pad);
        b.put(text);
        for (int i = 0; i < pad; i++) b.put((byte) ' ');
        b.put((byte) '\n');
        return b.array();
    }

    private static NpyType typeFor(HostArray array, String source) {
        NpyType type = NpyType.forWriting(array.dtype());
        if (type == null) throw new DataFileException(source, "cannot write " + array.dtype().kerasName() + " arrays to .npy");
        return type;
    }

    /** Integer data is held as long; refuse values the file's type would silently wrap. */
    private static void checkRange(HostArray array, String source) {
        DType dtype = array.dtype();
        long[] longs = array.longData();
        if (longs == null || dtype == DType.INT64 || dtype == DType.BOOL) return; // bool: any non-zero is true
        long min = dtype == DType.INT32 ? Integer.MIN_VALUE : 0;
        long max = dtype == DType.INT32 ? Integer.MAX_VALUE : 255;
        for (int i = 0; i < longs.length; i++) {
            if (longs[i] < min || longs[i] > max) {
                throw new DataFileException(source, "value " + longs[i] + " at index " + i + " does not fit " + dtype.kerasName());
            }
        }
    }

    private static void writeUnchecked(OutputStream out, HostArray array, NpyType type) throws IOException {
        out.write(header(type.descr, array.shape()));
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int count = Math.toIntExact(array.size());
        int perChunk = CHUNK_BYTES / type.itemSize;
        float[] floats = array.floatData();
        double[] doubles = array.doubleData();
        long[] longs = array.longData();
        for (int at = 0; at < count; at += perChunk) {
            int n = Math.min(perChunk, count - at);
            buf.clear();
            switch (array.dtype()) {
                case FLOAT32:
                    buf.asFloatBuffer().put(floats, at, n);
                    break;
                case FLOAT64:
                    buf.asDoubleBuffer().put(doubles, at, n);
                    break;
                case FLOAT16:
                    for (int i = 0; i < n; i++) buf.putShort(HalfFloat.fromFloat(floats[at + i]));
                    break;
                case INT64:
                    buf.asLongBuffer().put(longs, at, n);
                    break;
                case INT32:
                    for (int i = 0; i < n; i++) buf.putInt((int) longs[at + i]);
                    break;
                case BOOL:
                    for (int i = 0; i < n; i++) buf.put((byte) (longs[at + i] != 0 ? 1 : 0));
                    break;
                default: // UINT8
                    for (int i = 0; i < n; i++) buf.put((byte) longs[at + i]);
            }
            out.write(buf.array(), 0, n * type.itemSize);
        }
    }
}
