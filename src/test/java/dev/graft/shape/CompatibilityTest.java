package dev.graft.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.DType;
import dev.graft.model.Shape;
import dev.graft.shape.Compatibility.Result;
import dev.graft.shape.Compatibility.Verdict;
import org.junit.jupiter.api.Test;

/** The join verdicts: what joins directly, only for some data, through which bridge, or not at all. */
class CompatibilityTest {
    static final DType F = DType.FLOAT32;

    @Test
    void variableLengthMeetingAFixedOneJoinsOnlyForThatLength() {
        Result r = Compatibility.check(Shape.of(null, null, 8L), F, Shape.of(null, 16L, 8L), F);
        assertEquals(Verdict.LENGTH_DEPENDENT, r.verdict());
        assertTrue(r.fitsDirectly());
        assertNull(r.bridge());
        assertEquals("output (None, None, 8) joins input (None, 16, 8) only when the data has 16 steps; other lengths fail when the model runs",
                r.reason());
        // A fixed length into a variable one joins whatever the data.
        assertEquals(Verdict.DIRECT, Compatibility.check(Shape.of(null, 16L, 8L), F, Shape.of(null, null, 8L), F).verdict());
    }

    @Test
    void featureMapsIntoVectorsJoinThroughFlattenDense() {
        Result r = Compatibility.check(Shape.of(null, 4L, 4L, 3L), F, Shape.batchOf(10), F);
        assertEquals(Verdict.FLATTEN_DENSE, r.verdict());
        assertEquals("flatten,dense:10", r.bridge());
        assertTrue(r.joinsWithBridge());
        // Same element count: a reshape is enough.
        assertEquals("reshape", Compatibility.check(Shape.of(null, 4L, 4L, 3L), F, Shape.batchOf(48), F).bridge());
    }

    @Test
    void indexInputsTakeNoFloats() {
        Result r = Compatibility.check(Shape.batchOf(35), F, Shape.batchOf(35), F, true);
        assertEquals(Verdict.INCOMPATIBLE, r.verdict());
        assertFalse(r.joinable());
        assertTrue(Compatibility.check(Shape.batchOf(35), DType.INT32, Shape.batchOf(35), DType.INT32, true).fitsDirectly());
    }

    @Test
    void noBridgeIsNotJoinable() {
        Result r = Compatibility.check(Shape.batchOf(1), F, Shape.batchOf(32, 4), F);
        assertEquals(Verdict.INCOMPATIBLE, r.verdict());
        assertFalse(r.joinable());
    }
}
