package dev.graft.format.hdf5;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The bytes of an HDF5 file to parse: the file itself, or the {@code model.weights.h5} member of a
 * Keras 3 {@code .keras} archive. Keras stores that member uncompressed, so it is mapped in place
 * (nothing is unpacked, to disk or to memory); a compressed member, which Keras never writes, is
 * inflated into memory through a bounded stream after its declared size and ratio were checked.
 */
final class HdfBytes {
    /** The member of a {@code .keras} archive that holds the weights. */
    static final String KERAS_WEIGHTS_ENTRY = "model.weights.h5";
    /** A compressed weights member may inflate to at most this many times its stored size. */
    static final long MAX_RATIO = 100;
    /** ... and to at most this many bytes (it is held in memory). */
    static final long MAX_INFLATED = 1L << 30;

    private HdfBytes() {
    }

    static boolean isZip(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(4);
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // keep reading until four bytes or the end
            }
            return head.position() == 4 && head.get(0) == 'P' && head.get(1) == 'K' && head.get(2) == 3 && head.get(3) == 4;
        }
    }

    /** The archive's weights member, mapped or inflated; throws H5Exception saying what is wrong. */
    static ByteBuffer kerasWeights(Path archive) throws IOException {
        try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ)) {
            long[] stored = storedEntry(ch, KERAS_WEIGHTS_ENTRY);
            if (stored != null) return ch.map(FileChannel.MapMode.READ_ONLY, stored[0], stored[1]);
        }
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            ZipEntry e = zip.getEntry(KERAS_WEIGHTS_ENTRY);
            if (e == null) throw new H5Exception("the archive has no " + KERAS_WEIGHTS_ENTRY);
            long limit = inflationLimit(e);
            byte[] bytes;
            try (InputStream in = zip.getInputStream(e)) {
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
            }
            if (bytes.length > limit) {
                throw new H5Exception(KERAS_WEIGHTS_ENTRY + " inflates beyond " + limit + " bytes (more than it declares or than graft unpacks)");
            }
            return ByteBuffer.wrap(bytes);
        }
    }

    /** How far a compressed member may inflate: its declared size, within the ratio and size limits. */
    private static long inflationLimit(ZipEntry e) {
        long declared = e.getSize();
        long compressed = Math.max(1, e.getCompressedSize());
        long byRatio = compressed < 0 ? MAX_INFLATED : Math.min(MAX_INFLATED, Math.max(1 << 20, compressed * MAX_RATIO));
        if (declared > byRatio) {
            throw new H5Exception(KERAS_WEIGHTS_ENTRY + " declares " + declared + " bytes unpacked from " + e.getCompressedSize()
                    + " stored (a zip bomb?); graft unpacks at most " + byRatio);
        }
        return declared >= 0 ? declared : byRatio;
    }

    /**
     * {offset, length} of an uncompressed member's data, read from the zip's central directory;
     * null when the member is compressed, absent, or the archive is a ZIP64 one (then the bounded
     * inflation path reads it).
     */
    static long[] storedEntry(FileChannel ch, String name) throws IOException {
        long size = ch.size();
        int tail = (int) Math.min(size, 22 + 65535);
        ByteBuffer end = read(ch, size - tail, tail);
        int eocd = -1;
        for (int i = tail - 22; i >= 0; i--) {
            if (end.getInt(i) == 0x06054b50) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) throw new H5Exception("corrupt zip archive: no central directory");
        long cdSize = end.getInt(eocd + 12) & 0xffffffffL;
        long cdOffset = end.getInt(eocd + 16) & 0xffffffffL;
        if (cdSize == 0xffffffffL || cdOffset == 0xffffffffL) return null;
        if (cdOffset + cdSize > size || cdSize > (64 << 20)) throw new H5Exception("corrupt zip archive: central directory outside the file");
        ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        int p = 0;
        while (p + 46 <= cd.limit() && cd.getInt(p) == 0x02014b50) {
            int method = cd.getShort(p + 10) & 0xffff;
            long csize = cd.getInt(p + 20) & 0xffffffffL;
            long usize = cd.getInt(p + 24) & 0xffffffffL;
            int nameLen = cd.getShort(p + 28) & 0xffff;
            int extraLen = cd.getShort(p + 30) & 0xffff;
            int commentLen = cd.getShort(p + 32) & 0xffff;
            long local = cd.getInt(p + 42) & 0xffffffffL;
            if (p + 46 + nameLen > cd.limit()) break;
            byte[] n = new byte[nameLen];
            cd.get(p + 46, n);
            if (java.util.Arrays.equals(n, wanted)) {
                if (method != 0 || csize != usize || usize == 0xffffffffL || local == 0xffffffffL) return null;
                if (local + 30 > size) throw new H5Exception("corrupt zip archive: " + name + " lies outside the file");
                ByteBuffer lh = read(ch, local, 30);
                if (lh.getInt(0) != 0x04034b50) throw new H5Exception("corrupt zip archive: bad local header for " + name);
                long data = local + 30 + (lh.getShort(26) & 0xffff) + (lh.getShort(28) & 0xffff);
                if (data + usize > size) throw new H5Exception("corrupt zip archive: " + name + " is cut short");
                if (usize > Integer.MAX_VALUE) throw new H5Exception(name + " is larger than 2 GiB, more than graft reads from an archive");
                return new long[] {data, usize};
            }
            p += 46 + nameLen + extraLen + commentLen;
        }
        return null;
    }

    private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) throw new H5Exception("corrupt zip archive: cut short");
        }
        b.flip();
        return b;
    }
}
