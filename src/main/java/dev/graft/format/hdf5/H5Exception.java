package dev.graft.format.hdf5;

/** A failed HDF5 library call; the message names the operation and the object involved. */
public class H5Exception extends RuntimeException {
    public H5Exception(String message) {
        super(message);
    }
}
