package dev.graft.engine.layers;

import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 2-d max pooling without padding on channels-last {@code (batch, height, width, channels)} data, forward and
 * backward, computed on the heap. DL4J 1.0.0-M2.1 pools NCHW only: the channels-last layer permuted its input
 * to NCHW and the result back, and its backward pass the gradient both ways, which took a fifth of the MNIST
 * CNN's training step. Max pooling does no arithmetic, so the output is DL4J's bit for bit (but for the sign of a
 * zero maximum where a window holds both 0 and -0, and NaN, which propagates); the backward pass sends each output's
 * gradient to the first largest input of its window (rows, then columns), as libnd4j's {@code maxpool2d_bp} does,
 * and adds where windows overlap.
 *
 * <p>Float32, any kernel and stride, DL4J's {@code Truncate} and {@code Strict} modes with no padding;
 * {@link #of} returns null for anything else (padding, {@code Same}, average or p-norm pooling, dilation),
 * which DL4J computes.
 */
final class ChannelsLastMaxPooling2D {
    private final int kh, kw, sh, sw;

    private ChannelsLastMaxPooling2D(int kh, int kw, int sh, int sw) {
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
    }

    /** The pooling a configuration asks for, or null when it is not one computed here. */
    static ChannelsLastMaxPooling2D of(SubsamplingLayer conf) {
        return of(conf, conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation());
    }

    /**
     * The 1-d pooling a {@code Subsampling1DLayer} configuration asks for as the 2-d pooling of {@code (batch, steps, 1,
     * channels)}, or null when it is not one computed here. DL4J keeps the window, stride, padding and dilation along the
     * steps in the first element of its 2-element arrays; the second means nothing (the stride's is the first's copy).
     */
    static ChannelsLastMaxPooling2D ofSteps(SubsamplingLayer conf) {
        int[] k = conf.getKernelSize(), s = conf.getStride(), p = conf.getPadding(), d = conf.getDilation();
        if (k == null || s == null || k.length < 1 || s.length < 1) return null;
        return of(conf, new int[] {k[0], 1}, new int[] {s[0], 1}, new int[] {p == null || p.length < 1 ? 0 : p[0], 0},
                new int[] {d == null || d.length < 1 ? 1 : d[0], 1});
    }

    private static ChannelsLastMaxPooling2D of(SubsamplingLayer conf, int[] k, int[] s, int[] p, int[] d) {
        if (conf.getPoolingType() != PoolingType.MAX) return null;
        ConvolutionMode mode = conf.getConvolutionMode();
        if (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict) return null;
        if (k == null || s == null || k.length != 2 || s.length != 2) return null;
        if (p != null && (p.length != 2 || p[0] != 0 || p[1] != 0)) return null;
        if (d != null && (d.length != 2 || d[0] != 1 || d[1] != 1)) return null;
        if (k[0] < 1 || k[1] < 1 || s[0] < 1 || s[1] < 1) return null;
        return new ChannelsLastMaxPooling2D(k[0], k[1], s[0], s[1]);
    }

    /** Output rows and columns, or null when the input is smaller than the window (DL4J's error, then). */
    int[] outputSize(int h, int w) {
        if (h < kh || w < kw) return null;
        return new int[] {(h - kh) / sh + 1, (w - kw) / sw + 1};
    }

    /** Whether the windows are 2 x 2 with stride 2: side by side, none overlapping ({@link QuadrantMaxPooling}'s). */
    boolean twoByTwoSideBySide() {
        return kh == 2 && kw == 2 && sh == 2 && sw == 2;
    }

    /** Whether the window's steps cover {@code (h, w)} exactly, as DL4J's {@code Strict} mode requires. */
    boolean coversExactly(int h, int w) {
        return h >= kh && w >= kw && (h - kh) % sh == 0 && (w - kw) % sw == 0;
    }

    /**
     * Pools a batch of row-major {@code (h, w, c)} samples on the heap into {@code y}, {@code (oh, ow, c)} each (oh and ow
     * from {@link #outputSize}), and into {@code at} (when not null) the index in {@code x} each output's gradient goes to.
     */
    void pool(float[] x, float[] y, int[] at, int batch, int h, int w, int c, int oh, int ow) {
        if (kh == 2 && kw == 2) {
            twoByTwo(x, y, at, batch, h, w, c, oh, ow);
        } else {
            anyWindow(x, y, at, batch, h, w, c, oh, ow);
        }
    }

    /** The pooled {@code (batch, oh, ow, channels)}, row-major, in the activations workspace; null when not float32 rank 4. */
    INDArray forward(INDArray nhwc, LayerWorkspaceMgr workspaceMgr) {
        return forward(nhwc, workspaceMgr, null);
    }

    /**
     * Where a training forward pass's outputs came from, for its backward pass: per output value, the index of the input
     * value its gradient goes to (the first largest of its window, as {@link #backward} picks it). Kept by the layer
     * between the two passes, and reused from batch to batch.
     */
    static final class Sources {
        private int[] at;
        private long[] inputShape;
        private INDArray keptFor;
        // Heap buffers reused from batch to batch: arrays of this size are G1's humongous objects, slow to allocate.
        private float[] input;
        private float[] output;
        private float[] outputGradient;
        private float[] inputGradient;

        /** Forget the kept forward pass (a new input, or a backward pass done with it). */
        void forget() {
            keptFor = null;
        }

        boolean keeps(INDArray input) {
            return keptFor != null && keptFor == input;
        }
    }

    /**
     * As {@link #forward(INDArray, LayerWorkspaceMgr)}, also recording into {@code sources} (when not null) where each output
     * came from, keyed by {@code sources}' caller's input array {@code key}; {@link #backward(Sources, INDArray, LayerWorkspaceMgr)}
     * then needs neither the input nor a second search of every window.
     */
    INDArray forward(INDArray nhwc, LayerWorkspaceMgr workspaceMgr, Sources sources, INDArray key) {
        if (sources != null) sources.forget();
        INDArray result = forward(nhwc, workspaceMgr, sources);
        if (result != null && sources != null) sources.keptFor = key;
        return result;
    }

    /**
     * The gradient at the input from the gradient at the output, by the sources a training forward pass kept (which it then
     * forgets); null when the shapes do not fit.
     */
    INDArray backward(Sources sources, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        long[] shape = sources.inputShape;
        sources.forget();
        if (epsilon.rank() != 4 || epsilon.dataType() != DataType.FLOAT || epsilon.length() != sources.at.length
                || epsilon.size(0) != shape[0] || epsilon.size(3) != shape[3]) {
            return null;
        }
        float[] e = sources.outputGradient = HeapFloats.read(epsilon, sources.outputGradient);
        int length = Math.toIntExact(shape[0] * shape[1] * shape[2] * shape[3]);
        if (sources.inputGradient == null || sources.inputGradient.length != length) sources.inputGradient = new float[length];
        float[] dx = sources.inputGradient;
        java.util.Arrays.fill(dx, 0f);
        int[] at = sources.at;
        for (int i = 0; i < e.length; i++) dx[at[i]] += e[i];
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, shape, 'c');
        new FloatPointer(result.data().addressPointer()).put(dx, 0, dx.length);
        return result;
    }

    private INDArray forward(INDArray nhwc, LayerWorkspaceMgr workspaceMgr, Sources sources) {
        if (nhwc.rank() != 4 || nhwc.dataType() != DataType.FLOAT) return null;
        int batch = (int) nhwc.size(0), h = (int) nhwc.size(1), w = (int) nhwc.size(2), c = (int) nhwc.size(3);
        int[] o = outputSize(h, w);
        if (o == null) return null;
        int oh = o[0], ow = o[1];
        float[] x = HeapFloats.read(nhwc, sources == null ? null : sources.input);
        int length = batch * oh * ow * c;
        float[] y = sources != null && sources.output != null && sources.output.length == length ? sources.output : new float[length];
        int[] at = null;
        if (sources != null) {
            sources.input = x;
            sources.output = y;
            if (sources.at == null || sources.at.length != y.length) sources.at = new int[y.length];
            at = sources.at;
        }
        pool(x, y, at, batch, h, w, c, oh, ow);
        if (sources != null) sources.inputShape = nhwc.shape();
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[] {batch, oh, ow, c}, 'c');
        new FloatPointer(result.data().addressPointer()).put(y, 0, y.length);
        return result;
    }

    /**
     * The 2 x 2 window (Keras's default, and the MNIST CNN's) in one pass over each output's channels: its four inputs
     * read once into registers, the maximum written once, then where it came from. What {@link #anyWindow} computes, in
     * a third of the time on the MNIST CNN (its loops kept the running maximum in the output array, read and written
     * once per window position): {@code Math.max} gives the same value whatever the grouping (it propagates NaN and
     * prefers +0 to -0 in any order), and the source is the first of the window, rows then columns, that holds the
     * maximum, the window's first position when none does (NaN).
     */
    void twoByTwo(float[] x, float[] y, int[] at, int batch, int h, int w, int c, int oh, int ow) {
        int down = w * c;
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int out = ((n * oh + i) * ow + j) * c;
                    int p00 = ((n * h + i * sh) * w + j * sw) * c, p01 = p00 + c, p10 = p00 + down, p11 = p10 + c;
                    for (int ch = 0; ch < c; ch++) {
                        y[out + ch] = Math.max(Math.max(x[p00 + ch], x[p01 + ch]), Math.max(x[p10 + ch], x[p11 + ch]));
                    }
                    if (at == null) continue;
                    for (int ch = 0; ch < c; ch++) {
                        float m = y[out + ch];
                        int s = p00 + ch;
                        s = x[p11 + ch] == m ? p11 + ch : s;
                        s = x[p10 + ch] == m ? p10 + ch : s;
                        s = x[p01 + ch] == m ? p01 + ch : s;
                        at[out + ch] = x[p00 + ch] == m ? p00 + ch : s;
                    }
                }
            }
        }
    }

    void anyWindow(float[] x, float[] y, int[] at, int batch, int h, int w, int c, int oh, int ow) {
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int out = ((n * oh + i) * ow + j) * c;
                    for (int ch = 0; ch < c; ch++) y[out + ch] = Float.NEGATIVE_INFINITY;
                    for (int a = 0; a < kh; a++) {
                        for (int b = 0; b < kw; b++) {
                            int in = ((n * h + i * sh + a) * w + j * sw + b) * c;
                            // Math.max compiles to a vector maximum; a compare-and-branch was 4x slower on ReLU outputs
                            for (int ch = 0; ch < c; ch++) y[out + ch] = Math.max(y[out + ch], x[in + ch]);
                        }
                    }
                    if (at != null) firstOfMaximum(x, y, out, ((n * h + i * sh) * w + j * sw) * c, w, c, at);
                }
            }
        }
    }

    /**
     * Into {@code at[from + ch]}, per channel, the index of the first position (rows, then columns) of the window starting
     * at input index {@code first} that holds {@code max[from + ch]}: visited last to first, without branches (a
     * compare-and-branch search was 2x slower on ReLU outputs); a window holding NaN sends its gradient to its first position.
     */
    private void firstOfMaximum(float[] x, float[] max, int from, int first, int w, int c, int[] at) {
        for (int ch = 0; ch < c; ch++) at[from + ch] = first + ch;
        for (int a = kh - 1; a >= 0; a--) {
            for (int b = kw - 1; b >= 0; b--) {
                int in = first + (a * w + b) * c;
                for (int ch = 0; ch < c; ch++) at[from + ch] = x[in + ch] == max[from + ch] ? in + ch : at[from + ch];
            }
        }
    }

    /**
     * The gradient at the input {@code (batch, height, width, channels)}, row-major, in the activation-gradient
     * workspace, from the gradient at the output; null when not computed here.
     */
    INDArray backward(INDArray nhwc, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (nhwc.rank() != 4 || nhwc.dataType() != DataType.FLOAT || epsilon.rank() != 4 || epsilon.dataType() != DataType.FLOAT) return null;
        int batch = (int) nhwc.size(0), h = (int) nhwc.size(1), w = (int) nhwc.size(2), c = (int) nhwc.size(3);
        int[] o = outputSize(h, w);
        if (o == null) return null;
        int oh = o[0], ow = o[1];
        if (epsilon.size(0) != batch || epsilon.size(1) != oh || epsilon.size(2) != ow || epsilon.size(3) != c) return null;
        float[] x = HeapFloats.read(nhwc);
        float[] e = HeapFloats.read(epsilon);
        float[] dx = new float[x.length];
        float[] max = new float[c];
        int[] at = new int[c];
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int out = ((n * oh + i) * ow + j) * c;
                    int first = ((n * h + i * sh) * w + j * sw) * c;
                    for (int ch = 0; ch < c; ch++) max[ch] = x[first + ch];
                    for (int a = 0; a < kh; a++) {
                        for (int b = 0; b < kw; b++) {
                            int in = ((n * h + i * sh + a) * w + j * sw + b) * c;
                            for (int ch = 0; ch < c; ch++) max[ch] = Math.max(max[ch], x[in + ch]);
                        }
                    }
                    firstOfMaximum(x, max, 0, first, w, c, at);
                    for (int ch = 0; ch < c; ch++) dx[at[ch]] += e[out + ch];
                }
            }
        }
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, new long[] {batch, h, w, c}, 'c');
        new FloatPointer(result.data().addressPointer()).put(dx, 0, dx.length);
        return result;
    }
}
