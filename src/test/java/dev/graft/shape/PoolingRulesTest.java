package dev.graft.shape;

import static dev.graft.shape.ShapeAssertions.assertShape;
import static dev.graft.shape.ShapeAssertions.error;
import static dev.graft.shape.ShapeAssertions.one;
import static dev.graft.shape.ShapeAssertions.s;
import static dev.graft.shape.ShapeAssertions.sn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pooling: valid floor((L - p) / s) + 1, same ceil(L / s), strides default to the pool size. */
class PoolingRulesTest {

    @Test
    void maxPooling2dBothDataFormats() {
        // tfkeras__cnn2d_100.h5: pool 2, stride 2, valid: floor((26 - 2) / 2) + 1 = 13
        String tfKeras = "{'name': 'max_pooling2d_56', 'trainable': true, 'dtype': 'float32', 'pool_size': [2, 2],"
                + " 'padding': 'valid', 'strides': [2, 2], 'data_format': 'channels_last'}";
        assertShape("(None, 13, 13, 32)", one("MaxPooling2D", tfKeras, s(26, 26, 32)));
        assertShape("(None, 32, 13, 13)", one("MaxPooling2D",
                tfKeras.replace("channels_last", "channels_first"), s(32, 26, 26)));
        // odd length: floor((27 - 2) / 2) + 1 = 13 valid, ceil(27 / 2) = 14 same
        assertShape("(None, 13, 13, 1)", one("MaxPooling2D", tfKeras, s(27, 27, 1)));
        assertShape("(None, 14, 14, 1)", one("MaxPooling2D", tfKeras.replace("'valid'", "'same'"), s(27, 27, 1)));
    }

    @Test
    void stridesDefaultToThePoolSize() {
        // Keras 3 keras3-seed/ts_dense: MaxPooling1D pool 2, strides 2 on 32 steps -> 16
        assertShape("(None, 16, 16)", one("MaxPooling1D",
                "{'name': 'max_pooling1d', 'pool_size': [2], 'padding': 'valid', 'strides': [2], 'data_format': 'channels_last'}",
                s(32, 16)));
        // strides null: pool 3 -> floor((10 - 3) / 3) + 1 = 3
        assertShape("(None, 3, 4)", one("AveragePooling1D", "{'pool_size': 3, 'strides': null}", s(10, 4)));
        // nothing at all: Keras's default pool 2 -> 5
        assertShape("(None, 5, 5, 4)", one("AveragePooling2D", "{}", s(10, 10, 4)));
    }

    @Test
    void overlappingWindowsAndChannelsFirst1d() {
        // pool 3, stride 1: floor((10 - 3) / 1) + 1 = 8; stride 2: floor(7 / 2) + 1 = 4
        assertShape("(None, 8, 4)", one("MaxPooling1D", "{'pool_size': 3, 'strides': 1}", s(10, 4)));
        assertShape("(None, 4, 4)", one("MaxPooling1D",
                "{'pool_size': 3, 'strides': 2, 'data_format': 'channels_first'}", s(4, 10)));
    }

    @Test
    void pooling3d() {
        // valid 2/2 on 8: 4; same 2/2 on 3: ceil(3 / 2) = 2
        assertShape("(None, 4, 4, 4, 4)", one("MaxPooling3D",
                "{'pool_size': [2, 2, 2], 'padding': 'valid', 'strides': [2, 2, 2], 'data_format': 'channels_last'}",
                s(8, 8, 8, 4)));
        assertShape("(None, 4, 2, 2, 2)", one("AveragePooling3D",
                "{'pool_size': [2, 2, 2], 'padding': 'same', 'strides': null, 'data_format': 'channels_first'}",
                s(4, 3, 3, 3)));
    }

    /** keras/models/keras__simple__cnn_tf_model.h5 (Keras 1): border_mode and dim_ordering. */
    @Test
    void keras1Spellings() {
        assertShape("(None, 1, 1, 1)", one("MaxPooling2D",
                "{'name': 'maxpooling2d_1', 'trainable': true, 'dim_ordering': 'tf', 'pool_size': [5, 5],"
                        + " 'strides': [5, 5], 'border_mode': 'valid'}", s(5, 5, 1)));
        assertShape("(None, 2, 3, 3)", one("MaxPooling2D",
                "{'dim_ordering': 'th', 'pool_size': [2, 2], 'strides': null, 'border_mode': 'valid'}", s(2, 6, 7)));
        // pool_length 3, stride null -> stride 3: floor((10 - 3) / 3) + 1 = 3
        assertShape("(None, 3, 8)", one("MaxPooling1D",
                "{'pool_length': 3, 'stride': null, 'border_mode': 'valid'}", s(10, 8)));
        assertShape("(None, 5, 8)", one("AveragePooling1D",
                "{'pool_length': 2, 'stride': 2, 'border_mode': 'same'}", s(9, 8)));
    }

    @Test
    void unknownLengthsStayUnknown() {
        assertShape("(None, None, 8)", one("MaxPooling1D", "{'pool_size': 2}", sn(null, 8L)));
    }

    @Test
    void poolingErrors() {
        assertEquals("MaxPooling2D input (None, 1, 1, 4) is too small: spatial axis 1 would have size 0"
                        + " with pool size 2, stride 2 and 'valid' padding",
                error("MaxPooling2D", "{'pool_size': 2}", s(1, 1, 4)));
        assertEquals("MaxPooling1D cannot use 'causal' padding: pooling allows valid or same",
                error("MaxPooling1D", "{'padding': 'causal'}", s(10, 4)));
        assertEquals("MaxPooling2D needs a rank-4 input (batch, height, width, channels), got (None, 10, 4)",
                error("MaxPooling2D", "{}", s(10, 4)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GlobalMaxPooling2D", "GlobalAveragePooling2D", "GlobalMaxPool2D", "GlobalAvgPool2D"})
    void globalPooling2d(String cls) {
        assertShape("(None, 32)", one(cls, "{'data_format': 'channels_last'}", s(7, 7, 32)));
        assertShape("(None, 32)", one(cls, "{'data_format': 'channels_first'}", s(32, 7, 7)));
        assertShape("(None, 1, 1, 32)", one(cls, "{'data_format': 'channels_last', 'keepdims': true}", s(7, 7, 32)));
        assertShape("(None, 32, 1, 1)", one(cls, "{'data_format': 'channels_first', 'keepdims': true}", s(32, 7, 7)));
    }

    @Test
    void globalPooling1dAnd3d() {
        // wild/conv1d_gap_k36.h5 (Keras 3.6)
        String k3 = "{'name': 'global_average_pooling1d_7', 'trainable': true, 'dtype': {'module': 'keras',"
                + " 'class_name': 'DTypePolicy', 'config': {'name': 'float32'}, 'registered_name': null},"
                + " 'data_format': 'channels_last', 'keepdims': false}";
        assertShape("(None, 64)", one("GlobalAveragePooling1D", k3, s(58, 64)));
        assertShape("(None, 64)", one("GlobalAveragePooling1D", k3, sn(null, 64L)));
        assertShape("(None, 1, 64)", one("GlobalMaxPooling1D", "{'keepdims': true}", s(58, 64)));
        assertShape("(None, 64, 1)", one("GlobalMaxPooling1D",
                "{'keepdims': true, 'data_format': 'channels_first'}", s(64, 58)));
        assertShape("(None, 4)", one("GlobalMaxPooling3D", "{}", s(3, 3, 3, 4)));
        assertShape("(None, 4, 1, 1, 1)", one("GlobalAveragePooling3D",
                "{'keepdims': true, 'data_format': 'channels_first'}", s(4, 3, 3, 3)));
        assertEquals("GlobalAveragePooling1D needs a rank-3 input (batch, steps, channels), got (None, 64)",
                error("GlobalAveragePooling1D", "{}", s(64)));
    }
}
