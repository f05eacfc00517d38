package dev.graft.engine.train;

import dev.graft.GraftException;
import java.util.Locale;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The Keras losses graft trains with, the DL4J loss that computes each, and what labels each
 * needs. Keras names are what {@code compile()} records and {@code --loss} takes.
 */
public enum LossKind {
    BINARY_CROSSENTROPY("binary_crossentropy", LossFunction.XENT, Labels.ZERO_ONE),
    CATEGORICAL_CROSSENTROPY("categorical_crossentropy", LossFunction.MCXENT, Labels.DISTRIBUTION),
    SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy", LossFunction.SPARSE_MCXENT, Labels.CLASS_INDEX),
    MEAN_SQUARED_ERROR("mean_squared_error", LossFunction.MSE, Labels.REAL),
    MEAN_ABSOLUTE_ERROR("mean_absolute_error", LossFunction.MEAN_ABSOLUTE_ERROR, Labels.REAL),
    MEAN_SQUARED_LOGARITHMIC_ERROR("mean_squared_logarithmic_error", LossFunction.MEAN_SQUARED_LOGARITHMIC_ERROR, Labels.REAL),
    HINGE("hinge", null, Labels.REAL),
    SQUARED_HINGE("squared_hinge", null, Labels.REAL),
    KL_DIVERGENCE("kl_divergence", null, Labels.DISTRIBUTION),
    POISSON("poisson", null, Labels.REAL),
    HUBER("huber", null, Labels.REAL),
    LOG_COSH("log_cosh", null, Labels.REAL);

    /** What a loss needs of its labels. */
    public enum Labels { ZERO_ONE, DISTRIBUTION, CLASS_INDEX, REAL }

    private final String kerasName;
    private final LossFunction dl4j;
    private final Labels labels;

    LossKind(String kerasName, LossFunction dl4j, Labels labels) {
        this.kerasName = kerasName;
        this.dl4j = dl4j;
        this.labels = labels;
    }

    public String kerasName() {
        return kerasName;
    }

    /** The engine's loss that trains exactly this Keras loss (graft's own where the engine has none). */
    public org.nd4j.linalg.lossfunctions.ILossFunction lossFunction(LossSettings settings, long outputs) {
        if (!engineHasIt()) return new KerasElementLoss(kerasName, settings.delta());
        if (this == BINARY_CROSSENTROPY) {
            // Keras: the mean over the outputs, probabilities clipped to [1e-7, 1 - 1e-7]; the engine sums and clips at 1e-5
            var weights = outputs > 1 ? org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {1, outputs}, 1.0 / outputs) : null;
            return new org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT(1e-7, weights);
        }
        // the engine's cross-entropies are Keras's on a softmax output only (KerasProbabilityLoss keeps them there)
        if (this == CATEGORICAL_CROSSENTROPY) return new KerasProbabilityLoss(false);
        if (this == SPARSE_CATEGORICAL_CROSSENTROPY) return new KerasProbabilityLoss(true);
        return dl4j.getILossFunction();
    }

    /** Whether a DL4J zip can record this loss: the engine computes it as Keras does. */
    public boolean engineHasIt() {
        return dl4j != null;
    }

    public Labels labels() {
        return labels;
    }

    /**
     * The loss as Keras computes it on whole predictions: the mean over samples (and steps) of each
     * row's loss, probabilities clipped to [1e-7, 1 - 1e-7] as Keras's backend does.
     *
     * @param pred rows of {@code width} predictions; {@code labels} rows of {@code labelWidth} values
     */
    public double evaluate(float[] pred, float[] labels, int rows, int width, int labelWidth) {
        return evaluate(pred, labels, rows, width, labelWidth, 1.0);
    }

    /** As {@link #evaluate(float[], float[], int, int, int)}, with Huber's {@code delta}. */
    public double evaluate(float[] pred, float[] labels, int rows, int width, int labelWidth, double delta) {
        final double eps = 1e-7;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int p0 = r * width, l0 = r * labelWidth;
            double row = 0;
            switch (this) {
                case SPARSE_CATEGORICAL_CROSSENTROPY: {
                    double sum = 0;
                    for (int k = 0; k < width; k++) sum += pred[p0 + k];
                    row = -Math.log(clip(pred[p0 + Math.round(labels[l0])] / sum, eps));
                    break;
                }
                case CATEGORICAL_CROSSENTROPY: {
                    double sum = 0;
                    for (int k = 0; k < width; k++) sum += pred[p0 + k];
                    for (int k = 0; k < width; k++) row -= labels[l0 + k] * Math.log(clip(pred[p0 + k] / sum, eps));
                    break;
                }
                case KL_DIVERGENCE:
                    for (int k = 0; k < width; k++) {
                        // Keras clips both to [epsilon, 1]
                        double y = Math.min(Math.max(labels[l0 + k], eps), 1);
                        row += y * Math.log(y / Math.min(Math.max(pred[p0 + k], eps), 1));
                    }
                    break;
                default:
                    for (int k = 0; k < width; k++) row += elementLoss(pred[p0 + k], labels[l0 + k], eps, delta);
                    row /= width;
            }
            total += row;
        }
        return total / rows;
    }

    private double elementLoss(double p, double y, double eps, double delta) {
        switch (this) {
            case BINARY_CROSSENTROPY: {
                double q = clip(p, eps);
                return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
            }
            case MEAN_ABSOLUTE_ERROR: return Math.abs(p - y);
            case MEAN_SQUARED_LOGARITHMIC_ERROR: {
                double d = Math.log(Math.max(p, eps) + 1) - Math.log(Math.max(y, eps) + 1);
                return d * d;
            }
            case HINGE: return Math.max(1 - signed(y) * p, 0);
            case SQUARED_HINGE: {
                double h = Math.max(1 - signed(y) * p, 0);
                return h * h;
            }
            case POISSON: return p - y * Math.log(p + eps);
            case HUBER: {
                double abs = Math.abs(p - y), quadratic = Math.min(abs, delta);
                return 0.5 * quadratic * quadratic + delta * (abs - quadratic);
            }
            case LOG_COSH: {
                double x = p - y;
                double z = -2 * x; // Keras: x + softplus(-2x) - log(2), softplus written without overflow
                return x + Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - Math.log(2);
            }
            default: return (p - y) * (p - y);
        }
    }

    /** Keras's hinge losses take 0/1 labels as -1/1. */
    private static double signed(double y) {
        return y == 0 || y == 1 ? 2 * y - 1 : y;
    }

    /** Keras clips in float32: its upper bound 1 - 1e-7 is the float 0.99999988. */
    private static double clip(double p, double eps) {
        return Math.min(Math.max(p, (float) eps), (float) (1 - eps));
    }

    /** The Keras names graft trains with, for messages and help. */
    public static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(LossKind::kerasName).toList());
    }

    /** Keras's names and aliases ({@code mse}, {@code mae}, {@code kld}, class names such as {@code BinaryCrossentropy}, DL4J's). */
    public static LossKind parse(String name) {
        String keras = dev.graft.model.TrainingVocabulary.loss(name);
        if (keras != null) for (LossKind k : values()) if (k.kerasName.equals(keras)) return k;
        throw new GraftException("unknown loss '" + name + "': use one of " + dev.graft.model.TrainingVocabulary.lossList());
    }
}
