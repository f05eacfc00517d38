package dev.graft.engine.train;

import dev.graft.GraftException;
import java.util.Locale;

/**
 * The metrics graft reports, computed from predictions and labels (both Keras layout, rows
 * first). {@code accuracy} means what Keras makes of it for the loss: binary, categorical or
 * sparse categorical accuracy.
 */
public enum Metric {
    BINARY_ACCURACY, CATEGORICAL_ACCURACY, SPARSE_CATEGORICAL_ACCURACY, MEAN_ABSOLUTE_ERROR, MEAN_SQUARED_ERROR;

    /** The names {@code --metrics} takes. */
    public static final java.util.List<String> NAMES = java.util.List.of("accuracy", "binary_accuracy", "categorical_accuracy",
            "sparse_categorical_accuracy", "mae", "mse");

    public static Metric parse(String name, LossKind loss) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "accuracy": case "acc":
                if (loss.labels() == LossKind.Labels.CLASS_INDEX) return SPARSE_CATEGORICAL_ACCURACY;
                if (loss == LossKind.CATEGORICAL_CROSSENTROPY || loss == LossKind.KL_DIVERGENCE) return CATEGORICAL_ACCURACY;
                return BINARY_ACCURACY;
            case "binary_accuracy": return BINARY_ACCURACY;
            case "categorical_accuracy": return CATEGORICAL_ACCURACY;
            case "sparse_categorical_accuracy": return SPARSE_CATEGORICAL_ACCURACY;
            case "mae": case "mean_absolute_error": return MEAN_ABSOLUTE_ERROR;
            case "mse": case "mean_squared_error": return MEAN_SQUARED_ERROR;
            default:
                throw new GraftException("unknown metric '" + name + "': use accuracy, binary_accuracy, categorical_accuracy,"
                        + " sparse_categorical_accuracy, mae or mse");
        }
    }

    /** The column name Keras uses in its history for this metric when asked for it by {@code name}. */
    public String label(String asked) {
        return asked.equalsIgnoreCase("acc") ? "accuracy" : asked.toLowerCase(Locale.ROOT);
    }

    /**
     * @param pred predictions, row-major, {@code rows} rows of {@code width} values
     * @param labels labels, row-major, same layout ({@code width} 1 holding class indices for sparse accuracy)
     */
    public double compute(float[] pred, float[] labels, int rows, int width, int labelWidth) {
        return compute(pred, labels, rows, width, labelWidth, 0.5);
    }

    /** As above, with {@code binary_accuracy}'s threshold: a prediction above it counts as 1 (Keras's rule). */
    public double compute(float[] pred, float[] labels, int rows, int width, int labelWidth, double threshold) {
        double sum = 0;
        switch (this) {
            case BINARY_ACCURACY:
                for (int i = 0; i < pred.length; i++) sum += (pred[i] > threshold) == (labels[i] > 0.5f) ? 1 : 0;
                return sum / pred.length;
            case CATEGORICAL_ACCURACY:
                for (int r = 0; r < rows; r++) sum += argmax(pred, r * width, width) == argmax(labels, r * width, width) ? 1 : 0;
                return sum / rows;
            case SPARSE_CATEGORICAL_ACCURACY:
                for (int r = 0; r < rows; r++) sum += argmax(pred, r * width, width) == Math.round(labels[r * labelWidth]) ? 1 : 0;
                return sum / rows;
            case MEAN_ABSOLUTE_ERROR:
                for (int i = 0; i < pred.length; i++) sum += Math.abs(pred[i] - labels[i]);
                return sum / pred.length;
            default:
                for (int i = 0; i < pred.length; i++) sum += (double) (pred[i] - labels[i]) * (pred[i] - labels[i]);
                return sum / pred.length;
        }
    }

    private static int argmax(float[] v, int from, int width) {
        int best = 0;
        for (int i = 1; i < width; i++) if (v[from + i] > v[from + best]) best = i;
        return best;
    }
}
