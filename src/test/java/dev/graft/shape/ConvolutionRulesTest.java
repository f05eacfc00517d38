package dev.graft.shape;

import static dev.graft.shape.ShapeAssertions.assertShape;
import static dev.graft.shape.ShapeAssertions.error;
import static dev.graft.shape.ShapeAssertions.one;
import static dev.graft.shape.ShapeAssertions.s;
import static dev.graft.shape.ShapeAssertions.sn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConvolutionRulesTest {

    /**
     * The keras/io/*conv1d* fixtures: Keras 2.3.1 Conv1D layers (filters 4) on 16 steps x 3
     * channels, and the output shape Keras itself produced (their activations/conv0 datasets).
     */
    @ParameterizedTest(name = "k={0} s={1} d={2} {3} {4} -> {5}")
    @CsvSource(delimiter = ';', value = {
        "2; 3; 1; causal; channels_last;  (None, 6, 4)",
        "3; 1; 2; causal; channels_last;  (None, 16, 4)",
        "4; 2; 1; causal; channels_last;  (None, 8, 4)",
        "2; 1; 1; valid;  channels_first; (None, 4, 15)",
        "2; 1; 2; valid;  channels_first; (None, 4, 14)",
        "2; 1; 2; valid;  channels_last;  (None, 14, 4)",
        "2; 3; 1; same;   channels_last;  (None, 6, 4)",
        "2; 3; 1; valid;  channels_first; (None, 4, 5)",
        "3; 1; 2; same;   channels_first; (None, 4, 16)",
        "3; 1; 2; valid;  channels_first; (None, 4, 12)",
        "3; 2; 1; valid;  channels_last;  (None, 7, 4)",
        "4; 1; 2; valid;  channels_last;  (None, 10, 4)",
        "4; 3; 1; same;   channels_first; (None, 4, 6)",
        "4; 3; 1; valid;  channels_first; (None, 4, 5)",
    })
    void conv1dMatchesWhatKerasComputedForTheIoFixtures(int k, int stride, int dilation, String padding,
                                                        String format, String expected) {
        String config = "{'name': 'conv0', 'trainable': true, 'dtype': 'float32', 'filters': 4,"
                + " 'kernel_size': [" + k + "], 'strides': [" + stride + "], 'padding': '" + padding + "',"
                + " 'data_format': '" + format + "', 'dilation_rate': [" + dilation + "], 'activation': 'tanh'}";
        var input = format.equals("channels_last") ? s(16, 3) : s(3, 16);
        assertShape(expected, one("Conv1D", config, input));
    }

    @Test
    void conv2dValidAndSameInBothDataFormats() {
        // valid: 28 - 3 + 1 = 26; same: ceil(28 / 1) = 28
        assertShape("(None, 26, 26, 32)", one("Conv2D",
                "{'filters': 32, 'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'valid', 'data_format': 'channels_last'}",
                s(28, 28, 1)));
        assertShape("(None, 32, 26, 26)", one("Conv2D",
                "{'filters': 32, 'kernel_size': [3, 3], 'padding': 'valid', 'data_format': 'channels_first'}",
                s(1, 28, 28)));
        assertShape("(None, 28, 28, 8)", one("Conv2D",
                "{'filters': 8, 'kernel_size': 3, 'padding': 'same', 'data_format': 'channels_last'}",
                s(28, 28, 1)));
    }

    @Test
    void conv2dWithStridesAndDilationPerAxis() {
        // rows: valid, dk = 3 + 2*(2-1) = 5 -> ceil((20 - 5 + 1) / 2) = 8
        // cols: valid, dk = 5, dilation 1 -> ceil((15 - 5 + 1) / 3) = 4
        assertShape("(None, 8, 4, 6)", one("Conv2D",
                "{'filters': 6, 'kernel_size': [3, 5], 'strides': [2, 3], 'dilation_rate': [2, 1],"
                        + " 'padding': 'valid', 'data_format': 'channels_last'}",
                s(20, 15, 3)));
        // same: ceil(27 / 2) = 14 on both axes
        assertShape("(None, 14, 14, 4)", one("Conv2D",
                "{'filters': 4, 'kernel_size': 3, 'strides': 2, 'padding': 'same'}", s(27, 27, 3)));
    }

    @Test
    void conv3dInBothDataFormats() {
        // valid: 10 - 3 + 1 = 8 on every axis; strides 2 -> ceil(8 / 2) = 4
        assertShape("(None, 8, 8, 8, 4)", one("Conv3D",
                "{'filters': 4, 'kernel_size': [3, 3, 3], 'strides': [1, 1, 1], 'padding': 'valid',"
                        + " 'data_format': 'channels_last', 'dilation_rate': [1, 1, 1]}",
                s(10, 10, 10, 3)));
        assertShape("(None, 4, 4, 4, 4)", one("Conv3D",
                "{'filters': 4, 'kernel_size': 3, 'strides': 2, 'padding': 'valid', 'data_format': 'channels_first'}",
                s(3, 10, 10, 10)));
    }

    @Test
    void unknownSpatialDimensionsStayUnknown() {
        assertShape("(None, None, 16)", one("Conv1D",
                "{'filters': 16, 'kernel_size': 3, 'padding': 'same'}", sn(null, 8L)));
        assertShape("(None, None, 16)", one("Conv1D",
                "{'filters': 16, 'kernel_size': 3, 'padding': 'valid', 'strides': 2}", sn(null, 8L)));
        assertShape("(None, 16, None, 26)", one("Conv2D",
                "{'filters': 16, 'kernel_size': 3, 'data_format': 'channels_first'}", sn(3L, null, 28L)));
    }

    @Test
    void batchSizeIsKept() {
        assertShape("(32, 26, 26, 8)", one("Conv2D", "{'filters': 8, 'kernel_size': 3}",
                dev.graft.model.Shape.of(32L, 28L, 28L, 1L)));
    }

    /** keras/models/keras__simple__cnn_tf_model.h5, written by Keras 1. */
    @Test
    void keras1Convolution2dSpelling() {
        String config = "{'name': 'convolution2d_1', 'trainable': true, 'dim_ordering': 'tf', 'nb_col': 2,"
                + " 'subsample': [1, 1], 'init': 'glorot_uniform', 'bias': true, 'nb_filter': 2,"
                + " 'input_dtype': 'float32', 'border_mode': 'valid', 'batch_input_shape': [null, 8, 8, 3],"
                + " 'activation': 'sigmoid', 'nb_row': 3}";
        // rows 8 - 3 + 1 = 6, cols 8 - 2 + 1 = 7
        assertShape("(None, 6, 7, 2)", one("Convolution2D", config, s(8, 8, 3)));
        // The same layer saved by a Theano user: dim_ordering 'th' puts channels first.
        String th = config.replace("'tf'", "'th'").replace("[null, 8, 8, 3]", "[null, 3, 8, 8]");
        assertShape("(None, 2, 6, 7)", one("Convolution2D", th, s(3, 8, 8)));
        // subsample (2, 2), border_mode same: ceil(8 / 2) = 4
        assertShape("(None, 2, 4, 4)", one("Convolution2D",
                th.replace("[1, 1]", "[2, 2]").replace("'valid'", "'same'"), s(3, 8, 8)));
    }

    @Test
    void keras1Convolution1dAndAtrousSpellings() {
        // filter_length 3, subsample_length 2, valid: ceil((20 - 3 + 1) / 2) = 9
        assertShape("(None, 9, 64)", one("Convolution1D",
                "{'nb_filter': 64, 'filter_length': 3, 'border_mode': 'valid', 'subsample_length': 2}", s(20, 10)));
        // atrous_rate 2: dk = 5, valid: 20 - 5 + 1 = 16
        assertShape("(None, 16, 8)", one("AtrousConvolution1D",
                "{'nb_filter': 8, 'filter_length': 3, 'atrous_rate': 2, 'border_mode': 'valid'}", s(20, 10)));
        // atrous_rate (2, 2) on 3x3: dk = 5, 12 - 5 + 1 = 8
        assertShape("(None, 8, 8, 8)", one("AtrousConvolution2D",
                "{'nb_filter': 8, 'nb_row': 3, 'nb_col': 3, 'atrous_rate': [2, 2], 'border_mode': 'valid',"
                        + " 'subsample': [1, 1], 'dim_ordering': 'tf'}", s(12, 12, 3)));
        // full (Theano): 10 + 3 - 1 = 12
        assertShape("(None, 12, 5)", one("Convolution1D",
                "{'nb_filter': 5, 'filter_length': 3, 'border_mode': 'full'}", s(10, 2)));
        // Convolution3D: kernel_dim1..3 = 3, 2, 1 on 6x6x6: 4, 5, 6
        assertShape("(None, 7, 4, 5, 6)", one("Convolution3D",
                "{'nb_filter': 7, 'kernel_dim1': 3, 'kernel_dim2': 2, 'kernel_dim3': 1, 'border_mode': 'valid',"
                        + " 'subsample': [1, 1, 1], 'dim_ordering': 'th'}", s(2, 6, 6, 6)));
    }

    /** wild/conv1d_gap_k36.h5 style Keras 3 config: dtype is a DTypePolicy object, lists everywhere. */
    @Test
    void keras3Conv1dWithDTypePolicy() {
        String config = "{'name': 'conv1d', 'trainable': true, 'dtype': {'module': 'keras', 'class_name': 'DTypePolicy',"
                + " 'config': {'name': 'float32'}, 'registered_name': null}, 'filters': 16, 'kernel_size': [3],"
                + " 'strides': [1], 'padding': 'same', 'data_format': 'channels_last', 'dilation_rate': [1],"
                + " 'groups': 1, 'activation': 'relu', 'use_bias': true, 'kernel_initializer': {'module':"
                + " 'keras.initializers', 'class_name': 'GlorotUniform', 'config': {'seed': null}, 'registered_name': null}}";
        // keras3-seed/ts_dense_first: Conv1D same on 32 steps x 4 channels -> 32 x 16
        assertShape("(None, 32, 16)", one("Conv1D", config, s(32, 4)));
    }

    @Test
    void groupsMustDivideTheChannels() {
        assertShape("(None, 8, 6)", one("Conv1D", "{'filters': 6, 'kernel_size': 3, 'groups': 2}", s(10, 4)));
        assertEquals("Conv1D has 3 groups, which must divide the 4 input channels of (None, 10, 4)",
                error("Conv1D", "{'filters': 6, 'kernel_size': 3, 'groups': 3}", s(10, 4)));
    }

    @Test
    void separableAndDepthwise() {
        // SeparableConv2D: like Conv2D, 'filters' output channels; same padding keeps 13x13
        assertShape("(None, 13, 13, 4)", one("SeparableConv2D",
                "{'filters': 4, 'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'same',"
                        + " 'data_format': 'channels_last', 'dilation_rate': [1, 1], 'depth_multiplier': 1}",
                s(13, 13, 3)));
        assertShape("(None, 8, 4)", one("SeparableConv1D",
                "{'filters': 4, 'kernel_size': 3, 'padding': 'valid', 'depth_multiplier': 2}", s(10, 3)));
        // DepthwiseConv2D: channels x depth_multiplier = 3 x 2; valid 10 - 3 + 1 = 8
        assertShape("(None, 8, 8, 6)", one("DepthwiseConv2D",
                "{'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'valid', 'data_format': 'channels_last',"
                        + " 'dilation_rate': [1, 1], 'depth_multiplier': 2}", s(10, 10, 3)));
        assertShape("(None, 3, 5, 5)", one("DepthwiseConv2D",
                "{'kernel_size': 3, 'strides': 2, 'padding': 'same', 'data_format': 'channels_first'}", s(3, 10, 10)));
        assertShape("(None, 8, 3)", one("DepthwiseConv1D", "{'kernel_size': 3}", s(10, 3)));
    }

    @Test
    void transposedConvolutions() {
        // deconv_output_length without output_padding: same L*s = 7*2, valid L*s + max(k - s, 0) = 14 + 1
        assertShape("(None, 14, 14, 4)", one("Conv2DTranspose",
                "{'filters': 4, 'kernel_size': [3, 3], 'strides': [2, 2], 'padding': 'same',"
                        + " 'data_format': 'channels_last', 'dilation_rate': [1, 1], 'output_padding': null}",
                s(7, 7, 8)));
        assertShape("(None, 4, 15, 15)", one("Conv2DTranspose",
                "{'filters': 4, 'kernel_size': 3, 'strides': 2, 'padding': 'valid', 'data_format': 'channels_first'}",
                s(8, 7, 7)));
        // with output_padding, same: (L-1)*s + k - 2*(k//2) + op: rows 12 + 3 - 2 + 1 = 14, cols 14 + 3 - 2 + 1 = 16
        assertShape("(None, 14, 16, 4)", one("Conv2DTranspose",
                "{'filters': 4, 'kernel_size': 3, 'strides': 2, 'padding': 'same', 'output_padding': [1, 1]}",
                s(7, 8, 8)));
        // valid, output_padding 0: (L-1)*s + k = 12 + 3
        assertShape("(None, 15, 2)", one("Conv1DTranspose",
                "{'filters': 2, 'kernel_size': 3, 'strides': 2, 'padding': 'valid', 'output_padding': 0}", s(7, 8)));
        // Conv3DTranspose stride 1 valid: L + k - 1 = 4 + 2
        assertShape("(None, 6, 6, 6, 5)", one("Conv3DTranspose",
                "{'filters': 5, 'kernel_size': 3, 'padding': 'valid'}", s(4, 4, 4, 2)));
        // Deconvolution2D is a Keras 2 alias for Conv2DTranspose
        assertShape("(None, 14, 14, 4)", one("Deconvolution2D",
                "{'filters': 4, 'kernel_size': 3, 'strides': 2, 'padding': 'same'}", s(7, 7, 8)));
        // unknown stays unknown
        assertShape("(None, None, 14, 4)", one("Conv2DTranspose",
                "{'filters': 4, 'kernel_size': 3, 'strides': 2, 'padding': 'same'}", sn(null, 7L, 8L)));
    }

    @Test
    void keras1Deconvolution2dUsesItsDeclaredOutputShape() {
        assertShape("(None, 14, 14, 3)", one("Deconvolution2D",
                "{'nb_filter': 3, 'nb_row': 3, 'nb_col': 3, 'output_shape': [null, 14, 14, 3],"
                        + " 'border_mode': 'same', 'subsample': [2, 2], 'dim_ordering': 'tf'}", s(7, 7, 8)));
    }

    @Test
    void outputPaddingMustBeSmallerThanTheStride() {
        assertEquals("Conv2DTranspose output_padding 2 must be smaller than the stride 2",
                error("Conv2DTranspose", "{'filters': 4, 'kernel_size': 3, 'strides': 2, 'padding': 'same',"
                        + " 'output_padding': 2}", s(7, 7, 8)));
    }

    /** tfkeras__cnn2d_93.h5: its kernel (64, 27, 4) has one row per output position, 8 x 8. */
    @Test
    void locallyConnected() {
        assertShape("(None, 8, 8, 4)", one("LocallyConnected2D",
                "{'filters': 4, 'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'valid',"
                        + " 'data_format': 'channels_last', 'implementation': 1}", s(10, 10, 3)));
        assertShape("(None, 4, 4, 11)", one("LocallyConnected2D",
                "{'filters': 4, 'kernel_size': [3, 3], 'strides': [2, 1], 'padding': 'valid',"
                        + " 'data_format': 'channels_first'}", s(8, 9, 13)));
        assertShape("(None, 4, 6)", one("LocallyConnected1D",
                "{'nb_filter': 6, 'filter_length': 3, 'subsample_length': 2, 'border_mode': 'valid'}", s(9, 2)));
        assertEquals("LocallyConnected2D needs known spatial dimensions (it has one set of weights per position),"
                        + " got (None, None, 10, 3)",
                error("LocallyConnected2D", "{'filters': 4, 'kernel_size': 3}", sn(null, 10L, 3L)));
    }

    @Test
    void wrongRankNamesTheExpectedLayout() {
        assertEquals("Conv2D needs a rank-4 input (batch, height, width, channels), got (None, 32)",
                error("Conv2D", "{'filters': 8, 'kernel_size': 3}", s(32)));
        assertEquals("Conv2D needs a rank-4 input (batch, channels, height, width), got (None, 32)",
                error("Conv2D", "{'filters': 8, 'kernel_size': 3, 'data_format': 'channels_first'}", s(32)));
        assertEquals("Conv1D needs a rank-3 input (batch, steps, channels), got (None, 28, 28, 1)",
                error("Conv1D", "{'filters': 8, 'kernel_size': 3}", s(28, 28, 1)));
        assertEquals("Conv3D needs a rank-5 input (batch, depth, height, width, channels), got (None, 28, 28, 1)",
                error("Conv3D", "{'filters': 8, 'kernel_size': 3}", s(28, 28, 1)));
    }

    @Test
    void otherInputErrors() {
        assertEquals("Conv2D input (None, 3, 3, 1) is too small: spatial axis 1 would have size -1"
                        + " with kernel 5, stride 1, dilation 1 and 'valid' padding",
                error("Conv2D", "{'filters': 8, 'kernel_size': 5}", s(3, 3, 1)));
        assertEquals("Conv2D needs a known channels dimension to size its weights, got (None, 28, 28, None)",
                error("Conv2D", "{'filters': 8, 'kernel_size': 3}", sn(28L, 28L, null)));
        assertEquals("Conv2D cannot use 'causal' padding: only 1D convolutions can",
                error("Conv2D", "{'filters': 8, 'kernel_size': 3, 'padding': 'causal'}", s(28, 28, 1)));
        assertEquals("Conv2D takes one input, got 2",
                error("Conv2D", "{'filters': 8, 'kernel_size': 3}", s(28, 28, 1), s(28, 28, 1)));
    }

    @Test
    void configErrors() {
        assertEquals("Conv2D: config has no 'filters' (nor 'nb_filter')",
                error("Conv2D", "{'kernel_size': 3}", s(28, 28, 1)));
        assertEquals("Conv2D: config has no 'nb_row'",
                error("Conv2D", "{'filters': 8}", s(28, 28, 1)));
        assertEquals("Conv2D: 'kernel_size' should have 2 entries, got [3,3,3]",
                error("Conv2D", "{'filters': 8, 'kernel_size': [3, 3, 3]}", s(28, 28, 1)));
        assertEquals("Conv2D: unknown padding 'reflect' (expected valid, same, causal or full)",
                error("Conv2D", "{'filters': 8, 'kernel_size': 3, 'padding': 'reflect'}", s(28, 28, 1)));
        assertEquals("Conv2D: unknown data format 'NHWC' (expected channels_last, channels_first, or Keras 1 'tf'/'th')",
                error("Conv2D", "{'filters': 8, 'kernel_size': 3, 'data_format': 'NHWC'}", s(28, 28, 1)));
    }
}
