package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pieces graft's Java LSTM is made of: its matrix products and its two directions (its tanh and sigmoid: BulkFloatMathTest). */
class JavaLstmPassTest {

    /** The BLAS product and the Java one agree, with either operand transposed, and add to c when asked. */
    @Test
    void gemmEqualsJavaLoops() {
        Random r = new Random(3);
        int m = 5, n = 7, k = 3;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = random(r, m * k);
                float[] b = random(r, k * n);
                float[] c0 = random(r, m * n);
                float[] viaGemm = c0.clone();
                float[] viaJava = c0.clone();
                SmallGemm.gemm(ta, tb, m, n, k, a, b, 1f, viaGemm);
                SmallGemm.inJava(ta, tb, m, n, k, a, b, 1f, viaJava);
                assertArrayEquals(viaJava, viaGemm, 1e-5f, "transA " + ta + ", transB " + tb);
                // by hand, one element
                float expected = c0[1 * n + 2];
                for (int p = 0; p < k; p++) expected += (ta ? a[p * m + 1] : a[1 * k + p]) * (tb ? b[2 * k + p] : b[p * n + 2]);
                assertEquals(expected, viaJava[1 * n + 2], 1e-5f);
            }
        }
    }

    /** Backwards in time is forwards on the reversed sequence, outputs and gradients alike. */
    @Test
    void backwardsIsForwardsOnTheReversedSequence() {
        Random r = new Random(5);
        int batch = 2, in = 3, units = 4, steps = 6;
        float[] x = random(r, batch * in * steps);
        float[] reversed = new float[x.length];
        for (int row = 0; row < batch * in; row++) for (int t = 0; t < steps; t++) reversed[row * steps + t] = x[row * steps + steps - 1 - t];
        float[] kernel = random(r, in * 4 * units);
        float[] recurrent = random(r, units * 4 * units);
        float[] bias = random(r, 4 * units);
        float[] eps = random(r, batch * units * steps);
        float[] epsReversed = new float[eps.length];
        for (int row = 0; row < batch * units; row++) for (int t = 0; t < steps; t++) epsReversed[row * steps + t] = eps[row * steps + steps - 1 - t];
        JavaLstmPass back = JavaLstmPass.forward(x, batch, in, steps, kernel, recurrent, bias, new float[batch * units], new float[batch * units], false);
        JavaLstmPass fwd = JavaLstmPass.forward(reversed, batch, in, steps, kernel, recurrent, bias, new float[batch * units], new float[batch * units],
                true);
        float[] outBack = back.outputs();
        float[] outFwd = fwd.outputs();
        for (int row = 0; row < batch * units; row++) {
            for (int t = 0; t < steps; t++) assertEquals(outFwd[row * steps + steps - 1 - t], outBack[row * steps + t], 1e-6f);
        }
        assertArrayEquals(fwd.lastOutput(), back.lastOutput(), 1e-6f);
        JavaLstmPass.Gradients gb = back.backward(eps, true);
        JavaLstmPass.Gradients gf = fwd.backward(epsReversed, true);
        assertArrayEquals(gf.kernel(), gb.kernel(), 1e-5f);
        assertArrayEquals(gf.recurrent(), gb.recurrent(), 1e-5f);
        assertArrayEquals(gf.bias(), gb.bias(), 1e-5f);
        JavaLstmPass.Gradients noWeights = back.backward(eps, false);
        assertArrayEquals(gb.input(), noWeights.input(), 0f, "the input's gradient does not depend on computing the weights'");
        assertEquals(null, noWeights.kernel());
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * 0.7);
        return v;
    }
}
