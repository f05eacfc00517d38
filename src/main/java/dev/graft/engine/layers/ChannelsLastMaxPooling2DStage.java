package dev.graft.engine.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;

/**
 * Keras's channels-last MaxPooling2D ({@link ChannelsLastSubsampling2DLayer}, max pooling without padding) as a
 * {@link HeapStage}: {@link ChannelsLastMaxPooling2D}'s pooling on the heap, which records where each output came
 * from during the forward pass, so that the backward pass only sends each output's gradient to its source (the first
 * largest of its window, as libnd4j's {@code maxpool2d_bp} does; overlapping windows add up). No arithmetic but those
 * additions: the engine's values bit for bit. 2 x 2 windows with stride 2 (Keras's default) take
 * {@link QuadrantMaxPooling}'s vectorised loops instead, but for a batch with an infinite or NaN maximum. Anything
 * {@link ChannelsLastMaxPooling2D#of} does not compute, or an input dropout that drops anything, returns null from {@link #of}.
 */
public final class ChannelsLastMaxPooling2DStage implements HeapStage {
    private final ChannelsLastMaxPooling2D pooling;
    private final int h, w, c, oh, ow;
    /** The output's shape per sample: (oh, ow, c), or (steps, c) for a MaxPooling1D computed on (steps, 1) images. */
    private final int[] outputShape;
    private float[] output;
    private int[] sources;
    private float[] inputGradient;
    /** The vectorised pooling of 2 x 2 windows side by side, else null. */
    private final QuadrantMaxPooling quadrants;
    /** Whether {@link #quadrants} pooled the last forward pass (else the scalar pooling and its sources did). */
    private boolean pooledByQuadrants;

    ChannelsLastMaxPooling2DStage(ChannelsLastMaxPooling2D pooling, int h, int w, int c, int[] outputSize, int[] outputShape) {
        this.pooling = pooling;
        this.h = h;
        this.w = w;
        this.c = c;
        this.oh = outputSize[0];
        this.ow = outputSize[1];
        this.outputShape = outputShape.clone();
        this.quadrants = pooling.twoByTwoSideBySide() ? new QuadrantMaxPooling(h, w, c) : null;
    }

    /** The stage of a channels-last max pooling it computes exactly, else null. */
    public static HeapStage of(HeapStageSource source) {
        if (!(source.layer() instanceof ChannelsLastSubsampling2DLayer conf) || !HeapStageChecks.plainVertex(source.vertex())
                || !HeapStageChecks.keepsEverything(conf.getIDropout())) {
            return null;
        }
        int[] shape = source.inputShape();
        if (shape == null || shape.length != 3) return null;
        ChannelsLastMaxPooling2D pooling = ChannelsLastMaxPooling2D.of(conf);
        if (pooling == null) return null;
        int[] size = pooling.outputSize(shape[0], shape[1]);
        if (size == null || conf.getConvolutionMode() == ConvolutionMode.Strict && !pooling.coversExactly(shape[0], shape[1])) return null;
        return new ChannelsLastMaxPooling2DStage(pooling, shape[0], shape[1], shape[2], size, new int[] {size[0], size[1], shape[2]});
    }

    @Override
    public int[] outputShape() {
        return outputShape.clone();
    }

    @Override
    public float[] forward(float[] input, int rows) {
        float[] pooled = quadrants == null ? null : quadrants.forward(input, rows);
        pooledByQuadrants = pooled != null;
        if (pooled != null) return pooled;
        int length = rows * oh * ow * c;
        if (output == null || output.length != length) {
            output = new float[length];
            sources = new int[length];
        }
        pooling.pool(input, output, sources, rows, h, w, c, oh, ow);
        return output;
    }

    @Override
    public float[] backward(float[] outputGradient, int rows, boolean inputGradient) {
        if (!inputGradient) return null;
        if (pooledByQuadrants) return quadrants.backward(outputGradient, rows);
        int length = rows * h * w * c;
        if (this.inputGradient == null || this.inputGradient.length != length) this.inputGradient = new float[length];
        float[] dx = this.inputGradient;
        java.util.Arrays.fill(dx, 0f);
        int[] at = sources;
        for (int i = 0, n = rows * oh * ow * c; i < n; i++) dx[at[i]] += outputGradient[i];
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
