package dev.graft.engine.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;

/**
 * Keras's Flatten after channels-last 2-d layers, as DL4J's Keras import builds it (a preprocessor vertex with a
 * {@link CnnToFeedForwardPreProcessor} in NHWC order) as a {@link HeapStage}: the rows of {@code (h, w, c)} values
 * read in row-major order, which is how stages hold them already; only the shape changes. Another order (NCHW, which
 * reorders the values) or a shape that is not the preprocessor's returns null from {@link #of}.
 */
public final class ChannelsLastFlattenStage implements HeapStage {
    private final int values;

    private ChannelsLastFlattenStage(int values) {
        this.values = values;
    }

    /** The stage of a channels-last flatten, else null. */
    public static HeapStage of(HeapStageSource source) {
        if (!(source.vertex() instanceof PreprocessorVertex v) || !(v.getPreProcessor() instanceof CnnToFeedForwardPreProcessor p)) return null;
        int[] shape = source.inputShape();
        if (p.getFormat() != CNN2DFormat.NHWC || shape == null || shape.length != 3 || shape[0] != p.getInputHeight()
                || shape[1] != p.getInputWidth() || shape[2] != p.getNumChannels()) {
            return null;
        }
        return new ChannelsLastFlattenStage(shape[0] * shape[1] * shape[2]);
    }

    @Override
    public int[] outputShape() {
        return new int[] {values};
    }

    @Override
    public float[] forward(float[] input, int rows) {
        return input;
    }

    @Override
    public float[] backward(float[] outputGradient, int rows, boolean inputGradient) {
        return inputGradient ? outputGradient : null;
    }

    @Override
    public List<HeapParameter> parameters() {
        return List.of();
    }

    @Override
    public void copyToEngine() {
    }
}
