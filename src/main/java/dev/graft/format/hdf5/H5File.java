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
        super(id, "/");
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
        H5Lock.acquire();
        try {
            H5.init();
            long fcpl = H5.untimed(H5P_CLS_FILE_CREATE_ID_g());
            long fid = H5Fcreate(file.toString(), H5F_ACC_EXCL, fcpl, H5.DEFAULT);
            H5Pclose(fcpl);
            if (fid < 0) throw new H5Exception("cannot create HDF5 file " + file);
            return new H5File(fid, file);
        } catch (RuntimeException | Error e) {
            H5Lock.release();
            throw e;
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
        }
    }
}
