package dev.graft.format.dl4j;

import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * DL4J input types in Keras notation: batch first, channels or features last, whatever layout
 * (NCHW/NHWC, NCW/NWC) the DL4J network itself uses. Sizes DL4J does not know (-1) are None.
 */
final class KerasShapes {
    private KerasShapes() {
    }

    /** Null for a null type or a kind Keras notation has no form for. */
    static Shape of(InputType t) {
        if (t instanceof InputType.InputTypeFeedForward ff) return batchOf(ff.getSize());
        if (t instanceof InputType.InputTypeRecurrent r) return batchOf(r.getTimeSeriesLength(), r.getSize());
        if (t instanceof InputType.InputTypeConvolutional c) return batchOf(c.getHeight(), c.getWidth(), c.getChannels());
        // A flattened image is fed as a matrix: one row of h*w*c values per example.
        if (t instanceof InputType.InputTypeConvolutionalFlat f) return batchOf(f.getFlattenedSize());
        if (t instanceof InputType.InputTypeConvolutional3D c) return batchOf(c.getDepth(), c.getHeight(), c.getWidth(), c.getChannels());
        return null;
    }

    private static Shape batchOf(long... sampleDims) {
        List<Long> dims = new ArrayList<>();
        for (long d : sampleDims) dims.add(d > 0 ? d : null);
        return Shape.batchOf(dims);
    }
}
