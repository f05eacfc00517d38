package dev.graft.engine.layers;

import java.util.function.DoubleUnaryOperator;

/**
 * Keras's GRU written as plain scalar loops, straight from the equations of {@code GRUCell.call}
 * (keras/src/layers/rnn/gru.py), sharing no code with the layer under test.
 */
final class ReferenceGru {

    static final DoubleUnaryOperator TANH = Math::tanh;
    static final DoubleUnaryOperator SIGMOID = v -> 1.0 / (1.0 + Math.exp(-v));
    static final DoubleUnaryOperator HARD_SIGMOID_K2 = v -> Math.max(0.0, Math.min(1.0, 0.2 * v + 0.5));
    static final DoubleUnaryOperator HARD_SIGMOID_K3 = v -> Math.max(0.0, Math.min(1.0, v / 6.0 + 0.5));
    static final DoubleUnaryOperator LINEAR = v -> v;
    static final DoubleUnaryOperator RELU = v -> Math.max(0.0, v);

    private ReferenceGru() {
    }

    /**
     * @param x    [batch][steps][features]
     * @param w    kernel [features][3u]
     * @param u    recurrent kernel [units][3u]
     * @param bias null (no bias), one row [3u] (reset_before) or two rows (reset_after: input, recurrent)
     * @return [batch][steps][units] in processing order when returnSequences, else [batch][1][units]
     */
    static double[][][] run(double[][][] x, double[][] w, double[][] u, double[][] bias, boolean resetAfter,
                            DoubleUnaryOperator act, DoubleUnaryOperator recAct,
                            boolean returnSequences, boolean goBackwards) {
        int batch = x.length;
        int steps = x[0].length;
        int nIn = x[0][0].length;
        int units = u.length;
        double[][][] out = new double[batch][returnSequences ? steps : 1][];
        for (int b = 0; b < batch; b++) {
            double[] h = new double[units];
            for (int i = 0; i < steps; i++) {
                double[] xt = x[b][goBackwards ? steps - 1 - i : i];
                double[] mx = new double[3 * units];   // x·W + input bias
                double[] mh = new double[3 * units];   // h·U (+ recurrent bias), z and r blocks always
                for (int c = 0; c < 3 * units; c++) {
                    double s = bias == null ? 0.0 : bias[0][c];
                    for (int f = 0; f < nIn; f++) {
                        s += xt[f] * w[f][c];
                    }
                    mx[c] = s;
                    double r = (resetAfter && bias != null) ? bias[1][c] : 0.0;
                    for (int k = 0; k < units; k++) {
                        r += h[k] * u[k][c];
                    }
                    mh[c] = r;
                }
                double[] z = new double[units];
                double[] rg = new double[units];
                for (int j = 0; j < units; j++) {
                    z[j] = recAct.applyAsDouble(mx[j] + mh[j]);
                    rg[j] = recAct.applyAsDouble(mx[units + j] + mh[units + j]);
                }
                double[] hNew = new double[units];
                for (int j = 0; j < units; j++) {
                    double rec;
                    if (resetAfter) {
                        rec = rg[j] * mh[2 * units + j];
                    } else {
                        rec = 0.0;
                        for (int k = 0; k < units; k++) {
                            rec += rg[k] * h[k] * u[k][2 * units + j];
                        }
                    }
                    double hh = act.applyAsDouble(mx[2 * units + j] + rec);
                    hNew[j] = z[j] * h[j] + (1.0 - z[j]) * hh;
                }
                h = hNew;
                if (returnSequences) {
                    out[b][i] = h.clone();
                }
            }
            if (!returnSequences) {
                out[b][0] = h;
            }
        }
        return out;
    }
}
