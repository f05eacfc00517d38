package dev.graft.shape;

import static dev.graft.shape.ShapeAssertions.assertShape;
import static dev.graft.shape.ShapeAssertions.error;
import static dev.graft.shape.ShapeAssertions.one;
import static dev.graft.shape.ShapeAssertions.s;
import static dev.graft.shape.ShapeAssertions.sn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.model.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MergeRulesTest {

    /** Keras's _compute_elemwise_op_output_shape: NumPy broadcasting over the sample axes. */
    @ParameterizedTest
    @ValueSource(strings = {"Add", "Multiply", "Average", "Maximum", "Minimum"})
    void elementwiseMergesBroadcast(String cls) {
        // wild/ctr_residual_add_tf224tf.h5: Add of two (None, 256)
        assertShape("(None, 256)", one(cls, "{'name': 'add', 'trainable': true, 'dtype': 'float32'}", s(256), s(256), s(256)));
        assertShape("(None, 10, 8)", one(cls, "{}", s(10, 8), s(1, 8)));
        assertShape("(None, 10, 8)", one(cls, "{}", s(10, 8), s(8)));
        assertShape("(None, 10, None)", one(cls, "{}", sn(10L, null), sn(10L, 8L)));
        assertEquals(cls + " cannot broadcast inputs (None, 10, 8) and (None, 10, 7) together",
                error(cls, "{}", s(10, 8), s(10, 7)));
    }

    @Test
    void batchIsKnownOnlyWhenTheInputsAgree() {
        assertShape("(4, 8)", one("Add", "{}", Shape.of(4L, 8L), Shape.of(null, 8L)));
        assertShape("(None, 8)", one("Add", "{}", Shape.of(4L, 8L), Shape.of(5L, 8L)));
    }

    @Test
    void subtractTakesTwo() {
        assertShape("(None, 20)", one("Subtract", "{'name': 'subtract', 'dtype': 'float32'}", s(20), s(20)));
        assertEquals("Subtract takes exactly two inputs, got 3", error("Subtract", "{}", s(20), s(20), s(20)));
    }

    @Test
    void concatenateSumsTheAxis() {
        // wild/parkinsons_hybrid_2in_concat_k38.h5 (Keras 3.8): Flatten output and Dense output, axis -1
        String k3 = "{'name': 'concatenate', 'trainable': true, 'dtype': {'module': 'keras', 'class_name': 'DTypePolicy',"
                + " 'config': {'name': 'float32'}, 'registered_name': null}, 'axis': -1}";
        assertShape("(None, 1184)", one("Concatenate", k3, s(64), s(1120)));
        assertShape("(None, 10, 7)", one("Concatenate", "{'axis': -1}", s(10, 3), s(10, 4)));
        assertShape("(None, 15, 4)", one("Concatenate", "{'axis': 1}", s(10, 4), s(5, 4)));
        assertShape("(None, 15, 4)", one("Concatenate", "{'axis': -2}", s(10, 4), s(5, 4)));
        assertShape("(None, 10, 12)", one("Concatenate", "{}", s(10, 4), s(10, 4), s(10, 4)));
        // an unknown concatenated axis makes the sum unknown
        assertShape("(None, None, 4)", one("Concatenate", "{'axis': 1}", sn(10L, 4L), sn(null, 4L)));
    }

    @Test
    void concatenateErrors() {
        assertEquals("Concatenate on axis -1 needs inputs that match on every other axis, got (None, 10, 3) and (None, 5, 4)",
                error("Concatenate", "{'axis': -1}", s(10, 3), s(5, 4)));
        assertEquals("Concatenate needs inputs of equal rank, got (None, 3) and (None, 10, 3)",
                error("Concatenate", "{'axis': -1}", s(3), s(10, 3)));
        assertEquals("Concatenate axis 0 is not a sample axis of inputs of rank 2 (None, 3) and (None, 3)",
                error("Concatenate", "{'axis': 0}", s(3), s(3)));
    }

    @Test
    void dotSumsOverTheGivenAxes() {
        // wild/twotower_nested_tfoplambda_tf212.h5: Dot(axes=1) of two (None, 32) towers
        assertShape("(None, 1)", one("Dot", "{'name': 'dot', 'trainable': true, 'dtype': 'float32', 'axes': 1,"
                + " 'normalize': false}", s(32), s(32)));
        // batched matrix product: (10, 4) . (4, 6) over axes (2, 1)
        assertShape("(None, 10, 6)", one("Dot", "{'axes': [2, 1]}", s(10, 4), s(4, 6)));
        assertShape("(None, 10, 5)", one("Dot", "{'axes': -1, 'normalize': true}", s(10, 4), s(5, 4)));
        assertEquals("Dot axes 1 pair dimensions of different sizes 32 and 16 in inputs (None, 32) and (None, 16)",
                error("Dot", "{'axes': 1}", s(32), s(16)));
        assertEquals("Dot takes exactly two inputs, got 1", error("Dot", "{'axes': 1}", s(32)));
        assertEquals("Dot: config has no 'axes'", error("Dot", "{}", s(32), s(32)));
    }

    @Test
    void keras1Merge() {
        assertShape("(None, 7)", one("Merge", "{'mode': 'concat', 'concat_axis': -1, 'mode_type': 'raw'}", s(3), s(4)));
        assertShape("(None, 5, 8)", one("Merge", "{'mode': 'concat', 'concat_axis': 1}", s(2, 8), s(3, 8)));
        for (String mode : new String[] {"sum", "mul", "ave", "max"}) {
            assertShape("(None, 8)", one("Merge", "{'mode': '" + mode + "'}", s(8), s(8)));
        }
        assertShape("(None, 1)", one("Merge", "{'mode': 'dot', 'dot_axes': 1}", s(8), s(8)));
        assertShape("(None, 1)", one("Merge", "{'mode': 'cos', 'dot_axes': [1, 1]}", s(8), s(8)));
        assertEquals("Merge mode 'sum' needs inputs of the same shape, got (None, 8) and (None, 4)",
                error("Merge", "{'mode': 'sum'}", s(8), s(4)));
        assertShape("(None, 3)", one("Merge", "{'mode': ['code'], 'mode_type': 'lambda', 'output_shape': [3],"
                + " 'output_shape_type': 'raw'}", s(8), s(8)));
        assertEquals("Merge: output shape cannot be known without running Python code (the layer's config declares"
                        + " no output_shape)",
                error("Merge", "{'mode': ['code'], 'mode_type': 'lambda', 'output_shape': null}", s(8), s(8)));
    }
}
