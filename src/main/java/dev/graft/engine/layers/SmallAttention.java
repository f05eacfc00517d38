package dev.graft.engine.layers;

import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arithmetic of attention over short sequences on plain float arrays, for {@link DirectInferenceVertex}: per
 * sample and head, scores of every query step against every key step, Keras's {@code -1e9} added to the causally
 * hidden ones, a softmax over the key steps and the weighted sum of the values. Arrays are row-major
 * {@code [batch, steps, heads, dim]} (one head: {@code [batch, steps, dim]}), as a {@code [batch·steps, heads·dim]}
 * projection leaves them, so nothing is permuted.
 */
final class SmallAttention {
    /** Up to this many (query step, key step) pairs per head the loops beat SameDiff's batched products (measured on 5-10 steps). */
    static final long MAX_PAIRS = 1024;

    private SmallAttention() {
    }

    /** Whether these arrays are for the direct path: float, steps few enough for the plain loops. */
    static boolean suits(INDArray query, INDArray key, RNNFormat queryFormat, RNNFormat keyFormat) {
        if (query.dataType() != DataType.FLOAT || key.dataType() != DataType.FLOAT || query.rank() != 3 || key.rank() != 3) return false;
        long tq = query.size(queryFormat == RNNFormat.NCW ? 2 : 1);
        long tk = key.size(keyFormat == RNNFormat.NCW ? 2 : 1);
        return tq * tk <= MAX_PAIRS;
    }

    /** {@code x} as a {@code [batch, steps, features]} array (a view). */
    static INDArray nwc(INDArray x, RNNFormat format) {
        return format == RNNFormat.NCW ? x.permute(0, 2, 1) : x;
    }

    /** The elements of {@code x} in row-major order, copied once (in one block when {@code x} is row-major already). */
    static float[] floats(INDArray x) {
        return HeapFloats.read(x);
    }

    /**
     * Turns {@code scores} (the {@code tk} scores of one query step, already scaled) into softmax weights in place,
     * with Keras's causal adder for key steps after {@code queryStep} when {@code causal}.
     */
    static void softmax(float[] scores, int tk, boolean causal, int queryStep) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < tk; j++) {
            if (causal && j > queryStep) scores[j] += -1e9f;
            if (scores[j] > max) max = scores[j];
        }
        float sum = 0;
        for (int j = 0; j < tk; j++) {
            scores[j] = (float) Math.exp(scores[j] - max);
            sum += scores[j];
        }
        for (int j = 0; j < tk; j++) scores[j] /= sum;
    }

    /**
     * Dot-product attention for every sample and head: {@code out[b, i, h, :] = softmax_j(scale · q[b,i,h,:]·k[b,j,g,:])
     * · v[b, j, g, :]} with {@code g = h / (heads / kvHeads)} (grouped-query attention shares a key/value head).
     */
    static float[] dot(float[] q, float[] k, float[] v, int batch, int tq, int tk, int heads, int kvHeads, int keyDim, int valueDim,
                       float scale, boolean causal) {
        float[] out = new float[batch * tq * heads * valueDim];
        float[] s = new float[tk];
        int per = heads / kvHeads;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int g = h / per;
                for (int i = 0; i < tq; i++) {
                    int qo = ((b * tq + i) * heads + h) * keyDim;
                    for (int j = 0; j < tk; j++) {
                        int ko = ((b * tk + j) * kvHeads + g) * keyDim;
                        float dot = 0;
                        for (int d = 0; d < keyDim; d++) dot += q[qo + d] * k[ko + d];
                        s[j] = dot * scale;
                    }
                    softmax(s, tk, causal, i);
                    weightedValues(s, v, out, ((b * tq + i) * heads + h) * valueDim, b * tk, tk, kvHeads, g, valueDim);
                }
            }
        }
        return out;
    }

    /** {@code out[o .. o+valueDim) = Σ_j w[j] · v[row0 + j, head, :]}. */
    static void weightedValues(float[] w, float[] v, float[] out, int o, int row0, int tk, int kvHeads, int head, int valueDim) {
        for (int j = 0; j < tk; j++) {
            float p = w[j];
            int vo = ((row0 + j) * kvHeads + head) * valueDim;
            for (int d = 0; d < valueDim; d++) out[o + d] += p * v[vo + d];
        }
    }

    /** {@code [batch, steps, features]} row-major floats as an ND4J array in {@code format}. */
    static INDArray sequence(float[] values, long batch, long steps, long features, RNNFormat format) {
        INDArray x = Nd4j.createUninitialized(DataType.FLOAT, batch, steps, features);   // in the workspace open, if any
        new FloatPointer(x.data().addressPointer()).put(values, 0, values.length);
        return format == RNNFormat.NCW ? x.permute(0, 2, 1) : x;
    }
}
