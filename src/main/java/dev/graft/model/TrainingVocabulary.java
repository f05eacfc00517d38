package dev.graft.model;

import dev.graft.GraftException;
import dev.graft.engine.train.OptimizerKind;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names of optimizers and losses graft accepts, shared by every command that records or uses a
 * training configuration ({@code merge}, {@code adapt}, {@code train}) and by {@code inspect}, so
 * that a name one command accepts is never refused by the next. Optimizers are
 * {@link OptimizerKind}'s (what {@code train} computes, with Keras's arguments); losses are named
 * here, and {@code train}'s {@code LossKind} looks its names up here. Lookups never fail (null for
 * an unknown name) and load nothing of ND4J, so {@code inspect} and {@code merge} stay light.
 */
public final class TrainingVocabulary {
    /** Keras's loss names, in help order (what {@code train} computes: {@code engine.train.LossKind}, checked equal by a test). */
    private static final List<String> LOSS_NAMES = List.of("binary_crossentropy", "categorical_crossentropy",
            "sparse_categorical_crossentropy", "mean_squared_error", "mean_absolute_error", "mean_squared_logarithmic_error",
            "hinge", "squared_hinge", "kl_divergence", "poisson", "huber", "log_cosh");

    /** Every other accepted spelling, lower case with underscores, to its Keras name. */
    private static final Map<String, String> LOSS_ALIASES = Map.ofEntries(
            // Keras's short names and old spellings
            Map.entry("mse", "mean_squared_error"), Map.entry("mae", "mean_absolute_error"),
            Map.entry("msle", "mean_squared_logarithmic_error"), Map.entry("kld", "kl_divergence"),
            Map.entry("kullback_leibler_divergence", "kl_divergence"), Map.entry("kldivergence", "kl_divergence"),
            Map.entry("bce", "binary_crossentropy"), Map.entry("huber_loss", "huber"), Map.entry("logcosh", "log_cosh"),
            // DL4J's names (LossBinaryXENT is "binaryxent", LossMCXENT "mcxent"), as a DL4J zip records them
            Map.entry("binaryxent", "binary_crossentropy"), Map.entry("xent", "binary_crossentropy"),
            Map.entry("mcxent", "categorical_crossentropy"), Map.entry("negativeloglikelihood", "categorical_crossentropy"),
            Map.entry("sparse_mcxent", "sparse_categorical_crossentropy"), Map.entry("sparsemcxent", "sparse_categorical_crossentropy"),
            Map.entry("squaredhinge", "squared_hinge"), Map.entry("kl_div", "kl_divergence"));

    private TrainingVocabulary() {
    }

    /** Option names, in help order: {@code sgd, adam, adamw, ...}. */
    public static List<String> optimizers() {
        return OptimizerKind.keys();
    }

    /** Keras's canonical loss names, in help order. */
    public static List<String> losses() {
        return LOSS_NAMES;
    }

    /** {@code Adam} for {@code adam} or {@code Adam}; null for a name graft does not train with. */
    public static String optimizerClass(String name) {
        if (name == null) return null;
        try {
            return OptimizerKind.parse(name).kerasClass();
        } catch (GraftException e) {
            return null;
        }
    }

    /**
     * Keras's name for a loss written any way graft accepts it: {@code mse}, {@code MeanSquaredError}
     * (a Keras 3 class name), {@code binaryxent} (DL4J); null for a name graft does not know.
     */
    public static String loss(String name) {
        if (name == null) return null;
        // Keras 3's class names (MeanSquaredError, KLDivergence) in Keras's snake case
        String n = name.trim().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        if (LOSS_NAMES.contains(n)) return n;
        String alias = LOSS_ALIASES.get(n);
        return alias != null ? alias : LOSS_ALIASES.get(n.replace("_", ""));
    }

    /**
     * The name to show for a loss a file records: Keras's name when it is the same function,
     * otherwise the name as recorded (DL4J's {@code l2}, a sum of squares, is not Keras's mean).
     */
    public static String kerasLossName(String recorded) {
        String k = loss(recorded);
        return k == null ? recorded : k;
    }

    /**
     * The name of a loss as a training configuration records it: a string ({@code "mse"},
     * {@code "binaryxent"}), a Keras 3 loss object ({@code {"class_name": "BinaryCrossentropy", ...}}) or
     * a Keras 3 loss function ({@code {"class_name": "function", "config": "binary_crossentropy"}}),
     * under Keras's name where graft knows it; null when the node names no single loss.
     */
    public static String recordedLoss(com.fasterxml.jackson.databind.JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return kerasLossName(n.asText());
        if (!n.isObject() || !n.has("class_name")) return null;
        String cls = n.get("class_name").asText();
        com.fasterxml.jackson.databind.JsonNode config = n.path("config");
        if (cls.equals("function") && config.isTextual()) return kerasLossName(config.asText());
        String known = loss(cls);
        if (known != null) return known;
        return config.path("name").isTextual() ? kerasLossName(config.path("name").asText()) : cls;
    }

    /** The metrics {@code train} reports, as {@code --metrics} takes them. */
    public static List<String> metrics() {
        return dev.graft.engine.train.Metric.NAMES;
    }

    /** True for a metric name {@code train} reports (Keras's long names and {@code acc} too). */
    public static boolean isMetric(String name) {
        if (name == null) return false;
        String n = name.trim().toLowerCase(Locale.ROOT);
        return metrics().contains(n) || List.of("acc", "mean_absolute_error", "mean_squared_error").contains(n);
    }

    /** One line listing the accepted optimizers, for messages. */
    public static String optimizerList() {
        return OptimizerKind.names();
    }

    /** One line listing the accepted losses, for messages. */
    public static String lossList() {
        return String.join(", ", LOSS_NAMES) + " (or mse, mae, msle, kld, bce)";
    }

    /** Keras 3's default learning rate for an optimizer (what {@code compile(optimizer="sgd")} gets). */
    public static double defaultLearningRate(String optimizer) {
        return OptimizerKind.parse(optimizer).defaultLearningRate();
    }
}
