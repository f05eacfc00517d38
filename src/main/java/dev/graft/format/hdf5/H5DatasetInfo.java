package dev.graft.format.hdf5;

import dev.graft.model.DType;

/** Shape and element type of a dataset, read without reading its data. */
public record H5DatasetInfo(String path, long[] shape, DType dtype) {
    public long size() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
