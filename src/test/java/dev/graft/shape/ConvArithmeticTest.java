package dev.graft.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Expected values are worked out by hand from Keras's conv_utils formulas, quoted per test. */
class ConvArithmeticTest {

    @ParameterizedTest(name = "L={0} k={1} {2} s={3} d={4} -> {5}")
    @CsvSource({
        // valid: ceil((L - dk + 1) / s), dk = k + (k-1)(d-1)
        "28, 3, VALID, 1, 1, 26",   // 28-3+1 = 26
        "28, 3, VALID, 2, 1, 13",   // ceil(26/2) = 13
        "10, 3, VALID, 3, 1, 3",    // ceil(8/3) = 3
        "10, 3, VALID, 1, 2, 6",    // dk = 5, 10-5+1 = 6
        "10, 2, VALID, 1, 2, 8",    // dk = 3, 10-3+1 = 8
        "7, 7, VALID, 1, 1, 1",     // kernel as long as the input
        // same and causal: ceil(L / s)
        "28, 3, SAME, 1, 1, 28",
        "28, 3, SAME, 2, 1, 14",
        "27, 3, SAME, 2, 1, 14",    // ceil(27/2)
        "10, 4, SAME, 3, 1, 4",     // ceil(10/3)
        "10, 3, CAUSAL, 2, 1, 5",
        "10, 3, CAUSAL, 1, 2, 10",
        // full (Keras 1): ceil((L + dk - 1) / s)
        "10, 3, FULL, 1, 1, 12",
        "10, 3, FULL, 2, 1, 6",
    })
    void convOutputLength(long in, long k, Padding p, long s, long d, long expected) {
        assertEquals(expected, ConvArithmetic.convOutputLength(in, k, p, s, d));
    }

    @ParameterizedTest(name = "L={0} k={1} {2} op={3} s={4} d={5} -> {6}")
    @CsvSource({
        // no output_padding: valid L*s + max(dk - s, 0); same L*s
        "5, 3, VALID, , 1, 1, 7",    // 5 + 2
        "5, 3, VALID, , 2, 1, 11",   // 10 + 1
        "5, 2, VALID, , 3, 1, 15",   // 15 + max(-1, 0)
        "5, 3, VALID, , 1, 2, 9",    // dk = 5: 5 + 4
        "5, 3, SAME, , 2, 1, 10",
        "5, 3, FULL, , 2, 1, 7",     // L*s - (s + dk - 2) = 10 - 3
        // with output_padding: (L-1)*s + dk - 2*pad + op, pad = dk//2 (same), 0 (valid)
        "5, 3, SAME, 1, 2, 1, 10",   // 8 + 3 - 2 + 1
        "5, 3, SAME, 0, 2, 1, 9",    // 8 + 3 - 2 + 0
        "5, 3, VALID, 1, 2, 1, 12",  // 8 + 3 + 1
        "5, 4, SAME, 1, 2, 1, 9",    // 8 + 4 - 4 + 1
    })
    void deconvOutputLength(long in, long k, Padding p, Long op, long s, long d, long expected) {
        assertEquals(expected, ConvArithmetic.deconvOutputLength(in, k, p, op, s, d));
    }

    @ParameterizedTest(name = "L={0} p={1} {2} s={3} -> {4}")
    @CsvSource({
        // valid: floor((L - p) / s) + 1; same: ceil(L / s)
        "28, 2, VALID, 2, 14",
        "27, 2, VALID, 2, 13",   // floor(25/2) + 1
        "10, 3, VALID, 1, 8",
        "10, 3, VALID, 2, 4",    // floor(7/2) + 1
        "27, 2, SAME, 2, 14",
        "10, 3, SAME, 3, 4",
    })
    void poolOutputLength(long in, long pool, Padding p, long s, long expected) {
        assertEquals(expected, ConvArithmetic.poolOutputLength(in, pool, p, s));
    }

    @Test
    void unknownLengthsStayUnknown() {
        assertNull(ConvArithmetic.convOutputLength(null, 3, Padding.VALID, 1, 1));
        assertNull(ConvArithmetic.deconvOutputLength(null, 3, Padding.SAME, 1L, 2, 1));
        assertNull(ConvArithmetic.poolOutputLength(null, 2, Padding.VALID, 2));
    }
}
