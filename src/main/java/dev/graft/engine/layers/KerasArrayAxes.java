package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;

/**
 * A Keras array's axes after the batch, in array order, read from the DL4J type that describes it. DL4J's Keras import
 * keeps Keras's arrays as they are and labels them with a format; reading the label back gives Keras's axes, whatever a
 * layer means by them (a channels-first layer reads the first as channels). A value of 0 or -1 is a length DL4J does not
 * know. Used by graft's layers that work on Keras's layout with either data format ({@link KerasSpatialEditLayer},
 * {@link KerasResizingLayer}, {@link KerasConvolutionLayer}).
 */
public final class KerasArrayAxes {
    private KerasArrayAxes() {
    }

    /** Keras's axes 1.. of the image or volume {@code t} describes, or null when {@code t} is neither. */
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

    /** The {@code count} axes of a sequence (2), image (3) or volume (4); anything else is refused naming the layer. */
    static long[] of(InputType t, int count, String layerName) {
        long[] axes;
        if (t instanceof InputType.InputTypeRecurrent r) {
            KerasSequenceAxes a = KerasSequenceAxes.of(r);
            axes = new long[] {a.axis1(), a.axis2()};
        } else {
            axes = of(t);
        }
        if (axes == null || axes.length != count) {
            throw new IllegalStateException("layer " + layerName + " takes a rank " + (count + 1) + " input; its input is " + t);
        }
        return axes;
    }

    /** The same kind of DL4J type, with the same format label, describing Keras axes {@code a}. */
    static InputType with(InputType t, long[] a) {
        if (t instanceof InputType.InputTypeRecurrent) return new KerasSequenceAxes(a[0], a[1]).asChannelsLastType();
        if (t instanceof InputType.InputTypeConvolutional c) {
            return c.getFormat() == CNN2DFormat.NHWC ? InputType.convolutional(a[0], a[1], a[2], CNN2DFormat.NHWC)
                    : InputType.convolutional(a[1], a[2], a[0], CNN2DFormat.NCHW);
        }
        InputType.InputTypeConvolutional3D c = (InputType.InputTypeConvolutional3D) t;
        return c.getDataFormat() == Convolution3D.DataFormat.NDHWC
                ? InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, a[0], a[1], a[2], a[3])
                : InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, a[1], a[2], a[3], a[0]);
    }

    /** The channels-last description of a Keras array with axes {@code axes} (3 or 4 of them), as DL4J's imported layers read it. */
    public static InputType asChannelsLastType(long... axes) {
        if (axes.length == 3) return InputType.convolutional(axes[0], axes[1], axes[2], CNN2DFormat.NHWC);
        return InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, axes[0], axes[1], axes[2], axes[3]);
    }
}
