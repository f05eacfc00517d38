package dev.graft.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A tensor shape in Keras notation: dimension 0 is the batch, and any dimension may be unknown
 * ({@code null}, printed {@code None}). Immutable.
 */
public final class Shape {
    private final List<Long> dims;

    private Shape(List<Long> dims) {
        this.dims = Collections.unmodifiableList(new ArrayList<>(dims));
    }

    /** A shape from explicit dimensions, batch first; {@code null} marks an unknown dimension. */
    public static Shape of(Long... dims) {
        return new Shape(Arrays.asList(dims));
    }

    public static Shape of(List<Long> dims) {
        return new Shape(dims);
    }

    /** A shape with an unknown batch dimension followed by the given per-sample dimensions. */
    public static Shape batchOf(long... sampleDims) {
        List<Long> d = new ArrayList<>();
        d.add(null);
        for (long x : sampleDims) d.add(x);
        return new Shape(d);
    }

    /** Unknown batch followed by possibly-unknown per-sample dimensions. */
    public static Shape batchOf(List<Long> sampleDims) {
        List<Long> d = new ArrayList<>();
        d.add(null);
        d.addAll(sampleDims);
        return new Shape(d);
    }

    public int rank() {
        return dims.size();
    }

    /** The dimension at {@code axis}; negative axes count from the end. {@code null} when unknown. */
    public Long dim(int axis) {
        return dims.get(axis < 0 ? dims.size() + axis : axis);
    }

    public List<Long> dims() {
        return dims;
    }

    /** The per-sample dimensions (everything after the batch axis). */
    public List<Long> sampleDims() {
        return dims.subList(1, dims.size());
    }

    public Long lastDim() {
        return dims.isEmpty() ? null : dims.get(dims.size() - 1);
    }

    /** True when every per-sample dimension is known. */
    public boolean isSampleShapeKnown() {
        return sampleDims().stream().allMatch(Objects::nonNull);
    }

    /** Number of elements per sample, or -1 when any per-sample dimension is unknown. */
    public long elementsPerSample() {
        long n = 1;
        for (Long d : sampleDims()) {
            if (d == null) return -1;
            n *= d;
        }
        return n;
    }

    /** This shape with its last dimension replaced. */
    public Shape withLastDim(Long last) {
        List<Long> d = new ArrayList<>(dims);
        d.set(d.size() - 1, last);
        return new Shape(d);
    }

    /** Keras notation: {@code (None, 32)}; a rank-1 shape prints as {@code (None,)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims.get(i) == null ? "None" : dims.get(i).toString());
        }
        if (dims.size() == 1) sb.append(",");
        return sb.append(")").toString();
    }

    /** Per-sample dimensions joined by 'x' ({@code 32x4}), as the command line writes them. */
    public String sampleString() {
        StringBuilder sb = new StringBuilder();
        for (Long d : sampleDims()) {
            if (sb.length() > 0) sb.append('x');
            sb.append(d == null ? "?" : d.toString());
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && s.dims.equals(dims);
    }

    @Override
    public int hashCode() {
        return dims.hashCode();
    }
}
