package dev.graft.engine.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * Keras's channels-last {@code MaxPooling1D} ({@link ChannelsLastSubsampling1DLayer}) trained on the heap, as the engine's
 * layer computes it ({@link ChannelsLastMaxPooling2D} on {@code (steps, 1)} images, the same code): each output is its
 * window's maximum, and its gradient goes to the first largest input of the window (added where windows overlap).
 * Max pooling without padding in DL4J's {@code Truncate} and {@code Strict} modes (the latter where its windows cover the
 * steps exactly, as DL4J requires); null for anything else.
 */
public final class MaxPooling1DStage implements HeapStage {
    private final ChannelsLastMaxPooling2D pooling;
    private final int steps;
    private final int channels;
    private final int outSteps;
    // The last batch's buffers: the output, where each output came from, and the gradient at the input.
    private float[] output;
    private int[] sources;
    private float[] inputGradient;

    private MaxPooling1DStage(ChannelsLastMaxPooling2D pooling, int steps, int channels, int outSteps) {
        this.pooling = pooling;
        this.steps = steps;
        this.channels = channels;
        this.outSteps = outSteps;
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
        if (conf.getConvolutionMode() == ConvolutionMode.Strict && (shape[0] - conf.getKernelSize()[0]) % conf.getStride()[0] != 0) return null;
        return new MaxPooling1DStage(pooling, shape[0], shape[1], size[0]);
    }

    @Override
    public int[] outputShape() {
        return new int[] {outSteps, channels};
    }

    @Override
    public float[] forward(float[] input, int rows) {
        int n = rows * outSteps * channels;
        if (output == null || output.length != n) {
            output = new float[n];
            sources = new int[n];
            inputGradient = new float[rows * steps * channels];
        }
        pooling.anyWindow(input, output, sources, rows, steps, 1, channels, outSteps, 1);
        return output;
    }

    @Override
    public float[] backward(float[] outputGradient, int rows, boolean inputGradient) {
        if (!inputGradient) return null;
        float[] dx = this.inputGradient;
        java.util.Arrays.fill(dx, 0f);
        int[] at = sources;
        for (int i = 0; i < at.length; i++) dx[at[i]] += outputGradient[i];
        return dx;
    }

    @Override
    public List<HeapParameter> parameters() {
        return List.of();
    }

    @Override
    public void copyToEngine() {
    }
}
