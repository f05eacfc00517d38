package dev.graft.engine.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.Convolution3D;

/**
 * A Keras tensor's per-sample shape read from the {@link InputType} DL4J's Keras import gives it, and back. In a network
 * imported from Keras the array is Keras's tensor as it is, and the type's format says in which order its axes are listed
 * ({@link KerasSequenceAxes}): an NCW sequence {@code (size s, length l)} is the array {@code [batch, s, l]}, an NWC one
 * {@code [batch, l, s]}, and likewise for images and volumes. A size DL4J does not know (an open number of steps) is -1.
 */
final class KerasTensorTypes {
    private KerasTensorTypes() {
    }

    /** The per-sample axes of the array, batch excluded, in the array's order. */
    static long[] sampleShape(InputType t) {
        if (t instanceof InputType.InputTypeFeedForward f) return new long[] {f.getSize()};
        if (t instanceof InputType.InputTypeRecurrent r) {
            KerasSequenceAxes a = KerasSequenceAxes.of(r);
            return new long[] {known(a.axis1()), known(a.axis2())};
        }
        if (t instanceof InputType.InputTypeConvolutional c) {
            return c.getFormat() == CNN2DFormat.NCHW ? new long[] {c.getChannels(), c.getHeight(), c.getWidth()}
                    : new long[] {c.getHeight(), c.getWidth(), c.getChannels()};
        }
        if (t instanceof InputType.InputTypeConvolutional3D c) {
            return c.getDataFormat() == Convolution3D.DataFormat.NCDHW
                    ? new long[] {c.getChannels(), c.getDepth(), c.getHeight(), c.getWidth()}
                    : new long[] {c.getDepth(), c.getHeight(), c.getWidth(), c.getChannels()};
        }
        throw new InvalidInputTypeException("graft cannot tell the Keras shape of the engine's " + t);
    }

    /**
     * The type of an array of these per-sample axes: listed in the order of {@code like} (the layer's input) when it has
     * the same rank, so the layers after read it as they read the input; in Keras's channels-last order otherwise.
     */
    static InputType typeOf(long[] sample, InputType like) {
        for (int i = 0; i < sample.length; i++) {
            if (sample[i] <= 0 && !(sample.length == 2 && canBeOpen(sample, i, like))) {
                throw new InvalidInputTypeException("graft computes this layer on known sizes only, got per-sample shape "
                        + Arrays.toString(sample));
            }
        }
        switch (sample.length) {
            case 1:
                return InputType.feedForward(sample[0]);
            case 2:
                if (like instanceof InputType.InputTypeRecurrent r && r.getFormat() == RNNFormat.NCW) {
                    return InputType.recurrent(sample[0], sample[1], RNNFormat.NCW);
                }
                return InputType.recurrent(sample[1], sample[0], RNNFormat.NWC);
            case 3:
                if (like instanceof InputType.InputTypeConvolutional c && c.getFormat() == CNN2DFormat.NCHW) {
                    return InputType.convolutional(sample[1], sample[2], sample[0], CNN2DFormat.NCHW);
                }
                return InputType.convolutional(sample[0], sample[1], sample[2], CNN2DFormat.NHWC);
            case 4:
                if (like instanceof InputType.InputTypeConvolutional3D c && c.getDataFormat() == Convolution3D.DataFormat.NCDHW) {
                    return InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, sample[1], sample[2], sample[3], sample[0]);
                }
                return InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, sample[0], sample[1], sample[2], sample[3]);
            default:
                throw new InvalidInputTypeException("graft's engine holds tensors of rank 2 to 5, not per-sample shape " + Arrays.toString(sample));
        }
    }

    /** A sequence may leave its number of steps open (its time axis, by the order of {@code like}). */
    private static boolean canBeOpen(long[] sample, int i, InputType like) {
        boolean ncw = like instanceof InputType.InputTypeRecurrent r && r.getFormat() == RNNFormat.NCW;
        return i == (ncw ? 1 : 0);
    }

    private static long known(long size) {
        return size > 0 ? size : -1;
    }
}
