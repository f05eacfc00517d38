package dev.graft.shape;

import static dev.graft.shape.ShapeAssertions.assertShape;
import static dev.graft.shape.ShapeAssertions.error;
import static dev.graft.shape.ShapeAssertions.one;
import static dev.graft.shape.ShapeAssertions.s;
import static dev.graft.shape.ShapeAssertions.sn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ResizingRulesTest {

    @Test
    void zeroPaddingAddsBeforeAndAfter() {
        // tfkeras__cnn2d_100.h5: ((3, 3), (3, 3))
        assertShape("(None, 16, 16, 3)", one("ZeroPadding2D",
                "{'name': 'zero_padding2d_112', 'padding': [[3, 3], [3, 3]], 'data_format': 'channels_last'}",
                s(10, 10, 3)));
        assertShape("(None, 3, 12, 17)", one("ZeroPadding2D",
                "{'padding': [[1, 1], [3, 4]], 'data_format': 'channels_first'}", s(3, 10, 10)));
        assertShape("(None, 12, 14, 3)", one("ZeroPadding2D", "{'padding': [1, 2]}", s(10, 10, 3)));
        assertShape("(None, 12, 12, 3)", one("ZeroPadding2D", "{'padding': 1}", s(10, 10, 3)));
        assertShape("(None, None, 12, 3)", one("ZeroPadding2D", "{'padding': 1}", sn(null, 10L, 3L)));
        // 1D: an int is symmetric, a pair is (left, right)
        assertShape("(None, 12, 4)", one("ZeroPadding1D", "{'padding': 1}", s(10, 4)));
        assertShape("(None, 13, 4)", one("ZeroPadding1D", "{'padding': [1, 2]}", s(10, 4)));
        assertShape("(None, 12, 13, 14, 2)", one("ZeroPadding3D",
                "{'padding': [[1, 1], [1, 2], [2, 2]]}", s(10, 10, 10, 2)));
        assertShape("(None, 2, 12, 12, 12)", one("ZeroPadding3D",
                "{'padding': [1, 1, 1], 'data_format': 'channels_first'}", s(2, 10, 10, 10)));
    }

    @Test
    void keras1ZeroPadding2dSpellings() {
        // (top, bottom, left, right) and the dict form, with dim_ordering
        assertShape("(None, 13, 17, 3)", one("ZeroPadding2D",
                "{'padding': [1, 2, 3, 4], 'dim_ordering': 'tf'}", s(10, 10, 3)));
        assertShape("(None, 3, 13, 17)", one("ZeroPadding2D",
                "{'padding': {'top_pad': 1, 'bottom_pad': 2, 'left_pad': 3, 'right_pad': 4}, 'dim_ordering': 'th'}",
                s(3, 10, 10)));
    }

    @Test
    void croppingRemovesBeforeAndAfter() {
        // tfkeras__cnn2d_100.h5 / tfkeras__cnn3d_16.h5
        assertShape("(None, 8, 8, 3)", one("Cropping2D",
                "{'name': 'cropping2d_112', 'cropping': [[1, 1], [1, 1]], 'data_format': 'channels_last'}",
                s(10, 10, 3)));
        assertShape("(None, 3, 7, 5)", one("Cropping2D",
                "{'cropping': [[1, 2], [2, 3]], 'data_format': 'channels_first'}", s(3, 10, 10)));
        assertShape("(None, 6, 6, 6, 4)", one("Cropping3D",
                "{'cropping': [[1, 1], [1, 1], [1, 1]], 'data_format': 'channels_last'}", s(8, 8, 8, 4)));
        assertShape("(None, 7, 4)", one("Cropping1D", "{'cropping': [1, 2]}", s(10, 4)));
        assertShape("(None, None, 4)", one("Cropping1D", "{'cropping': [1, 2]}", sn(null, 4L)));
    }

    /**
     * keras/models/tfkeras__cnn3d_22.h5 really does this: tf.keras 2.2.4 recorded (None, -1, -1, -1, 4)
     * and the tensor is empty at run time; graft says so instead.
     */
    @Test
    void croppingEverythingIsAnError() {
        assertEquals("Cropping3D crops 2 from spatial axis 1 of (None, 1, 1, 1, 4), which leaves nothing",
                error("Cropping3D", "{'cropping': [[1, 1], [1, 1], [1, 1]], 'data_format': 'channels_last'}",
                        s(1, 1, 1, 4)));
    }

    @Test
    void upSampling() {
        // tfkeras__cnn2d_100.h5: size (2, 2), interpolation nearest
        assertShape("(None, 20, 20, 3)", one("UpSampling2D",
                "{'size': [2, 2], 'data_format': 'channels_last', 'interpolation': 'nearest'}", s(10, 10, 3)));
        assertShape("(None, 3, 30, 20)", one("UpSampling2D",
                "{'size': [3, 2], 'data_format': 'channels_first'}", s(3, 10, 10)));
        assertShape("(None, 30, 4)", one("UpSampling1D", "{'size': 3}", s(10, 4)));
        // Keras 1 UpSampling1D: 'length'
        assertShape("(None, 20, 4)", one("UpSampling1D", "{'length': 2}", s(10, 4)));
        assertShape("(None, 4, 6, 8, 1)", one("UpSampling3D", "{'size': [2, 2, 2]}", s(2, 3, 4, 1)));
        assertShape("(None, None, 20, 3)", one("UpSampling2D", "{'size': 2}", sn(null, 10L, 3L)));
    }

    @Test
    void resizingAndCenterCropProduceTheConfiguredSize() {
        assertShape("(None, 224, 224, 3)", one("Resizing",
                "{'height': 224, 'width': 224, 'interpolation': 'bilinear'}", s(480, 640, 3)));
        assertShape("(None, 3, 64, 32)", one("CenterCrop",
                "{'height': 64, 'width': 32, 'data_format': 'channels_first'}", s(3, 100, 100)));
    }

    @Test
    void badPaddingSpec() {
        assertEquals("ZeroPadding2D padding [1,2,3] is not an int, a list of ints or a list of (before, after) pairs",
                error("ZeroPadding2D", "{'padding': [1, 2, 3]}", s(10, 10, 3)));
        assertEquals("ZeroPadding2D needs a rank-4 input (batch, height, width, channels), got (None, 10, 3)",
                error("ZeroPadding2D", "{'padding': 1}", s(10, 3)));
    }
}
