package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * BulkFloatMath against double-precision references rounded to float, over every 61st float of the whole range
 * (70 million values, both signs, subnormals, infinities and NaN payloads) plus the edges of each function.
 */
class BulkFloatMathTest {
    private interface Bulk {
        void apply(float[] a, int from, int n);
    }

    /** The largest error in units in the last place of the reference, over the sweep; NaN must give NaN. */
    private static long worstUlps(Bulk f, DoubleUnaryOperator reference) {
        float[] x = new float[4093];
        float[] y = new float[4093];
        long worst = 0;
        for (long bits = 0; bits < (1L << 32); bits += 61L * x.length) {
            for (int i = 0; i < x.length; i++) x[i] = Float.intBitsToFloat((int) (bits + 61L * i));
            System.arraycopy(x, 0, y, 0, x.length);
            f.apply(y, 0, y.length);
            for (int i = 0; i < x.length; i++) worst = Math.max(worst, ulps((float) reference.applyAsDouble(x[i]), y[i], x[i]));
        }
        return worst;
    }

    private static long ulps(float expected, float got, float x) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(got), () -> "NaN expected for " + x + ", got " + got);
            return 0;
        }
        if (expected == 0f && got == 0f) return 0;   // the sign of a zero result is not kept
        assertEquals(Math.signum(expected), Math.signum(got), () -> "sign for " + x + ": " + got + " instead of " + expected);
        // the bits of floats of one sign are ordered as their values
        return Math.abs((long) Float.floatToIntBits(Math.abs(expected)) - Float.floatToIntBits(Math.abs(got)));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void expIsWithinOneUnitInTheLastPlaceEverywhere() {
        assertTrue(worstUlps(new BulkFloatMath()::exp, Math::exp) <= 1);
    }

    @Test
    void sigmoidIsWithinTwoUnitsInTheLastPlaceEverywhere() {
        assertTrue(worstUlps(new BulkFloatMath()::sigmoid, BulkFloatMathTest::sigmoid) <= 2);
    }

    @Test
    void tanhIsWithinTwoUnitsInTheLastPlaceEverywhere() {
        assertTrue(worstUlps(new BulkFloatMath()::tanh, Math::tanh) <= 2);
    }

    @Test
    void edgesOverflowUnderflowAndSpecialValues() {
        float[] x = {0f, -0f, 1f, -1f, 88.72283f, 88.7229f, 89f, 1000f, Float.POSITIVE_INFINITY, -87.33655f, -103.27893f, -103.97208f,
            -104f, -1000f, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-8f, -1e-8f};
        float[] e = x.clone();
        float[] s = x.clone();
        float[] t = x.clone();
        BulkFloatMath math = new BulkFloatMath();
        math.exp(e, 0, e.length);
        math.sigmoid(s, 0, s.length);
        math.tanh(t, 0, t.length);
        for (int i = 0; i < x.length; i++) {
            assertTrue(ulps((float) Math.exp(x[i]), e[i], x[i]) <= 1, "exp(" + x[i] + ") = " + e[i]);
            assertTrue(ulps((float) sigmoid(x[i]), s[i], x[i]) <= 2, "sigmoid(" + x[i] + ") = " + s[i]);
            assertTrue(ulps((float) Math.tanh(x[i]), t[i], x[i]) <= 2, "tanh(" + x[i] + ") = " + t[i]);
        }
        assertEquals(Float.POSITIVE_INFINITY, e[8]);
        assertEquals(0f, e[14]);
        assertEquals(1f, s[8]);
        assertEquals(0f, s[14]);
        assertEquals(-1f, t[14]);
    }

    @Test
    void computesOnlyTheRangeGiven() {
        float[] a = new float[1500];
        java.util.Arrays.fill(a, 2f);
        new BulkFloatMath().exp(a, 3, 1200);
        assertEquals(2f, a[2]);
        assertEquals((float) Math.exp(2), a[3]);
        assertEquals((float) Math.exp(2), a[1202]);
        assertEquals(2f, a[1203]);
    }
}
