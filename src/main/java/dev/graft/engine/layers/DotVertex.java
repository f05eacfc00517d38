package dev.graft.engine.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Keras's {@code Dot(axes, normalize)}: for each sample, the sum over one axis of the first input times one axis of the
 * second, the remaining axes of the first followed by those of the second (Keras's {@code batch_dot}, followed here
 * step by step: a rank-2 input gets a unit axis, the summed axes are moved next to each other, larger ranks are folded
 * into a batched matrix product and unfolded after). {@code normalize} first divides each input by its L2 norm along
 * its summed axis, as Keras does: {@code x * min(rsqrt(sum(x²)), 1/1e-7)}.
 */
public class DotVertex extends KerasTensorOpVertex {
    /** Keras's {@code backend.epsilon()}, the lower bound of the norm {@code normalize} divides by. */
    private static final double EPSILON = 1e-7;
    private int axis0;
    private int axis1;
    private boolean normalize;

    /** For JSON deserialisation (DL4J configurations and zips). */
    public DotVertex() {
    }

    /** @param axis0 the summed axis of the first input (batch is 0; negative counts from the end), axis1 the second's */
    public DotVertex(int axis0, int axis1, boolean normalize) {
        this.axis0 = axis0;
        this.axis1 = axis1;
        this.normalize = normalize;
    }

    @Override
    protected int inputCount() {
        return 2;
    }

    @Override
    protected SDVariable compute(SameDiff sd, SDVariable[] in, long[][] shapes) {
        long[] xs = shapes[0].clone();
        long[] ys = shapes[1].clone();
        int a0 = axis(axis0, xs.length);
        int a1 = axis(axis1, ys.length);
        SDVariable x = in[0];
        SDVariable y = in[1];
        if (normalize) {
            x = l2Normalized(sd, x, a0);
            y = l2Normalized(sd, y, a1);
        }
        boolean xWasVector = xs.length == 2;
        boolean yWasVector = ys.length == 2;
        if (xWasVector) {
            x = sd.expandDims(x, 1);
            xs = new long[] {xs[0], 1, xs[1]};
            a0 += 1;
        }
        if (yWasVector) {
            y = sd.expandDims(y, 2);
            ys = new long[] {ys[0], ys[1], 1};
        }
        // the first input's summed axis last, the second's right after the batch
        int[] xOrder = moved(xs.length, a0, xs.length - 1);
        int[] yOrder = moved(ys.length, a1, 1);
        if (a0 != xs.length - 1) x = sd.permute(x, xOrder);
        if (a1 != 1) y = sd.permute(y, yOrder);
        xs = permuted(xs, xOrder);
        ys = permuted(ys, yOrder);
        long[] xMiddle = Arrays.copyOfRange(xs, 1, xs.length - 1);
        long[] yTrail = Arrays.copyOfRange(ys, 2, ys.length);
        if (xs.length > 3) x = sd.reshape(x, -1, product(xMiddle), xs[xs.length - 1]);
        if (ys.length > 3) y = sd.reshape(y, -1, ys[1], product(yTrail));
        SDVariable out = sd.mmul(x, y);
        if (xs.length > 3 || ys.length > 3) {
            long[] shape = new long[1 + xMiddle.length + yTrail.length];
            shape[0] = -1;
            System.arraycopy(xMiddle, 0, shape, 1, xMiddle.length);
            System.arraycopy(yTrail, 0, shape, 1 + xMiddle.length, yTrail.length);
            out = sd.reshape(out, shape);
        }
        int outRank = 1 + xMiddle.length + yTrail.length;
        if (xWasVector) out = sd.squeeze(out, 1);
        else if (yWasVector) out = sd.squeeze(out, outRank - 1);
        return out;
    }

    private static SDVariable l2Normalized(SameDiff sd, SDVariable x, int axis) {
        SDVariable squares = x.mul(x).sum(true, axis);
        SDVariable floor = sd.constant(org.nd4j.linalg.factory.Nd4j.scalar(x.dataType(), EPSILON * EPSILON));
        return x.mul(sd.math.rsqrt(sd.math.max(squares, floor)));
    }

    /** The axis order of a rank-{@code rank} tensor that moves axis {@code from} to {@code to}, the others keeping their order. */
    private static int[] moved(int rank, int from, int to) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rank; i++) if (i != from) order.add(i);
        order.add(to, from);
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long[] permuted(long[] shape, int[] order) {
        long[] out = new long[shape.length];
        for (int i = 0; i < order.length; i++) out[i] = shape[order[i]];
        return out;
    }

    private static long product(long[] dims) {
        long p = 1;
        for (long d : dims) p *= d;
        return p;
    }

    /** Keras's {@code Dot.compute_output_shape} on per-sample shapes. */
    @Override
    protected long[] outputShape(long[][] inputs) {
        long[] s1 = inputs[0];
        long[] s2 = inputs[1];
        int a0 = axis(axis0, s1.length + 1) - 1;
        int a1 = axis(axis1, s2.length + 1) - 1;
        if (a0 < 0 || a0 >= s1.length || a1 < 0 || a1 >= s2.length) {
            throw new IllegalArgumentException("Dot axes (" + axis0 + ", " + axis1 + ") are not sample axes of " + Arrays.toString(s1)
                    + " and " + Arrays.toString(s2));
        }
        if (s1[a0] > 0 && s2[a1] > 0 && s1[a0] != s2[a1]) {
            throw new IllegalArgumentException("Dot sums axes of sizes " + s1[a0] + " and " + s2[a1]);
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < s1.length; i++) if (i != a0) out.add(s1[i]);
        for (int i = 0; i < s2.length; i++) if (i != a1) out.add(s2[i]);
        if (out.isEmpty()) out.add(1L);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public DotVertex clone() {
        return withSettingsOf(new DotVertex(axis0, axis1, normalize));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DotVertex d && axis0 == d.axis0 && axis1 == d.axis1 && normalize == d.normalize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(axis0, axis1, normalize);
    }

    public int getAxis0() { return axis0; }
    public void setAxis0(int axis0) { this.axis0 = axis0; }
    public int getAxis1() { return axis1; }
    public void setAxis1(int axis1) { this.axis1 = axis1; }
    public boolean isNormalize() { return normalize; }
    public void setNormalize(boolean normalize) { this.normalize = normalize; }
}
