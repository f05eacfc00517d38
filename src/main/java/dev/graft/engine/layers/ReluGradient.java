package dev.graft.engine.layers;

/**
 * ReLU's derivative applied to the gradient at its output, as libnd4j's {@code relu_bp} applies it: the gradient where the
 * ReLU's output is positive, zero where it is zero. Written so that the JIT makes it vector instructions: one index for
 * both arrays, and only multiplications, minimum and maximum. A branch or a select by comparison stays scalar (measured
 * on 692,224 values, the MNIST CNN's first layer at batch 32: 3.4 ms with {@code y > 0 ? d : 0}, 0.24 ms masking the
 * bits, 0.15 ms here).
 */
final class ReluGradient {
    /** 2^127: any positive float times it three times overflows to infinity (the smallest, 2^-149, reaches 2^232). */
    private static final float HUGE = 0x1p127f;

    private ReluGradient() {
    }

    /**
     * {@code delta[i]} kept where {@code y[i] > 0}, set to zero where {@code y[i] == 0}, for the first {@code n} values.
     * {@code y} is a ReLU's output (no negative values). Infinite gradients are kept or zeroed like any other; where a
     * value is NaN the result is NaN, as everything computed from that sample already is.
     */
    static void mask(float[] delta, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            float open = y[i] * HUGE * HUGE * HUGE;     // +inf where y > 0, 0 where y = 0
            delta[i] = Math.max(Math.min(delta[i], open), -open);
        }
    }
}
