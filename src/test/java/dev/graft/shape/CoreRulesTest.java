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

class CoreRulesTest {

    @Test
    void inputLayerReadsItsDeclaredShape() {
        // Keras 3 (batch_shape), Keras 2 (batch_input_shape), hand-written (input_shape + batch_size)
        assertShape("(None, 32, 4)", one("InputLayer", "{'batch_shape': [null, 32, 4], 'dtype': 'float32',"
                + " 'sparse': false, 'ragged': false, 'name': 'input_layer_6', 'optional': false}"));
        assertShape("(None, 14)", one("InputLayer", "{'batch_input_shape': [null, 14], 'dtype': 'float32',"
                + " 'sparse': false, 'ragged': false, 'name': 'input_1'}"));
        assertShape("(16, 10, None)", one("InputLayer", "{'input_shape': [10, null], 'batch_size': 16}"));
        assertEquals("InputLayer: config has no 'batch_shape' (nor 'batch_input_shape', 'input_shape')",
                error("InputLayer", "{'name': 'x'}"));
    }

    @Test
    void denseReplacesTheLastAxis() {
        // keras3-seed/seed_ex1_first: Dense(64) on 10 features
        assertShape("(None, 64)", one("Dense", "{'name': 'dense', 'trainable': true, 'dtype': {'module': 'keras',"
                + " 'class_name': 'DTypePolicy', 'config': {'name': 'float32'}, 'registered_name': null},"
                + " 'units': 64, 'activation': 'relu', 'use_bias': true, 'quantization_config': null}", s(10)));
        // Keras 2+: leading axes pass through (keras3-seed/ts_dense: per-step Dense(8) on 16 x 16)
        assertShape("(None, 16, 8)", one("Dense", "{'units': 8}", s(16, 16)));
        assertShape("(None, None, 8)", one("Dense", "{'units': 8}", sn(null, 16L)));
        // keras/io/simple_lstm_th_keras_1_model.h5: Keras 1 names units 'output_dim'
        assertShape("(None, 1)", one("Dense", "{'W_constraint': null, 'b_constraint': null, 'name': 'dense_1',"
                + " 'activity_regularizer': null, 'trainable': true, 'init': 'glorot_uniform', 'bias': true,"
                + " 'input_dim': 50, 'b_regularizer': null, 'W_regularizer': null, 'activation': 'linear',"
                + " 'output_dim': 1}", s(50)));
    }

    @Test
    void denseErrors() {
        assertEquals("Dense needs a known last (features) dimension to size its weights, got (None, None)",
                error("Dense", "{'units': 8}", sn((Long) null)));
        assertEquals("Dense needs an input of rank 2 or more (batch, ..., features), got (None,)",
                error("Dense", "{'units': 8}", Shape.batchOf()));
        assertEquals("Dense: config has no 'units' (nor 'output_dim')", error("Dense", "{}", s(8)));
        assertEquals("Dense: 'units' should be an integer, got \"many\"", error("Dense", "{'units': 'many'}", s(8)));
    }

    @Test
    void keras1MaxoutDense() {
        assertShape("(None, 16)", one("MaxoutDense", "{'output_dim': 16, 'nb_feature': 4}", s(8)));
    }

    @Test
    void embeddingAppendsTheEmbeddingAxis() {
        // wild/spam_embedding_gru_k3132.keras (Keras 3.13): no input_length, takes the input's length
        String k3 = "{'name': 'embedding_6', 'trainable': true, 'dtype': {'module': 'keras', 'class_name': 'DTypePolicy',"
                + " 'config': {'name': 'float32'}, 'registered_name': null}, 'input_dim': 5000, 'output_dim': 32,"
                + " 'mask_zero': true, 'quantization_config': null}";
        assertShape("(None, 500, 32)", one("Embedding", k3, s(500)));
        assertShape("(None, None, 32)", one("Embedding", k3, sn((Long) null)));
        assertShape("(None, 4, 5, 32)", one("Embedding", k3, s(4, 5)));
    }

    @Test
    void embeddingInputLengthFillsUnknownLengths() {
        // examples__deepfm: Keras 2, batch_input_shape (None, None), input_length null
        String deepfm = "{'name': 'cat_embed_2d_genre', 'trainable': true, 'batch_input_shape': [null, null],"
                + " 'dtype': 'float32', 'input_dim': 15, 'output_dim': 20, 'mask_zero': false, 'input_length': null}";
        assertShape("(None, None, 20)", one("Embedding", deepfm, sn((Long) null)));
        String fixed = "{'input_dim': 89, 'output_dim': 64, 'input_length': 85}";
        assertShape("(None, 85, 64)", one("Embedding", fixed, sn((Long) null)));
        assertShape("(None, 85, 64)", one("Embedding", fixed, s(85)));
        assertShape("(None, 3, 7, 8)", one("Embedding", "{'output_dim': 8, 'input_length': [3, null]}", sn(null, 7L)));
        assertEquals("Embedding input_length is 85, but the input has shape (None, 40)",
                error("Embedding", fixed, s(40)));
        assertEquals("Embedding input_length is 85, but the input has shape (None, 5, 85)",
                error("Embedding", fixed, s(5, 85)));
    }

    /** One rule for every layer that keeps its input's shape. */
    @ParameterizedTest
    @ValueSource(strings = {"Activation", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
        "AlphaDropout", "GaussianNoise", "GaussianDropout", "ActivityRegularization", "Masking",
        "BatchNormalization", "LayerNormalization", "UnitNormalization", "GroupNormalization", "Normalization",
        "Rescaling", "ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax", "Identity", "Highway"})
    void identityLayersKeepTheShape(String cls) {
        assertShape("(None, 10, None, 3)", one(cls, "{'rate': 0.5, 'axis': -1}", sn(10L, null, 3L)));
        assertShape("(4, 7)", one(cls, "{}", Shape.of(4L, 7L)));
        assertEquals(cls + " takes one input, got 2", error(cls, "{}", s(3), s(3)));
    }

    @Test
    void realIdentityConfigs() {
        // examples__12net.h5: PReLU with shared_axes; examples__masking__masking_two_lstm.h5: Masking
        assertShape("(None, 10, 10, 10)", one("PReLU", "{'trainable': true, 'shared_axes': [1, 2], 'name': 'PReLU1'}",
                s(10, 10, 10)));
        assertShape("(None, 10, 42)", one("Masking", "{'dtype': 'float32', 'mask_value': 2.0, 'name': 'masking_2',"
                + " 'batch_input_shape': [null, 10, 42], 'trainable': true}", s(10, 42)));
        // Keras 1 Dropout spells the rate 'p'
        assertShape("(None, 8)", one("Dropout", "{'p': 0.25, 'name': 'dropout_1', 'trainable': true}", s(8)));
    }
}
