package dev.graft.engine.layers;

import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The forward pass of a 2-d convolution on channels-last {@code (batch, height, width, channels)} data as
 * one matrix product per block of samples: each output pixel's receptive field is gathered into a row
 * (kernel rows of {@code kernelWidth × channels} contiguous values each, since channels are innermost),
 * and the rows times the kernel laid out as {@code (kh·kw·in, out)} give the output already in
 * {@code (batch, oh, ow, out)} order. DL4J 1.0.0-M2.1's own forward pass permutes the input to NCHW,
 * gathers through a strided view element by element, and permutes the result back: on the MNIST CNN
 * that gather took four fifths of {@code predict}'s time. The arithmetic is the same (a dot product per
 * output value over the same terms), only summed in another order, so results agree to float rounding.
 *
 * <p>Float32 only, any stride, dilation, and DL4J's {@code Same}, {@code Truncate} and {@code Strict}
 * modes; {@link #forward} returns null for anything else, and the caller computes it DL4J's way.
 */
public final class Im2colConv2D {
    /** Gathered values per block (4 MB of floats): large enough for an efficient product, small enough to stay in cache-friendly memory. */
    private static final long BLOCK_VALUES = 1L << 20;

    private Im2colConv2D() {
    }

    /**
     * @param input    {@code (batch, height, width, in)}, any strides
     * @param weights  DL4J's kernel, {@code (out, in, kh, kw)}
     * @param bias     {@code out} values, or null
     * @param padding  DL4J's explicit padding (ignored in {@code Same} mode, which pads as DL4J and Keras do: the odd one at the bottom/right)
     * @return the pre-activation output {@code (batch, oh, ow, out)}, row-major, in the activations workspace; null when not float32
     */
    public static INDArray forward(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] padding,
                                   int[] dilation, ConvolutionMode mode, LayerWorkspaceMgr workspaceMgr) {
        Geometry g = Geometry.of(input, weights, bias, kernel, strides, padding, dilation, mode);
        if (g == null) return null;
        int batch = g.batch, oh = g.oh, ow = g.ow, out = g.out, k = g.k;

        float[] x = HeapFloats.read(input);
        // (kh, kw, in, out): row r of this matrix multiplies the r-th value of a gathered receptive field.
        INDArray kernelMatrix = weights.permute(2, 3, 1, 0).dup('c').reshape('c', k, out);
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[] {batch, oh, ow, out}, 'c');
        INDArray resultRows = result.reshape('c', (long) batch * oh * ow, out);

        int pixels = oh * ow;
        int samplesPerBlock = (int) Math.max(1, Math.min(batch, BLOCK_VALUES / ((long) pixels * k)));
        float[] gathered = new float[samplesPerBlock * pixels * k];
        // The gathered rows go to native memory in one copy per block, into one buffer reused by every block.
        INDArray nativeBlock = Nd4j.createUninitializedDetached(DataType.FLOAT, (long) samplesPerBlock * pixels, k);
        FloatPointer nativeValues = new FloatPointer(nativeBlock.data().addressPointer());
        for (int first = 0; first < batch; first += samplesPerBlock) {
            int samples = Math.min(samplesPerBlock, batch - first);
            int at = g.gather(x, first, samples, gathered);
            long rows = (long) samples * pixels;
            nativeValues.position(0).put(gathered, 0, at);
            INDArray block = samples == samplesPerBlock ? nativeBlock : nativeBlock.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
            // Straight into the output rows (libnd4j's matmul writes row-major results in place; INDArray.mmul would copy).
            Nd4j.matmul(block, kernelMatrix, resultRows.get(NDArrayIndex.interval((long) first * pixels, (long) first * pixels + rows), NDArrayIndex.all()));
        }
        if (bias != null) resultRows.addiRowVector(bias.reshape(1, out));
        return result;
    }

    /** Largest gathered matrix a backward pass builds in one piece (64 MB of floats); larger batches are DL4J's. */
    static final long BACKWARD_VALUES = 1L << 24;

    /**
     * The backward pass of {@link #forward}, in the same layout: the receptive fields are gathered again, then
     * {@code dW = fieldsᵀ·δ}, {@code db = Σδ} and {@code dx} is {@code δ·Wᵀ} scattered back onto the pixels each field
     * came from, where {@code δ} is the activation's backward pass of {@code epsilon} at the recomputed pre-activation.
     * DL4J's backward pass does the same products, gathering and scattering through strided views.
     *
     * @param epsilon        the loss gradient at the layer's (activated) output, {@code (batch, oh, ow, out)}
     * @param weightGradient DL4J's gradient view of the kernel, {@code (out, in, kh, kw)}, filled here
     * @param biasGradient   the bias's gradient view, filled here; null without bias
     * @return the gradient at the input, {@code (batch, height, width, in)} in the activation-gradient workspace; null
     *         (nothing written) where {@link #forward} computes nothing or the gathered matrix would be too large
     */
    public static INDArray backward(INDArray input, INDArray weights, INDArray bias, INDArray epsilon, IActivation activation, int[] kernel,
                                    int[] strides, int[] padding, int[] dilation, ConvolutionMode mode, INDArray weightGradient,
                                    INDArray biasGradient, LayerWorkspaceMgr workspaceMgr) {
        return backward(input, weights, bias, epsilon, activation, kernel, strides, padding, dilation, mode, weightGradient, biasGradient, null,
                workspaceMgr);
    }

    /**
     * As above, with the pre-activation output {@link #forward} computed for this input and these weights
     * ({@code (batch, oh, ow, out)}, row-major, the layer's training forward pass kept it), which then is not computed again;
     * null: computed again.
     */
    public static INDArray backward(INDArray input, INDArray weights, INDArray bias, INDArray epsilon, IActivation activation, int[] kernel,
                                    int[] strides, int[] padding, int[] dilation, ConvolutionMode mode, INDArray weightGradient,
                                    INDArray biasGradient, INDArray preOutput, LayerWorkspaceMgr workspaceMgr) {
        Geometry g = Geometry.of(input, weights, bias, kernel, strides, padding, dilation, mode);
        if (g == null || epsilon.dataType() != DataType.FLOAT || (long) g.batch * g.oh * g.ow * g.k > BACKWARD_VALUES) return null;
        long rows = (long) g.batch * g.oh * g.ow;
        if (epsilon.length() != rows * g.out) return null;
        float[] x = HeapFloats.read(input);
        float[] gathered = new float[Math.toIntExact(rows * g.k)];
        g.gather(x, 0, g.batch, gathered);
        INDArray fields = Nd4j.createUninitializedDetached(DataType.FLOAT, rows, g.k);
        new FloatPointer(fields.data().addressPointer()).put(gathered, 0, gathered.length);
        INDArray kernelMatrix = weights.permute(2, 3, 1, 0).dup('c').reshape('c', g.k, g.out);

        INDArray z;
        if (preOutput != null && preOutput.length() == rows * g.out) {
            z = preOutput.reshape('c', rows, g.out);
        } else {
            z = Nd4j.matmul(fields, kernelMatrix);
            if (bias != null) z.addiRowVector(bias.reshape(1, g.out));
        }
        INDArray eps = epsilon.dup('c').reshape('c', rows, g.out);
        INDArray delta = activation.backprop(z, eps).getFirst();

        INDArray kernelGradient = Nd4j.matmul(fields, delta, true, false, false);            // (kh·kw·in, out)
        weightGradient.assign(kernelGradient.reshape('c', g.kh, g.kw, g.in, g.out).permute(3, 2, 0, 1));
        if (biasGradient != null) biasGradient.assign(delta.sum(0).reshape(biasGradient.shape()));

        INDArray fieldGradient = Nd4j.matmul(delta, kernelMatrix, false, true, false);       // (rows, kh·kw·in)
        float[] df = new float[gathered.length];
        new FloatPointer(fieldGradient.data().addressPointer()).get(df, 0, df.length);
        float[] dx = new float[Math.toIntExact((long) g.batch * g.h * g.w * g.in)];
        g.scatter(df, dx);
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, new long[] {g.batch, g.h, g.w, g.in}, 'c');
        new FloatPointer(result.data().addressPointer()).put(dx, 0, dx.length);
        return result;
    }

    /** Sizes, strides and padding of one convolution, and the gather and scatter between pixels and receptive fields. */
    record Geometry(int batch, int h, int w, int in, int out, int kh, int kw, int sh, int sw, int dh, int dw, int oh, int ow,
                            int top, int left, int k) {
        static Geometry of(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] padding, int[] dilation,
                           ConvolutionMode mode) {
            if (input.rank() != 4 || weights.rank() != 4 || input.dataType() != DataType.FLOAT || weights.dataType() != DataType.FLOAT
                    || (bias != null && bias.dataType() != DataType.FLOAT)
                    || !(mode == ConvolutionMode.Same || mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict)) {
                return null;
            }
            int batch = (int) input.size(0), h = (int) input.size(1), w = (int) input.size(2), in = (int) input.size(3);
            int out = (int) weights.size(0);
            if (weights.size(1) != in || weights.size(2) != kernel[0] || weights.size(3) != kernel[1]) return null;
            return of(batch, h, w, in, out, kernel, strides, padding, dilation, mode);
        }

        /** The same from the sizes alone: a batch of {@code (h, w, in)} images and {@code out} filters; null for another mode or no output. */
        static Geometry of(int batch, int h, int w, int in, int out, int[] kernel, int[] strides, int[] padding, int[] dilation,
                           ConvolutionMode mode) {
            if (!(mode == ConvolutionMode.Same || mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict)) return null;
            int kh = kernel[0], kw = kernel[1], sh = strides[0], sw = strides[1], dh = dilation[0], dw = dilation[1];
            int effH = kh + (kh - 1) * (dh - 1), effW = kw + (kw - 1) * (dw - 1);
            int oh, ow, top, left;
            if (mode == ConvolutionMode.Same) {
                oh = (h + sh - 1) / sh;
                ow = (w + sw - 1) / sw;
                top = Math.max(0, ((oh - 1) * sh + effH - h) / 2);
                left = Math.max(0, ((ow - 1) * sw + effW - w) / 2);
            } else {
                top = padding[0];
                left = padding[1];
                oh = (h + 2 * top - effH) / sh + 1;
                ow = (w + 2 * left - effW) / sw + 1;
            }
            if (oh <= 0 || ow <= 0) return null;
            return new Geometry(batch, h, w, in, out, kh, kw, sh, sw, dh, dw, oh, ow, top, left, kh * kw * in);
        }

        /** Receptive fields of samples [first, first + samples) as rows of {@code (kh, kw, in)} values; returns the values written. */
        int gather(float[] x, int first, int samples, float[] gathered) {
            return gather(x, first, samples, gathered, false);
        }

        /**
         * As {@link #gather(float[], int, int, float[])}, each row followed by a 1 when {@code ones}: rows of {@code k + 1}
         * values, whose product with a kernel followed by a row holding the bias adds the bias, and whose product with the
         * gradient at the output sums that gradient's columns (the bias's gradient).
         */
        int gather(float[] x, int first, int samples, float[] gathered, boolean ones) {
            int at = 0;
            int span = kw * in;
            for (int b = first; b < first + samples; b++) {
                int sample = b * h * w * in;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = ox * sw - left;
                        boolean rowInside = dw == 1 && x0 >= 0 && x0 + kw <= w;
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = oy * sh - top + ky * dh;
                            if (iy < 0 || iy >= h) {
                                java.util.Arrays.fill(gathered, at, at + span, 0f);
                                at += span;
                            } else if (rowInside) {
                                System.arraycopy(x, sample + (iy * w + x0) * in, gathered, at, span);
                                at += span;
                            } else {
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = x0 + kx * dw;
                                    if (ix < 0 || ix >= w) {
                                        java.util.Arrays.fill(gathered, at, at + in, 0f);
                                    } else {
                                        System.arraycopy(x, sample + (iy * w + ix) * in, gathered, at, in);
                                    }
                                    at += in;
                                }
                            }
                        }
                        if (ones) gathered[at++] = 1f;
                    }
                }
            }
            return at;
        }

        /** The opposite of {@link #gather} for every sample: each field value added back onto the pixel it came from. */
        void scatter(float[] fields, float[] dx) {
            scatter(fields, 0, dx, 0, batch);
        }

        /** As {@link #scatter(float[], float[])} for samples [first, first + samples), whose fields start at {@code fieldsFrom}. */
        void scatter(float[] fields, int fieldsFrom, float[] dx, int first, int samples) {
            int at = fieldsFrom;
            int span = kw * in;
            for (int b = first; b < first + samples; b++) {
                int sample = b * h * w * in;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = ox * sw - left;
                        boolean rowInside = dw == 1 && x0 >= 0 && x0 + kw <= w;
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = oy * sh - top + ky * dh;
                            if (rowInside && iy >= 0 && iy < h) {
                                // the kernel row's pixels are adjacent: one run of kw·in values (as gather copies them)
                                int to = sample + (iy * w + x0) * in;
                                for (int j = 0; j < span; j++) dx[to + j] += fields[at + j];
                                at += span;
                                continue;
                            }
                            for (int kx = 0; kx < kw; kx++, at += in) {
                                int ix = x0 + kx * dw;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                int to = sample + (iy * w + ix) * in;
                                for (int c = 0; c < in; c++) dx[to + c] += fields[at + c];
                            }
                        }
                    }
                }
            }
        }
    }
}
