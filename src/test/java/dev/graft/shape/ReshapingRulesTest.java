package dev.graft.shape;

import static dev.graft.shape.ShapeAssertions.assertShape;
import static dev.graft.shape.ShapeAssertions.error;
import static dev.graft.shape.ShapeAssertions.one;
import static dev.graft.shape.ShapeAssertions.s;
import static dev.graft.shape.ShapeAssertions.sn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.model.Shape;
import org.junit.jupiter.api.Test;

class ReshapingRulesTest {

    @Test
    void flattenMultipliesTheSampleAxes() {
        assertShape("(None, 1600)", one("Flatten", "{'name': 'flatten', 'data_format': 'channels_last'}", s(5, 5, 64)));
        // the data format only reorders the elements
        assertShape("(None, 1600)", one("Flatten", "{'data_format': 'channels_first'}", s(64, 5, 5)));
        // keras/io/simple_flatten_rnn_tf_keras_2: Keras 2 config with no data_format
        assertShape("(None, 80)", one("Flatten", "{'trainable': true, 'name': 'flatten_1'}", s(10, 8)));
        assertShape("(None, None)", one("Flatten", "{}", sn(null, 8L)));
        assertShape("(None, 1)", one("Flatten", "{}", Shape.batchOf()));
        assertShape("(16, 6)", one("Flatten", "{}", Shape.of(16L, 2L, 3L)));
    }

    @Test
    void reshapeWithKnownAndMinusOneTargets() {
        // keras3-seed ts_reshape: Reshape((32, 8)) on 256 values
        assertShape("(None, 32, 8)", one("Reshape", "{'name': 'reshape', 'target_shape': [32, 8]}", s(256)));
        // -1 solved from the element count: 256 / 8 = 32
        assertShape("(None, 32, 8)", one("Reshape", "{'target_shape': [-1, 8]}", s(16, 16)));
        assertShape("(None, 4, 2, 3)", one("Reshape", "{'target_shape': [4, -1, 3]}", s(24)));
        // unknown input: the -1 stays unknown, the rest is kept
        assertShape("(None, None, 8)", one("Reshape", "{'target_shape': [-1, 8]}", sn(null, 16L)));
        // examples__deepfm: Reshape((1,)) on one value
        assertShape("(None, 1)", one("Reshape", "{'name': 'reshape_3', 'target_shape': [1]}", s(1)));
    }

    @Test
    void reshapeErrors() {
        assertEquals("Reshape cannot reshape (None, 16, 16) (256 values per sample) to target_shape (30, 8) (240 values)",
                error("Reshape", "{'target_shape': [30, 8]}", s(16, 16)));
        assertEquals("Reshape cannot reshape (None, 10) (10 values per sample) to target_shape (-1, 3):"
                        + " 10 is not a multiple of 3",
                error("Reshape", "{'target_shape': [-1, 3]}", s(10)));
        assertEquals("Reshape target_shape [-1, -1] has more than one unknown (-1) dimension",
                error("Reshape", "{'target_shape': [-1, -1]}", s(10)));
        assertEquals("Reshape: config has no 'target_shape'", error("Reshape", "{}", s(10)));
    }

    @Test
    void permuteNumbersSampleAxesFromOne() {
        assertShape("(None, 64, 10)", one("Permute", "{'dims': [2, 1]}", s(10, 64)));
        assertShape("(None, 3, 1, 2)", one("Permute", "{'dims': [3, 1, 2]}", s(1, 2, 3)));
        assertShape("(None, 64, None)", one("Permute", "{'dims': [2, 1]}", sn(null, 64L)));
        assertEquals("Permute dims [0, 1] must be a permutation of 1..2 for input (None, 10, 64)",
                error("Permute", "{'dims': [0, 1]}", s(10, 64)));
        assertEquals("Permute dims [1, 1] must be a permutation of 1..2 for input (None, 10, 64)",
                error("Permute", "{'dims': [1, 1]}", s(10, 64)));
    }

    @Test
    void repeatVector() {
        // tfkeras__rnn_122.h5 style: RepeatVector(n) after an LSTM
        assertShape("(None, 5, 32)", one("RepeatVector", "{'name': 'repeat_vector', 'trainable': true, 'n': 5}", s(32)));
        assertEquals("RepeatVector needs a rank-2 input (batch, features), got (None, 5, 32)",
                error("RepeatVector", "{'n': 5}", s(5, 32)));
    }
}
