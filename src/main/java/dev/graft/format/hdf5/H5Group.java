package dev.graft.format.hdf5;

import static org.bytedeco.hdf5.global.hdf5.H5Gclose;

/** An open group; close it when done. */
public final class H5Group extends H5Node implements AutoCloseable {
    H5Group(long id, String path, DeferredCopies deferred) {
        super(id, path, deferred);
    }

    H5Group(io.jhdf.api.Group jg, String path, long sourceLength) {
        super(jg, path, sourceLength);
    }

    @Override
    public void close() {
        if (jg == null) H5Gclose(id);
    }
}
