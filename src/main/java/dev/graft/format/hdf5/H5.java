package dev.graft.format.hdf5;

import static org.bytedeco.hdf5.global.hdf5.*;

/**
 * Access to the HDF5 C library through JavaCPP's bindings. The bindings expose the library's
 * predefined type and property-class ids as {@code *_g()} globals (the un-suffixed helpers
 * truncate 64-bit ids to int), so this class is the one place that names them.
 */
final class H5 {
    static final long DEFAULT = H5P_DEFAULT;
    static final long ALL = H5S_ALL;

    static {
        H5open();
        // The library prints its own error stack to stderr by default; graft reports errors itself.
        H5Eset_auto2(0L, null, null);
    }

    private H5() {
    }

    static void init() {
        // Runs the static initialiser.
    }

    static long f32() {
        return H5T_IEEE_F32LE_g();
    }

    static long f64() {
        return H5T_IEEE_F64LE_g();
    }

    static long i64() {
        return H5T_STD_I64LE_g();
    }

    static long cString() {
        return H5T_C_S1_g();
    }

    static long datasetCreateClass() {
        return H5P_CLS_DATASET_CREATE_ID_g();
    }

    static long linkCreateClass() {
        return H5P_CLS_LINK_CREATE_ID_g();
    }

    static long groupCreateClass() {
        return H5P_CLS_GROUP_CREATE_ID_g();
    }

    /**
     * A creation property list for groups or datasets that records no modification times, so
     * the same model written twice gives the same bytes.
     */
    static long untimed(long creationClass) {
        long plist = check(H5Pcreate(creationClass), "creation property list");
        H5Pset_obj_track_times(plist, false);
        return plist;
    }

    static long objectCopyClass() {
        return H5P_CLS_OBJECT_COPY_ID_g();
    }

    /** Throws when an HDF5 call returned a negative status or id. */
    static long check(long result, String what) {
        if (result < 0) throw new H5Exception(what);
        return result;
    }
}
