package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * Keras's channels-last {@code MaxPooling1D} ({@link ChannelsLastSubsampling1DLayer}) trained on the heap, as the engine's
 * layer computes it ({@link ChannelsLastMaxPooling2D} on {@code (steps, 1)} images, the same code): each output is its
 * window's maximum, and its gradient goes to the first largest input of the window (added where windows overlap).
 * Max pooling without padding in DL4J's {@code Truncate} and {@code Strict} modes (the latter where its windows cover the
 * steps exactly, as DL4J requires); null for anything else. The stage is {@link ChannelsLastMaxPooling2DStage}'s on
 * {@code (steps, 1, channels)}, whose values lie in memory as {@code (steps, channels)} do.
 */
public final class MaxPooling1DStage {
    private MaxPooling1DStage() {
    }

    /** The stage for a channels-last max pooling computed here, or null. */
    public static HeapStage of(HeapStageSource source) {
        if (!(source.layer() instanceof ChannelsLastSubsampling1DLayer conf) || !HeapStageChecks.plainVertex(source.vertex())) return null;
        if (!HeapStageChecks.keepsEverything(conf.getIDropout())) return null;
        int[] shape = source.inputShape();
        ChannelsLastMaxPooling2D pooling = ChannelsLastMaxPooling2D.ofSteps((SubsamplingLayer) conf);
        if (pooling == null || shape == null || shape.length != 2) return null;
        int[] size = pooling.outputSize(shape[0], 1);
        if (size == null) return null;
        // DL4J's Strict mode refuses windows that do not cover the steps exactly: left to the engine (and its error)
        if (conf.getConvolutionMode() == ConvolutionMode.Strict && !pooling.coversExactly(shape[0], 1)) return null;
        return new ChannelsLastMaxPooling2DStage(pooling, shape[0], 1, shape[1], size, new int[] {size[0], shape[1]});
    }
}
