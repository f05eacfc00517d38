package dev.graft.format.hdf5;

import static org.bytedeco.hdf5.global.hdf5.*;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An open HDF5 file; the file object is also its root group. Files opened for reading are parsed
 * in Java by jhdf (see {@link H5Node}); files graft creates are written by libhdf5.
 */
public final class H5File extends H5Node implements AutoCloseable {
    private final Path file;
    private final HdfFile reading;

    private H5File(long id, Path file) {
        super(id, "/", new DeferredCopies());
        this.file = file;
        this.reading = null;
    }

    private H5File(HdfFile reading, Path file, long length) {
        super(reading, "/", length);
        this.file = file;
        this.reading = reading;
    }

    /**
     * Opens a file for reading. A Keras 3 {@code .keras} archive is read as its
     * {@code model.weights.h5} member, in place (Keras stores it uncompressed).
     */
    public static H5File openReadOnly(Path file) {
        try {
            if (HdfBytes.isZip(file)) {
                ByteBuffer bytes = HdfBytes.kerasWeights(file);
                long length = bytes.remaining();
                return checked(JhdfReads.guarded("not a readable HDF5 file", () -> HdfFile.fromByteBuffer(bytes)), file, length);
            }
            long length = Files.size(file);
            return checked(JhdfReads.guarded("not a readable HDF5 file", () -> new HdfFile(file)), file, length);
        } catch (IOException e) {
            throw new H5Exception("not a readable HDF5 file (" + e.getMessage() + ")");
        }
    }

    /** The superblock records where the file ends: a shorter file was cut short (an interrupted copy or download). */
    private static H5File checked(HdfFile h, Path file, long length) {
        long end = JhdfReads.guarded("not a readable HDF5 file", () -> h.getHdfBackingStorage().getSuperblock().getEndOfFileAddress()
                + h.getUserBlockSize());
        if (end > length) {
            try {
                h.close();
            } catch (RuntimeException ignored) {
                // closing a file we refuse
            }
            throw new H5Exception("the file is cut short: its header says it ends at byte " + end + ", but it has " + length);
        }
        return new H5File(h, file, length);
    }

    /** Creates a new file, failing if it exists; the calling thread holds {@link H5Lock} until {@link #close()}. */
    public static H5File create(Path file) {
        return create(file, 0);
    }

    /**
     * Creates a new file, failing if it exists, with the disk blocks for {@code expectedBytes}
     * (plus a margin for HDF5's own structures) reserved before libhdf5 writes into it
     * ({@link DiskReservation}): libhdf5 then never meets a full disk, which
     * crashes it. libhdf5 cannot create a file into reserved space (it truncates), so the empty
     * HDF5 file is made in memory, written here, reserved, and opened by libhdf5 for writing; at
     * close libhdf5 cuts the file to its real end, giving back what was not used. A disk without
     * room is an {@link java.io.UncheckedIOException} saying so, before libhdf5 writes anything.
     */
    public static H5File create(Path file, long expectedBytes) {
        H5Lock.acquire();
        try {
            H5.init();
            long fcpl = H5.untimed(H5P_CLS_FILE_CREATE_ID_g());
            long fid;
            try {
                fid = expectedBytes > 0 ? createReserved(file, fcpl, expectedBytes + RESERVE_MARGIN + expectedBytes / 64)
                        : H5Fcreate(file.toString(), H5F_ACC_EXCL, fcpl, H5.DEFAULT);
            } finally {
                H5Pclose(fcpl);
            }
            if (fid < 0) throw new H5Exception("cannot create HDF5 file " + file);
            return new H5File(fid, file);
        } catch (RuntimeException | Error e) {
            H5Lock.release();
            throw e;
        }
    }

    /** Room reserved beyond the weights' bytes: groups, attributes (a model's configuration), HDF5's headers. */
    static final long RESERVE_MARGIN = 1L << 20;

    /** The file made empty in memory, written here, reserved, and opened by libhdf5 for writing. */
    private static long createReserved(Path file, long fcpl, long reserveBytes) {
        byte[] empty = emptyFileImage(fcpl);
        try {
            java.nio.file.Files.write(file, empty, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            DiskReservation.reserve(file, Math.max(empty.length, reserveBytes));
        } catch (IOException e) {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the caller's temporary-file cleanup removes it
            }
            throw new java.io.UncheckedIOException(e);
        }
        return H5Fopen(file.toString(), H5F_ACC_RDWR, H5.DEFAULT);
    }

    /** The bytes of an empty HDF5 file with these creation properties, made by libhdf5 in memory (no disk). */
    private static byte[] emptyFileImage(long fcpl) {
        long fapl = H5.check(H5Pcreate(H5P_CLS_FILE_ACCESS_ID_g()), "file access property list");
        try {
            H5.check(H5Pset_fapl_core(fapl, 64 << 10, false), "in-memory file driver");
            long fid = H5.check(H5Fcreate("graft-empty.h5", H5F_ACC_TRUNC, fcpl, fapl), "cannot create an HDF5 file in memory");
            try {
                // Without a flush the image lacks the root group's header (libhdf5 then cannot open it).
                H5.check(H5Fflush(fid, H5F_SCOPE_GLOBAL), "HDF5 file image");
                long size = H5.check(H5Fget_file_image(fid, null, 0), "HDF5 file image");
                try (org.bytedeco.javacpp.BytePointer buf = new org.bytedeco.javacpp.BytePointer(size)) {
                    H5.check(H5Fget_file_image(fid, buf, size), "HDF5 file image");
                    byte[] bytes = new byte[(int) size];
                    buf.get(bytes);
                    return bytes;
                }
            } finally {
                H5Fclose(fid);
            }
        } finally {
            H5Pclose(fapl);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        if (reading != null) {
            try {
                reading.close();
            } catch (RuntimeException ignored) {
                // Closing a file read in Java releases only its channel; nothing is lost.
            }
        } else {
            try {
                H5Fclose(id);
            } finally {
                H5Lock.release();
            }
            deferred.run(file);
        }
    }
}
