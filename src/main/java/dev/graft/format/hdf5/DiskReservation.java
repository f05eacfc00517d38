package dev.graft.format.hdf5;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reserves disk blocks for a file before libhdf5 writes into it ({@code posix_fallocate}, through
 * JNA). libhdf5 crashes the JVM when a write fails under it (a disk that another process fills
 * mid-write: SIGSEGV in its exit handler after the failed close); once the blocks of the whole file
 * are allocated, its writes only overwrite them and cannot fail for want of space. A full disk
 * then shows up here, in Java, before libhdf5 has written a byte of data.
 */
final class DiskReservation {
    private static final int O_WRONLY = 1;
    private static final int ENOSPC = 28;
    private static final int EFBIG = 27;

    /** The few libc calls needed; null where libc cannot be loaded (not Linux, no JNA). */
    private interface LibC extends Library {
        int open(String path, int flags);

        int posix_fallocate(int fd, long offset, long len);

        int close(int fd);
    }

    private static final LibC LIBC = load();

    private DiskReservation() {
    }

    private static LibC load() {
        try {
            return (LibC) Native.loadLibrary("c", LibC.class);
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError: no reservation, the free-space check remains
            return null;
        }
    }

    /**
     * Allocates the blocks of {@code file}'s first {@code bytes} bytes, extending it to that size:
     * {@code posix_fallocate} where libc can be called (instant on ext4, xfs, tmpfs), else by
     * writing zeros (one more pass over the file, but the same guarantee).
     *
     * @throws IOException when the disk (or the process's file-size limit) has no room for them, saying so
     */
    static void reserve(Path file, long bytes) throws IOException {
        if (LIBC != null) {
            int fd = LIBC.open(file.toString(), O_WRONLY);
            if (fd >= 0) {
                int err;
                try {
                    err = LIBC.posix_fallocate(fd, 0, bytes);
                } finally {
                    LIBC.close(fd);
                }
                if (err == ENOSPC || err == EFBIG) throw noRoom(file, bytes);
                if (err == 0) return;
            }
        }
        writeZeros(file, bytes);
    }

    private static void writeZeros(Path file, long bytes) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocateDirect(1 << 20);
            for (long at = ch.size(); at < bytes; ) {
                zeros.clear();
                zeros.limit((int) Math.min(zeros.capacity(), bytes - at));
                at += ch.write(zeros, at);
            }
        } catch (IOException e) {
            throw noRoom(file, bytes);
        }
    }

    private static IOException noRoom(Path file, long bytes) {
        return new IOException("not enough free space in " + file.toAbsolutePath().getParent() + " (the output needs about " + bytes + " bytes)");
    }
}
