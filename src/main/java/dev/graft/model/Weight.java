package dev.graft.model;

import java.util.Arrays;

/**
 * One weight array of a layer: the name the file gave it (e.g. {@code dense_1/kernel:0}), its
 * shape and type, whether training may change it, and where its values are.
 */
public final class Weight {
    private final String name;
    private final long[] shape;
    private final DType dtype;
    private final boolean trainable;
    private final WeightSource source;

    public Weight(String name, long[] shape, DType dtype, boolean trainable, WeightSource source) {
        this.name = name;
        this.shape = shape.clone();
        this.dtype = dtype;
        this.trainable = trainable;
        this.source = source;
    }

    /** A weight whose values are already in memory. */
    public static Weight inMemory(String name, HostArray values, boolean trainable) {
        return new Weight(name, values.shape(), values.dtype(), trainable, () -> values);
    }

    public String name() {
        return name;
    }

    /**
     * What the weight is to its layer, independent of prefixes and the {@code :0} suffix:
     * {@code kernel}, {@code recurrent_kernel}, {@code bias}, {@code gamma}, {@code embeddings}...
     */
    public String role() {
        String last = name.substring(name.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return colon < 0 ? last : last.substring(0, colon);
    }

    public long[] shape() {
        return shape.clone();
    }

    public DType dtype() {
        return dtype;
    }

    public long size() {
        return HostArray.size(shape);
    }

    public boolean trainable() {
        return trainable;
    }

    public WeightSource source() {
        return source;
    }

    public HostArray read() {
        return source.read();
    }

    public Weight withName(String newName) {
        return new Weight(newName, shape, dtype, trainable, source);
    }

    public Weight withTrainable(boolean t) {
        return new Weight(name, shape, dtype, t, source);
    }

    @Override
    public String toString() {
        return name + " " + dtype.kerasName() + Arrays.toString(shape);
    }
}
