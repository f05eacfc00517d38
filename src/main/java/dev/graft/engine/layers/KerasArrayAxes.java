package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;

/**
 * The axes after the batch of a rank-4 or rank-5 Keras array, as DL4J's Keras import describes it ({@link KerasSequenceAxes}
 * for rank 3). The importer keeps Keras's arrays as they are and labels them with a layout; reading the label back gives
 * Keras's own axes, whatever Keras meant by them (a channels-first layer reads the first as channels).
 */
public final class KerasArrayAxes {
    private KerasArrayAxes() {
    }

    /** Keras's axes 1.. of the array {@code t} describes, or null when {@code t} is no image or volume. */
    public static long[] of(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return c.getFormat() == CNN2DFormat.NCHW ? new long[] {c.getChannels(), c.getHeight(), c.getWidth()}
                    : new long[] {c.getHeight(), c.getWidth(), c.getChannels()};
        }
        if (t instanceof InputType.InputTypeConvolutional3D c) {
            return c.getDataFormat() == Convolution3D.DataFormat.NCDHW ? new long[] {c.getChannels(), c.getDepth(), c.getHeight(), c.getWidth()}
                    : new long[] {c.getDepth(), c.getHeight(), c.getWidth(), c.getChannels()};
        }
        return null;
    }

    /** The channels-last description of a Keras array with axes {@code axes} (3 or 4 of them), as DL4J's imported layers read it. */
    public static InputType asChannelsLastType(long... axes) {
        if (axes.length == 3) return InputType.convolutional(axes[0], axes[1], axes[2], CNN2DFormat.NHWC);
        return InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, axes[0], axes[1], axes[2], axes[3]);
    }
}
