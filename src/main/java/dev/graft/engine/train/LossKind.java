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
    HINGE("hinge", LossFunction.HINGE, Labels.REAL),
    SQUARED_HINGE("squared_hinge", LossFunction.SQUARED_HINGE, Labels.REAL),
    KL_DIVERGENCE("kl_divergence", LossFunction.KL_DIVERGENCE, Labels.DISTRIBUTION),
    POISSON("poisson", LossFunction.POISSON, Labels.REAL);

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

    public LossFunction dl4j() {
        return dl4j;
    }

    public Labels labels() {
        return labels;
    }

    /** Keras's names and aliases ({@code mse}, {@code mae}, {@code kld}, class names such as {@code BinaryCrossentropy}). */
    public static LossKind parse(String name) {
        String n = name.trim().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        switch (n) {
            case "mse": return MEAN_SQUARED_ERROR;
            case "mae": return MEAN_ABSOLUTE_ERROR;
            case "msle": return MEAN_SQUARED_LOGARITHMIC_ERROR;
            case "kld": case "kullback_leibler_divergence": case "k_l_divergence": return KL_DIVERGENCE;
            case "binary_crossentropy": case "binaryxent": case "xent": return BINARY_CROSSENTROPY;
            case "categorical_crossentropy": case "mcxent": return CATEGORICAL_CROSSENTROPY;
            case "sparse_categorical_crossentropy": case "sparse_mcxent": return SPARSE_CATEGORICAL_CROSSENTROPY;
            default:
                for (LossKind k : values()) if (k.kerasName.equals(n)) return k;
                throw new GraftException("unknown loss '" + name + "': use one of " + String.join(", ",
                        java.util.Arrays.stream(values()).map(LossKind::kerasName).toList()) + " (or mse, mae)");
        }
    }
}
