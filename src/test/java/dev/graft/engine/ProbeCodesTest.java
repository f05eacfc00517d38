package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProbeCodesTest {
    @Test
    void everyIndexBelowTwoToThe24IsItsOwnFloat32Code() {
        ProbeCodes c = new ProbeCodes(ProbeCodes.FLOAT32_EXACT);
        assertEquals(1, c.rounds((1L << 24)));
        assertEquals(2, c.rounds((1L << 24) + 1));
        for (long k : new long[] {0, 1, 12345, (1L << 24) - 2, (1L << 24) - 1}) {
            float code = c.code(k, 0);
            assertEquals(k, c.digit(code), "code of " + k);
        }
    }

    @Test
    void constantsAndComputedValuesAreNotCodes() {
        ProbeCodes c = new ProbeCodes(ProbeCodes.FLOAT32_EXACT);
        for (double v : new double[] {0, 1, -0.5, 0.001, Double.NaN, Double.NEGATIVE_INFINITY, -(1L << 24) - 1}) {
            assertEquals(-1, c.digit(v), "value " + v);
        }
    }

    @Test
    void largeIndicesAreCarriedDigitByDigit() {
        ProbeCodes c = new ProbeCodes(10);
        assertEquals(3, c.rounds(1000));
        assertEquals(4, c.rounds(1001));
        long k = 472;
        long decoded = 0;
        for (int r = 0; r < 3; r++) decoded += c.digit(c.code(k, r)) * c.scale(r);
        assertEquals(k, decoded);
    }

    @Test
    void float16RoundingIsToNearestEven() {
        assertEquals(1.0f, LayerMapping.roundToHalf(1.0f));
        assertEquals(1.0f, LayerMapping.roundToHalf(1.0f + 0.00048828125f)); // half of the ulp 2^-10: tie to even
        assertEquals(1.0009765625f, LayerMapping.roundToHalf(1.0f + 0.0005f));
        assertEquals(0.333251953125f, LayerMapping.roundToHalf(1f / 3));
        assertEquals(65504f, LayerMapping.roundToHalf(65519f));
        assertEquals(Float.POSITIVE_INFINITY, LayerMapping.roundToHalf(65520f));
        assertEquals(5.9604645e-8f, LayerMapping.roundToHalf(5e-8f)); // smallest subnormal
        assertEquals(-0.0f, LayerMapping.roundToHalf(-1e-9f));
    }
}
