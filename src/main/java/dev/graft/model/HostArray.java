package dev.graft.model;

import java.util.Arrays;

/**
 * A dense, row-major (C order) n-d array held on the Java heap, with no dependency on ND4J so that
 * file formats and data files can be handled without starting the engine.
 *
 * <p>Floating data keeps its width: float16 and float32 are held as {@code float[]} (float16 widens
 * exactly and narrows back exactly), float64 as {@code double[]}; integer and boolean types are
 * widened to {@code long[]}. {@link #dtype()} remembers what the file said.
 */
public final class HostArray {
    private final DType dtype;
    private final long[] shape;
    private final float[] floats;
    private final double[] doubles;
    private final long[] longs;

    private HostArray(DType dtype, long[] shape, float[] floats, double[] doubles, long[] longs) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.floats = floats;
        this.doubles = doubles;
        this.longs = longs;
        long n = size(shape);
        long held = floats != null ? floats.length : doubles != null ? doubles.length : longs.length;
        if (n != held) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " elements, got " + held);
        }
    }

    public static HostArray ofFloats(long[] shape, float[] data) {
        return new HostArray(DType.FLOAT32, shape, data, null, null);
    }

    /** float16 data, already widened to float. */
    public static HostArray ofHalfs(long[] shape, float[] data) {
        return new HostArray(DType.FLOAT16, shape, data, null, null);
    }

    public static HostArray ofDoubles(long[] shape, double[] data) {
        return new HostArray(DType.FLOAT64, shape, null, data, null);
    }

    /** Integer or boolean data of the given type, widened to long. */
    public static HostArray ofLongs(DType dtype, long[] shape, long[] data) {
        if (dtype.isFloating() || dtype == DType.STRING) throw new IllegalArgumentException("not an integer type: " + dtype);
        return new HostArray(dtype, shape, null, null, data);
    }

    /** Number of elements of an array with this shape (1 for a scalar). */
    public static long size(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long size() {
        return size(shape);
    }

    public double getDouble(long flatIndex) {
        int i = Math.toIntExact(flatIndex);
        if (floats != null) return floats[i];
        if (doubles != null) return doubles[i];
        return longs[i];
    }

    /** The backing float array when this array holds float16/float32 data, else null. */
    public float[] floatData() {
        return floats;
    }

    /** The backing double array when this array holds float64 data, else null. */
    public double[] doubleData() {
        return doubles;
    }

    /** The backing long array when this array holds integer or boolean data, else null. */
    public long[] longData() {
        return longs;
    }

    /** A copy of the data converted to float. */
    public float[] toFloatArray() {
        if (floats != null) return floats.clone();
        float[] out = new float[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) out[i] = (float) getDouble(i);
        return out;
    }

    /** A copy of the data converted to double. */
    public double[] toDoubleArray() {
        if (doubles != null) return doubles.clone();
        double[] out = new double[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) out[i] = getDouble(i);
        return out;
    }

    /** The same data viewed with another shape of equal size. */
    public HostArray reshape(long... newShape) {
        if (size(newShape) != size()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new HostArray(dtype, newShape, floats, doubles, longs);
    }

    /** This array converted to another floating type ({@code --cast}); same object when already of that type. */
    public HostArray castTo(DType target) {
        if (target == dtype) return this;
        switch (target) {
            case FLOAT32: return ofFloats(shape, toFloatArray());
            case FLOAT16: return ofHalfs(shape, toFloatArray());
            case FLOAT64: return ofDoubles(shape, toDoubleArray());
            default: throw new IllegalArgumentException("cannot cast to " + target);
        }
    }

    /** Exact equality of type, shape and every bit of the data. */
    public boolean bitEquals(HostArray o) {
        return o.dtype == dtype && Arrays.equals(o.shape, shape) && Arrays.equals(o.floats, floats)
                && Arrays.equals(o.doubles, doubles) && Arrays.equals(o.longs, longs);
    }

    @Override
    public String toString() {
        return dtype.kerasName() + Arrays.toString(shape);
    }
}
