package dev.graft.engine;

import dev.graft.Fixtures;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Keras 2.2.4 seq2seq model (English to katakana): Embedding(mask_zero) → LSTM encoder whose last
 * output is the decoder LSTM's {@code initial_state=[h, h]}, then TimeDistributed(Dense(89, softmax)).
 * No predictions were stored with it, so the engine's output is checked against Keras's equations computed
 * here in plain Java from the weights graft reads (Keras 2's hard_sigmoid {@code clip(0.2x + 0.5, 0, 1)}).
 */
class KatakanaSeq2SeqTest {
    private static final int ENC_STEPS = 85;
    private static final int DEC_STEPS = 45;

    @Test
    void matchesKerasEquationsOnUnpaddedSequences() {
        ModelGraph model = ModelFiles.read(Fixtures.file("wild/eng_katakana_seq2seq_2in_k224.h5"));
        Random rnd = new Random(3);
        int batch = 3;
        int[][] enc = new int[batch][ENC_STEPS];
        int[][] dec = new int[batch][DEC_STEPS];
        for (int b = 0; b < batch; b++) {
            fill(enc[b], 0, ENC_STEPS, 53, rnd);
            fill(dec[b], 0, DEC_STEPS, 88, rnd);
        }
        check(model, enc, dec);
    }

    /**
     * Zero-padded token sequences, as the model was trained on (mask_zero): padding after, before and inside a
     * sequence. Masked steps leave the states unchanged and, Keras 2.2.4 being the producer, output the
     * carried state; the decoder starts from the encoder's last unmasked output.
     */
    @Test
    void matchesKerasEquationsOnPaddedSequences() {
        ModelGraph model = ModelFiles.read(Fixtures.file("wild/eng_katakana_seq2seq_2in_k224.h5"));
        Random rnd = new Random(4);
        int[][] enc = new int[4][ENC_STEPS];
        int[][] dec = new int[4][DEC_STEPS];
        fill(enc[0], 0, 12, 53, rnd);                       // after
        fill(dec[0], 0, 9, 88, rnd);
        fill(enc[1], ENC_STEPS - 20, ENC_STEPS, 53, rnd);   // before
        fill(dec[1], DEC_STEPS - 6, DEC_STEPS, 88, rnd);
        fill(enc[2], 0, 30, 53, rnd);                       // inside and after
        fill(enc[2], 40, 50, 53, rnd);
        fill(dec[2], 3, 20, 88, rnd);
        fill(enc[3], 0, ENC_STEPS, 53, rnd);                // none
        fill(dec[3], 0, DEC_STEPS, 88, rnd);
        check(model, enc, dec);
    }

    private static void fill(int[] row, int from, int to, int vocabulary, Random rnd) {
        for (int t = from; t < to; t++) row[t] = 1 + rnd.nextInt(vocabulary);
    }

    private static void check(ModelGraph model, int[][] enc, int[][] dec) {
        ComputationGraph net = KerasEngine.build(model);
        INDArray[] out = net.output(false, tokens(enc), tokens(dec));
        assertEquals(1, out.length);
        assertArrayEquals(new long[]{enc.length, DEC_STEPS, 89}, out[0].shape());
        double[][][] ref = new Reference(model).run(enc, dec);
        double max = 0;
        for (int b = 0; b < enc.length; b++) {
            for (int t = 0; t < DEC_STEPS; t++) {
                for (int k = 0; k < 89; k++) max = Math.max(max, Math.abs(out[0].getDouble(b, t, k) - ref[b][t][k]));
            }
        }
        System.out.printf("eng_katakana_seq2seq_2in_k224: max |graft - reference| = %.3g over %s%n", max,
                Arrays.toString(out[0].shape()));
        assertTrue(max < 1e-5, "max abs difference to the reference " + max);
    }

    private static INDArray tokens(int[][] t) {
        float[][] f = new float[t.length][t[0].length];
        for (int b = 0; b < t.length; b++) for (int i = 0; i < t[b].length; i++) f[b][i] = t[b][i];
        return Nd4j.create(f);
    }

    /** Keras 2.2.4's computation of this model, with masking (masked steps carry the state and output it). */
    static final class Reference {
        private final double[][] emb1, emb2, k1, u1, k2, u2, dk;
        private final double[] b1, b2, db;

        Reference(ModelGraph m) {
            emb1 = matrix(weight(m, "embedding_1", "embeddings"));
            emb2 = matrix(weight(m, "embedding_2", "embeddings"));
            k1 = matrix(weight(m, "lstm_1", "kernel"));
            u1 = matrix(weight(m, "lstm_1", "recurrent_kernel"));
            b1 = vector(weight(m, "lstm_1", "bias"));
            k2 = matrix(weight(m, "lstm_2", "kernel"));
            u2 = matrix(weight(m, "lstm_2", "recurrent_kernel"));
            b2 = vector(weight(m, "lstm_2", "bias"));
            dk = matrix(weight(m, "time_distributed_1", "kernel"));
            db = vector(weight(m, "time_distributed_1", "bias"));
        }

        double[][][] run(int[][] enc, int[][] dec) {
            double[][][] out = new double[enc.length][DEC_STEPS][];
            for (int b = 0; b < enc.length; b++) {
                double[][] state = {new double[64], new double[64]};
                for (int token : enc[b]) {
                    if (token != 0) state = step(emb1[token], state, k1, u1, b1);
                }
                double[] h = state[0];
                state = new double[][]{h.clone(), h.clone()};   // initial_state=[encoder, encoder]
                for (int t = 0; t < DEC_STEPS; t++) {
                    if (dec[b][t] != 0) state = step(emb2[dec[b][t]], state, k2, u2, b2);
                    out[b][t] = softmax(dense(state[0]));
                }
            }
            return out;
        }

        private static double[][] step(double[] x, double[][] hc, double[][] k, double[][] u, double[] bias) {
            int n = u.length;
            double[] h = hc[0], c = hc[1];
            double[] z = bias.clone();
            for (int j = 0; j < 4 * n; j++) {
                for (int f = 0; f < x.length; f++) z[j] += x[f] * k[f][j];
                for (int f = 0; f < n; f++) z[j] += h[f] * u[f][j];
            }
            double[] h2 = new double[n], c2 = new double[n];
            for (int j = 0; j < n; j++) {
                double i = hardSigmoid(z[j]), fg = hardSigmoid(z[n + j]), o = hardSigmoid(z[3 * n + j]);
                c2[j] = fg * c[j] + i * Math.tanh(z[2 * n + j]);
                h2[j] = o * Math.tanh(c2[j]);
            }
            return new double[][]{h2, c2};
        }

        private static double hardSigmoid(double v) {
            return Math.max(0, Math.min(1, 0.2 * v + 0.5));
        }

        private double[] dense(double[] h) {
            double[] y = db.clone();
            for (int k = 0; k < y.length; k++) for (int j = 0; j < h.length; j++) y[k] += h[j] * dk[j][k];
            return y;
        }

        private static double[] softmax(double[] y) {
            double max = Arrays.stream(y).max().orElse(0), sum = 0;
            double[] p = new double[y.length];
            for (int k = 0; k < y.length; k++) sum += p[k] = Math.exp(y[k] - max);
            for (int k = 0; k < y.length; k++) p[k] /= sum;
            return p;
        }

        private static HostArray weight(ModelGraph m, String layer, String role) {
            for (Weight w : m.layer(layer).weights()) if (w.role().equals(role)) return w.read();
            throw new AssertionError("no " + role + " in " + layer);
        }

        private static double[][] matrix(HostArray a) {
            long[] s = a.shape();
            double[][] m = new double[(int) s[0]][(int) s[1]];
            for (int r = 0; r < s[0]; r++) for (int c = 0; c < s[1]; c++) m[r][c] = a.getDouble(r * s[1] + c);
            return m;
        }

        private static double[] vector(HostArray a) {
            double[] v = new double[(int) a.size()];
            for (int i = 0; i < v.length; i++) v[i] = a.getDouble(i);
            return v;
        }
    }
}
