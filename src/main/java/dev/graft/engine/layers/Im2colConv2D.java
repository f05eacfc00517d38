package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.bytedeco.javacpp.FloatPointer;

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
        if (input.rank() != 4 || weights.rank() != 4 || input.dataType() != DataType.FLOAT || weights.dataType() != DataType.FLOAT
                || (bias != null && bias.dataType() != DataType.FLOAT)
                || !(mode == ConvolutionMode.Same || mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict)) {
            return null;
        }
        int batch = (int) input.size(0), h = (int) input.size(1), w = (int) input.size(2), in = (int) input.size(3);
        int out = (int) weights.size(0);
        int kh = kernel[0], kw = kernel[1], sh = strides[0], sw = strides[1], dh = dilation[0], dw = dilation[1];
        if (weights.size(1) != in || weights.size(2) != kh || weights.size(3) != kw) return null;
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
        int k = kh * kw * in;

        float[] x = rowMajor(input);
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
        float[] zeros = new float[Math.max(kw * in, 1)];
        for (int first = 0; first < batch; first += samplesPerBlock) {
            int samples = Math.min(samplesPerBlock, batch - first);
            int at = 0;
            for (int b = first; b < first + samples; b++) {
                int sample = b * h * w * in;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = ox * sw - left;
                        boolean rowInside = dw == 1 && x0 >= 0 && x0 + kw <= w;
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = oy * sh - top + ky * dh;
                            if (iy < 0 || iy >= h) {
                                System.arraycopy(zeros, 0, gathered, at, kw * in);
                                at += kw * in;
                            } else if (rowInside) {
                                System.arraycopy(x, sample + (iy * w + x0) * in, gathered, at, kw * in);
                                at += kw * in;
                            } else {
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = x0 + kx * dw;
                                    if (ix < 0 || ix >= w) {
                                        System.arraycopy(zeros, 0, gathered, at, in);
                                    } else {
                                        System.arraycopy(x, sample + (iy * w + ix) * in, gathered, at, in);
                                    }
                                    at += in;
                                }
                            }
                        }
                    }
                }
            }
            long rows = (long) samples * pixels;
            nativeValues.position(0).put(gathered, 0, at);
            INDArray block = samples == samplesPerBlock ? nativeBlock : nativeBlock.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
            // Straight into the output rows (libnd4j's matmul writes row-major results in place; INDArray.mmul would copy).
            Nd4j.matmul(block, kernelMatrix, resultRows.get(NDArrayIndex.interval((long) first * pixels, (long) first * pixels + rows), NDArrayIndex.all()));
        }
        if (bias != null) resultRows.addiRowVector(bias.reshape(1, out));
        return result;
    }

    /** The array's values in row-major order on the heap. */
    private static float[] rowMajor(INDArray a) {
        // A permuted array shares its buffer unchanged (and need not count as a view): only default strides mean row-major.
        long[] shape = a.shape(), stride = a.stride();
        boolean rowMajor = a.offset() == 0 && a.data().length() == a.length();
        for (int d = shape.length - 1, expected = 1; d >= 0; expected *= (int) shape[d], d--) {
            rowMajor &= shape[d] == 1 || stride[d] == expected;
        }
        INDArray c = rowMajor ? a : a.dup('c');
        float[] values = new float[Math.toIntExact(c.length())];
        new FloatPointer(c.data().addressPointer()).get(values);
        return values;
    }
}
