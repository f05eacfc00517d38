package dev.graft.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one list of optimizer and loss names graft accepts, shared by every command that records or
 * uses a training configuration ({@code merge}, {@code train}, {@code adapt}), so that a name one
 * command accepts is never refused by the next. Names are Keras's ({@code compile()} spells them
 * so); DL4J's own loss names are translated to Keras's when a model is read. Pure lookups, no
 * engine: {@code merge} and {@code inspect} never start ND4J.
 */
public final class TrainingVocabulary {
    /** Optimizer option names and Keras's class names for them, in the order help lists them. */
    private static final Map<String, String> OPTIMIZERS = new LinkedHashMap<>();
    /** Every accepted loss spelling, lower case, to its Keras name. */
    private static final Map<String, String> LOSSES = new LinkedHashMap<>();

    static {
        OPTIMIZERS.put("adam", "Adam");
        OPTIMIZERS.put("sgd", "SGD");
        OPTIMIZERS.put("rmsprop", "RMSprop");
        OPTIMIZERS.put("adagrad", "Adagrad");
        OPTIMIZERS.put("adadelta", "Adadelta");
        OPTIMIZERS.put("adamax", "Adamax");
        OPTIMIZERS.put("nadam", "Nadam");
        for (String k : List.of("binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
                "mean_squared_error", "mean_absolute_error", "mean_squared_logarithmic_error", "hinge", "squared_hinge",
                "kl_divergence", "poisson")) {
            LOSSES.put(k, k);
        }
        // Keras's short names and old spellings.
        LOSSES.put("mse", "mean_squared_error");
        LOSSES.put("mae", "mean_absolute_error");
        LOSSES.put("msle", "mean_squared_logarithmic_error");
        LOSSES.put("kld", "kl_divergence");
        LOSSES.put("kullback_leibler_divergence", "kl_divergence");
        // DL4J's names (LossBinaryXENT is "binaryxent"; LossMCXENT "mcxent"), as a DL4J zip records them.
        LOSSES.put("binaryxent", "binary_crossentropy");
        LOSSES.put("xent", "binary_crossentropy");
        LOSSES.put("mcxent", "categorical_crossentropy");
        LOSSES.put("negativeloglikelihood", "categorical_crossentropy");
        LOSSES.put("sparse_mcxent", "sparse_categorical_crossentropy");
        LOSSES.put("sparsemcxent", "sparse_categorical_crossentropy");
        LOSSES.put("squaredhinge", "squared_hinge");
        LOSSES.put("kl_div", "kl_divergence");
    }

    private TrainingVocabulary() {
    }

    /** Option names, in help order: {@code adam, sgd, rmsprop, adagrad, adadelta, adamax, nadam}. */
    public static List<String> optimizers() {
        return List.copyOf(OPTIMIZERS.keySet());
    }

    /** Keras's canonical loss names, in help order. */
    public static List<String> losses() {
        return LOSSES.entrySet().stream().filter(e -> e.getKey().equals(e.getValue())).map(Map.Entry::getKey).toList();
    }

    /** {@code Adam} for {@code adam} or {@code Adam}; null for a name graft does not know. */
    public static String optimizerClass(String name) {
        return name == null ? null : OPTIMIZERS.get(name.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Keras's name for a loss written any way graft accepts it: {@code mse}, {@code MeanSquaredError}
     * (a Keras 3 class name), {@code binaryxent} (DL4J); null for a name graft does not know.
     */
    public static String loss(String name) {
        if (name == null) return null;
        String n = name.trim().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        if (n.equals("k_l_divergence")) n = "kl_divergence";
        String direct = LOSSES.get(n);
        return direct != null ? direct : LOSSES.get(n.replace("_", ""));
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
        return String.join(", ", optimizers());
    }

    /** One line listing the accepted losses, for messages. */
    public static String lossList() {
        return String.join(", ", losses()) + " (or mse, mae, msle, kld)";
    }

    /** Keras's default learning rate for an optimizer (what {@code compile(optimizer="sgd")} gets). */
    public static double defaultLearningRate(String optimizer) {
        switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "sgd": return 0.01;
            case "adadelta": return 1.0;
            default: return 0.001;
        }
    }
}
