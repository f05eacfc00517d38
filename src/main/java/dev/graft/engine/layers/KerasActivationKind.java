package dev.graft.engine.layers;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.special.Erf;

/**
 * Keras 3's activation functions, each with its derivative, in double precision, written from Keras 3.15's
 * definitions ({@code keras/src/activations/activations.py} with its default arguments). Element-wise ones map
 * one value to one value; {@link #LOG_SOFTMAX} and {@link #SPARSEMAX} normalise a row (Keras's last axis).
 */
public enum KerasActivationKind {
    GELU("gelu") {
        @Override double f(double x) { return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2))); }
        @Override double df(double x) { return 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI); }
    },
    /** {@code gelu(x, approximate=True)}: the tanh form, which only a layer built in code selects. */
    GELU_APPROXIMATE("gelu_approximate") {
        private static final double C = 0.7978845608028654;   // sqrt(2/pi)
        @Override double f(double x) { return 0.5 * x * (1 + Math.tanh(C * (x + 0.044715 * x * x * x))); }
        @Override double df(double x) {
            double t = Math.tanh(C * (x + 0.044715 * x * x * x));
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * 0.044715 * x * x);
        }
    },
    SILU("silu") {
        @Override double f(double x) { return x * sigmoid(x); }
        @Override double df(double x) { double s = sigmoid(x); return s * (1 + x * (1 - s)); }
    },
    MISH("mish") {
        @Override double f(double x) { return x * Math.tanh(softplus(x)); }
        @Override double df(double x) { double t = Math.tanh(softplus(x)); return t + x * (1 - t * t) * sigmoid(x); }
    },
    /** Keras 3's {@code hard_sigmoid}: relu6(x + 3) / 6. */
    HARD_SIGMOID("hard_sigmoid") {
        @Override double f(double x) { return clip(x / 6 + 0.5, 0, 1); }
        @Override double df(double x) { return x > -3 && x < 3 ? 1.0 / 6 : 0; }
    },
    /** Keras 1/2's {@code hard_sigmoid}: clip(0.2x + 0.5, 0, 1). */
    HARD_SIGMOID_KERAS2("hard_sigmoid_keras2") {
        @Override double f(double x) { return clip(0.2 * x + 0.5, 0, 1); }
        @Override double df(double x) { return x > -2.5 && x < 2.5 ? 0.2 : 0; }
    },
    HARD_SILU("hard_silu") {
        @Override double f(double x) { return x * clip(x / 6 + 0.5, 0, 1); }
        @Override double df(double x) { return x <= -3 ? 0 : x >= 3 ? 1 : x / 3 + 0.5; }
    },
    RELU6("relu6") {
        @Override double f(double x) { return clip(x, 0, 6); }
        @Override double df(double x) { return x > 0 && x < 6 ? 1 : 0; }
    },
    /** The {@code leaky_relu} activation: negative slope 0.2 (the LeakyReLU layer's default is 0.3). */
    LEAKY_RELU("leaky_relu") {
        @Override double f(double x) { return x >= 0 ? x : 0.2 * x; }
        @Override double df(double x) { return x >= 0 ? 1 : 0.2; }
    },
    CELU("celu") {
        @Override double f(double x) { return x > 0 ? x : Math.expm1(x); }
        @Override double df(double x) { return x > 0 ? 1 : Math.exp(x); }
    },
    ELU("elu") {
        @Override double f(double x) { return x > 0 ? x : Math.expm1(x); }
        @Override double df(double x) { return x > 0 ? 1 : Math.exp(x); }
    },
    SELU("selu") {
        private static final double SCALE = 1.0507009873554805;
        private static final double ALPHA = 1.6732632423543772;
        @Override double f(double x) { return SCALE * (x > 0 ? x : ALPHA * Math.expm1(x)); }
        @Override double df(double x) { return SCALE * (x > 0 ? 1 : ALPHA * Math.exp(x)); }
    },
    SOFTPLUS("softplus") {
        @Override double f(double x) { return softplus(x); }
        @Override double df(double x) { return sigmoid(x); }
    },
    SOFTSIGN("softsign") {
        @Override double f(double x) { return x / (1 + Math.abs(x)); }
        @Override double df(double x) { double d = 1 + Math.abs(x); return 1 / (d * d); }
    },
    EXPONENTIAL("exponential") {
        @Override double f(double x) { return Math.exp(x); }
        @Override double df(double x) { return Math.exp(x); }
    },
    HARD_TANH("hard_tanh") {
        @Override double f(double x) { return clip(x, -1, 1); }
        @Override double df(double x) { return x > -1 && x < 1 ? 1 : 0; }
    },
    LOG_SIGMOID("log_sigmoid") {
        @Override double f(double x) { return -softplus(-x); }
        @Override double df(double x) { return sigmoid(-x); }
    },
    HARD_SHRINK("hard_shrink") {
        @Override double f(double x) { return Math.abs(x) > 0.5 ? x : 0; }
        @Override double df(double x) { return Math.abs(x) > 0.5 ? 1 : 0; }
    },
    SOFT_SHRINK("soft_shrink") {
        @Override double f(double x) { return x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0; }
        @Override double df(double x) { return Math.abs(x) > 0.5 ? 1 : 0; }
    },
    TANH_SHRINK("tanh_shrink") {
        @Override double f(double x) { return x - Math.tanh(x); }
        @Override double df(double x) { double t = Math.tanh(x); return t * t; }
    },
    SPARSE_PLUS("sparse_plus") {
        @Override double f(double x) { return x <= -1 ? 0 : x >= 1 ? x : (x + 1) * (x + 1) / 4; }
        @Override double df(double x) { return x <= -1 ? 0 : x >= 1 ? 1 : (x + 1) / 2; }
    },
    SPARSE_SIGMOID("sparse_sigmoid") {
        @Override double f(double x) { return x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1); }
        @Override double df(double x) { return x > -1 && x < 1 ? 0.5 : 0; }
    },
    SQUAREPLUS("squareplus") {
        @Override double f(double x) { return (x + Math.sqrt(x * x + 4)) / 2; }
        @Override double df(double x) { return (1 + x / Math.sqrt(x * x + 4)) / 2; }
    },
    /** {@code log_softmax} over a row. */
    LOG_SOFTMAX("log_softmax") {
        @Override boolean elementwise() { return false; }
        @Override void rowForward(double[] z, double[] y) {
            double max = Arrays.stream(z).max().orElse(0);
            double sum = 0;
            for (double v : z) sum += Math.exp(v - max);
            double lse = max + Math.log(sum);
            for (int i = 0; i < z.length; i++) y[i] = z[i] - lse;
        }
        @Override void rowBackward(double[] z, double[] eps, double[] dz) {
            double[] y = new double[z.length];
            rowForward(z, y);
            double sum = 0;
            for (double e : eps) sum += e;
            for (int i = 0; i < z.length; i++) dz[i] = eps[i] - Math.exp(y[i]) * sum;
        }
    },
    /**
     * {@code sparsemax} over a row as every Keras 3 backend computes it (not quite Martins and Astudillo 2016): with
     * the row sorted descending, {@code cumsum} its running sums and the support the first {@code k} places where
     * {@code 1 + j·z(j) > cumsum(j)}, the threshold is {@code (sum of cumsum over the support - 1) / k}.
     */
    SPARSEMAX("sparsemax") {
        @Override boolean elementwise() { return false; }
        @Override void rowForward(double[] z, double[] y) {
            double tau = threshold(z, null);
            for (int i = 0; i < z.length; i++) y[i] = Math.max(z[i] - tau, 0);
        }
        @Override void rowBackward(double[] z, double[] eps, double[] dz) {
            double[] dTau = new double[z.length];
            double tau = threshold(z, dTau);
            double active = 0;
            for (int i = 0; i < z.length; i++) if (z[i] - tau > 0) active += eps[i];
            for (int i = 0; i < z.length; i++) dz[i] = (z[i] - tau > 0 ? eps[i] : 0) - active * dTau[i];
        }
        /** The threshold; with {@code dTau} given, also its derivative by each input. */
        private double threshold(double[] z, double[] dTau) {
            Integer[] order = new Integer[z.length];
            for (int i = 0; i < z.length; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> Double.compare(z[b], z[a]));
            double cumsum = 0;
            double sumOfCumsums = 0;
            int k = 0;
            for (int j = 1; j <= z.length; j++) {
                double v = z[order[j - 1]];
                cumsum += v;
                if (1 + j * v > cumsum) {
                    sumOfCumsums += cumsum;
                    k++;
                }
            }
            if (dTau != null) for (int m = 1; m <= k; m++) dTau[order[m - 1]] = (double) (k - m + 1) / k;
            return (sumOfCumsums - 1) / k;
        }
    };

    private final String kerasName;

    KerasActivationKind(String kerasName) {
        this.kerasName = kerasName;
    }

    /** The name Keras writes in a configuration (and graft's own names for the variants Keras writes alike). */
    public String kerasName() {
        return kerasName;
    }

    /** Whether each output depends on its own input alone. */
    boolean elementwise() {
        return true;
    }

    double f(double x) {
        throw new UnsupportedOperationException(kerasName + " normalises a row");
    }

    double df(double x) {
        throw new UnsupportedOperationException(kerasName + " normalises a row");
    }

    void rowForward(double[] z, double[] y) {
        for (int i = 0; i < z.length; i++) y[i] = f(z[i]);
    }

    void rowBackward(double[] z, double[] eps, double[] dz) {
        for (int i = 0; i < z.length; i++) dz[i] = eps[i] * df(z[i]);
    }

    /** The kind for a graft name ({@link #kerasName()}), or null. */
    public static KerasActivationKind of(String name) {
        for (KerasActivationKind k : values()) if (k.kerasName.equals(name.toLowerCase(Locale.ROOT))) return k;
        return null;
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static double clip(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }
}
