package dev.graft.engine.layers;

import java.util.function.DoubleUnaryOperator;

/**
 * Keras's LSTM written as plain scalar loops, straight from {@code LSTMCell.call} and the masking of
 * Keras's backend {@code rnn} loop, sharing no code with the vertex under test.
 */
final class ReferenceLstm {

    /** What Keras outputs at a masked step; see {@link LstmMaskedOutput}. */
    enum Masked { STATE, PREVIOUS, ZERO }

    /** Everything the layer returns: outputs [batch][steps or 1][units] and the final h and c [batch][units]. */
    record Result(double[][][] output, double[][] h, double[][] c) {
    }

    private ReferenceLstm() {
    }

    /**
     * @param x    [batch][steps][features]
     * @param w    kernel [features][4u], gate blocks i, f, c, o
     * @param u    recurrent kernel [units][4u]
     * @param bias [4u] or null
     * @param h0   initial h [batch][units] or null (zeros); likewise c0
     * @param mask [batch][steps] (true: the step counts) or null
     */
    static Result run(double[][][] x, double[][] w, double[][] u, double[] bias, double[][] h0, double[][] c0,
                      boolean[][] mask, Masked masked, DoubleUnaryOperator act, DoubleUnaryOperator recAct,
                      boolean returnSequences, boolean goBackwards) {
        int batch = x.length;
        int steps = x[0].length;
        int nIn = x[0][0].length;
        int units = u.length;
        double[][][] out = new double[batch][returnSequences ? steps : 1][];
        double[][] hs = new double[batch][];
        double[][] cs = new double[batch][];
        for (int b = 0; b < batch; b++) {
            double[] h = h0 == null ? new double[units] : h0[b].clone();
            double[] c = c0 == null ? new double[units] : c0[b].clone();
            double[] prevOut = masked == Masked.STATE ? h.clone() : new double[units];
            for (int i = 0; i < steps; i++) {
                int t = goBackwards ? steps - 1 - i : i;
                double[] xt = x[b][t];
                double[] z = new double[4 * units];
                for (int k = 0; k < 4 * units; k++) {
                    double s = bias == null ? 0.0 : bias[k];
                    for (int f = 0; f < nIn; f++) {
                        s += xt[f] * w[f][k];
                    }
                    for (int j = 0; j < units; j++) {
                        s += h[j] * u[j][k];
                    }
                    z[k] = s;
                }
                double[] hNew = new double[units];
                double[] cNew = new double[units];
                for (int j = 0; j < units; j++) {
                    double ig = recAct.applyAsDouble(z[j]);
                    double fg = recAct.applyAsDouble(z[units + j]);
                    double cc = act.applyAsDouble(z[2 * units + j]);
                    double og = recAct.applyAsDouble(z[3 * units + j]);
                    cNew[j] = fg * c[j] + ig * cc;
                    hNew[j] = og * act.applyAsDouble(cNew[j]);
                }
                double[] o;
                if (mask == null || mask[b][t]) {
                    h = hNew;
                    c = cNew;
                    o = hNew;
                } else if (masked == Masked.ZERO) {
                    o = new double[units];
                } else {
                    o = masked == Masked.STATE ? h : prevOut;   // Keras 2.2: states[0]; later: previous output
                }
                prevOut = o;
                if (returnSequences) {
                    out[b][i] = o.clone();
                }
            }
            if (!returnSequences) {
                out[b][0] = prevOut.clone();
            }
            hs[b] = h;
            cs[b] = c;
        }
        return new Result(out, hs, cs);
    }
}
