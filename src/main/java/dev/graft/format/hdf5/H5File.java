package dev.graft.format.hdf5;

import static org.bytedeco.hdf5.global.hdf5.*;

import java.nio.file.Path;

/** An open HDF5 file; the file object is also its root group. */
public final class H5File extends H5Node implements AutoCloseable {
    private final Path file;

    private H5File(long id, Path file) {
        super(id, "/");
        this.file = file;
    }

    /** Opens a file; the calling thread holds {@link H5Lock} until {@link #close()}. */
    public static H5File openReadOnly(Path file) {
        H5Lock.acquire();
        try {
            H5.init();
            long fid = H5Fopen(file.toString(), H5F_ACC_RDONLY, H5.DEFAULT);
            if (fid < 0) throw new H5Exception("not a readable HDF5 file");
            return new H5File(fid, file);
        } catch (RuntimeException | Error e) {
            H5Lock.release();
            throw e;
        }
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
        try {
            H5Fclose(id);
        } finally {
            H5Lock.release();
        }
    }
}
