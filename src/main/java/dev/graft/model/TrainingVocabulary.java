package dev.graft.model;

import dev.graft.GraftException;
import dev.graft.engine.train.LossKind;
import dev.graft.engine.train.OptimizerKind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names of optimizers and losses graft accepts, shared by every command that records or uses a
 * training configuration ({@code merge}, {@code adapt}, {@code train}) and by {@code inspect}, so
 * that a name one command accepts is never refused by the next. The names themselves live in
 * {@link OptimizerKind} and {@link LossKind} (what {@code train} computes, with Keras's
 * arguments); this class adds the lookups that never fail (null for an unknown name) and the
 * names DL4J records for the same losses. Pure lookups: nothing here starts ND4J.
 */
public final class TrainingVocabulary {
    /** DL4J's names for Keras's losses (LossBinaryXENT is "binaryxent"; LossMCXENT "mcxent"), as a DL4J zip records them. */
    private static final Map<String, String> DL4J_LOSSES = Map.of(
            "negativeloglikelihood", "categorical_crossentropy",
            "sparsemcxent", "sparse_categorical_crossentropy",
            "squaredhinge", "squared_hinge",
            "kl_div", "kl_divergence");

    private TrainingVocabulary() {
    }

    /** Option names, in help order: {@code sgd, adam, adamw, ...}. */
    public static List<String> optimizers() {
        return OptimizerKind.keys();
    }

    /** Keras's canonical loss names, in help order. */
    public static List<String> losses() {
        return Arrays.stream(LossKind.values()).map(LossKind::kerasName).toList();
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
        String dl4j = DL4J_LOSSES.get(name.trim().toLowerCase(Locale.ROOT));
        if (dl4j != null) return dl4j;
        try {
            return LossKind.parse(name).kerasName();
        } catch (GraftException e) {
            return null;
        }
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

    /** One line listing the accepted optimizers, for messages. */
    public static String optimizerList() {
        return OptimizerKind.names();
    }

    /** One line listing the accepted losses, for messages. */
    public static String lossList() {
        return LossKind.names() + " (or mse, mae, msle, kld, bce)";
    }

    /** Keras 3's default learning rate for an optimizer (what {@code compile(optimizer="sgd")} gets). */
    public static double defaultLearningRate(String optimizer) {
        return OptimizerKind.parse(optimizer).defaultLearningRate();
    }
}
