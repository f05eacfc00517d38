package dev.graft.engine.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/**
 * Keras's channels-last AveragePooling2D ({@link ChannelsLastSubsampling2DLayer}, average pooling without padding) as a
 * {@link HeapStage}, as libnd4j's {@code avgpool2d} computes it: each window's values summed in float, rows then
 * columns, and divided by the window's size; the backward pass divides each output's gradient by the window's size and
 * adds it to every input of the window (overlapping windows add up). Without padding every window holds the same number
 * of values, so whether the divisor counts padding does not matter. Padding, {@code Same}, dilation, a {@code Strict}
 * window that does not cover the input, or an input dropout that drops anything returns null from {@link #of}.
 */
public final class ChannelsLastAveragePooling2DStage implements HeapStage {
    private final int kh, kw, sh, sw, h, w, c, oh, ow;
    private float[] output;
    private float[] inputGradient;

    private ChannelsLastAveragePooling2DStage(int[] kernel, int[] strides, int[] shape) {
        this.kh = kernel[0];
        this.kw = kernel[1];
        this.sh = strides[0];
        this.sw = strides[1];
        this.h = shape[0];
        this.w = shape[1];
        this.c = shape[2];
        this.oh = (h - kh) / sh + 1;
        this.ow = (w - kw) / sw + 1;
    }

    /** The stage of a channels-last average pooling it computes exactly, else null. */
    public static HeapStage of(HeapStageSource source) {
        if (!(source.layer() instanceof ChannelsLastSubsampling2DLayer conf) || conf.getPoolingType() != PoolingType.AVG
                || !HeapStageChecks.plainVertex(source.vertex()) || !HeapStageChecks.keepsEverything(conf.getIDropout())) {
            return null;
        }
        int[] shape = source.inputShape(), k = conf.getKernelSize(), s = conf.getStride(), p = conf.getPadding(), d = conf.getDilation();
        ConvolutionMode mode = conf.getConvolutionMode();
        if (shape == null || shape.length != 3 || k == null || s == null || k.length != 2 || s.length != 2) return null;
        if (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict) return null;
        if (p != null && (p.length != 2 || p[0] != 0 || p[1] != 0)) return null;
        if (d != null && (d.length != 2 || d[0] != 1 || d[1] != 1)) return null;
        if (k[0] < 1 || k[1] < 1 || s[0] < 1 || s[1] < 1 || shape[0] < k[0] || shape[1] < k[1]) return null;
        if (mode == ConvolutionMode.Strict && ((shape[0] - k[0]) % s[0] != 0 || (shape[1] - k[1]) % s[1] != 0)) return null;
        return new ChannelsLastAveragePooling2DStage(k, s, shape);
    }

    @Override
    public int[] outputShape() {
        return new int[] {oh, ow, c};
    }

    @Override
    public float[] forward(float[] x, int rows) {
        int length = rows * oh * ow * c;
        if (output == null || output.length != length) output = new float[length];
        float[] y = output;
        float size = kh * kw;
        for (int n = 0; n < rows; n++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int out = ((n * oh + i) * ow + j) * c;
                    java.util.Arrays.fill(y, out, out + c, 0f);
                    for (int a = 0; a < kh; a++) {
                        for (int b = 0; b < kw; b++) {
                            int in = ((n * h + i * sh + a) * w + j * sw + b) * c;
                            for (int ch = 0; ch < c; ch++) y[out + ch] += x[in + ch];
                        }
                    }
                    for (int ch = 0; ch < c; ch++) y[out + ch] /= size;
                }
            }
        }
        return y;
    }

    @Override
    public float[] backward(float[] e, int rows, boolean inputGradient) {
        if (!inputGradient) return null;
        int length = rows * h * w * c;
        if (this.inputGradient == null || this.inputGradient.length != length) this.inputGradient = new float[length];
        float[] dx = this.inputGradient;
        java.util.Arrays.fill(dx, 0f);
        float size = kh * kw;
        for (int i = 0, n = rows * oh * ow * c; i < n; i++) e[i] /= size;
        for (int n = 0; n < rows; n++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int out = ((n * oh + i) * ow + j) * c;
                    for (int a = 0; a < kh; a++) {
                        for (int b = 0; b < kw; b++) {
                            int in = ((n * h + i * sh + a) * w + j * sw + b) * c;
                            for (int ch = 0; ch < c; ch++) dx[in + ch] += e[out + ch];
                        }
                    }
                }
            }
        }
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
