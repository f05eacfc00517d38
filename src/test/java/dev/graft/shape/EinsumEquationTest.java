package dev.graft.shape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EinsumDense's equations and shapes as Keras 3.15 derives them (the shapes Keras built in bench/keras_issue12_attention.py). */
class EinsumEquationTest {
    private static final List<Long> SEQ = Arrays.asList(null, 5L, 4L);

    @Test
    void plainEquationOnSequences() {
        EinsumEquation e = EinsumEquation.parse("abc,cd->abd", 3);
        List<Long> out = e.outputShape(SEQ, Arrays.asList(5L, 3L), "abc,cd->abd");
        assertEquals(Arrays.asList(null, 5L, 3L), out);
        assertArrayEquals(new long[] {4, 3}, e.kernelShape(SEQ, out));
        assertArrayEquals(new long[] {3}, e.biasShape("d", out));
    }

    @Test
    void ellipsesSpellOutTheAxesTheyStandFor() {
        EinsumEquation left = EinsumEquation.parse("...b,bc->...c", 3);
        assertEquals("01b", left.input());
        assertEquals(Arrays.asList(null, 5L, 3L), left.outputShape(SEQ, List.of(3L), "...b,bc->...c"));
        EinsumEquation right = EinsumEquation.parse("ab...,bc->ac...", 3);
        List<Long> out = right.outputShape(SEQ, List.of(3L), "ab...,bc->ac...");
        assertEquals(Arrays.asList(null, 3L, 4L), out);
        assertArrayEquals(new long[] {3, 1}, right.biasShape("c", out));   // Keras appends a 1 per right-elided axis
    }

    @Test
    void biasOverSomeAxesHasOnesElsewhere() {
        EinsumEquation e = EinsumEquation.parse("abc,bd->adc", 3);
        List<Long> out = e.outputShape(SEQ, Arrays.asList(6L, 4L), "abc,bd->adc");
        assertArrayEquals(new long[] {5, 6}, e.kernelShape(SEQ, out));
        assertArrayEquals(new long[] {6, 1}, e.biasShape("d", out));
        assertNull(e.biasShape(null, out));
    }

    @Test
    void refusesWhatKerasRefuses() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EinsumEquation.parse("ab,bc->ad", 2)).getMessage().contains("'d'"));
        assertThrows(IllegalArgumentException.class, () -> EinsumEquation.parse("abc,cd->abd", 2));
        assertThrows(IllegalArgumentException.class, () -> EinsumEquation.parse("ab->b", 2));
    }
}
