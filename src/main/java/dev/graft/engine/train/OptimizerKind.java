package dev.graft.engine.train;

import dev.graft.GraftException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The optimizers graft trains with: Keras 3's classes, each with its own arguments and Keras 3.15's
 * defaults, in the order Keras's {@code get_config()} records them. Every optimizer also takes
 * Keras's common arguments ({@link #COMMON}). The update rules are in {@link KerasUpdaterStep}.
 */
public enum OptimizerKind {
    SGD("sgd", "SGD", 0.01, args("momentum", 0.0, "nesterov", false)),
    ADAM("adam", "Adam", 0.001, args("beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-7, "amsgrad", false)),
    ADAMW("adamw", "AdamW", 0.001, args("beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-7, "amsgrad", false)),
    RMSPROP("rmsprop", "RMSprop", 0.001, args("rho", 0.9, "momentum", 0.0, "epsilon", 1e-7, "centered", false)),
    ADAGRAD("adagrad", "Adagrad", 0.001, args("initial_accumulator_value", 0.1, "epsilon", 1e-7)),
    ADADELTA("adadelta", "Adadelta", 0.001, args("rho", 0.95, "epsilon", 1e-7)),
    ADAMAX("adamax", "Adamax", 0.001, args("beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-7)),
    NADAM("nadam", "Nadam", 0.001, args("beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-7));

    /**
     * Keras's arguments every optimizer takes, with Keras's defaults (null is Keras's None). Of
     * these graft implements {@code learning_rate}, {@code weight_decay} and the three clippings;
     * the rest are accepted at their defaults only (see {@link OptimizerSettings}).
     */
    public static final Map<String, Object> COMMON = args("learning_rate", null, "weight_decay", null, "clipnorm", null,
            "global_clipnorm", null, "clipvalue", null, "use_ema", false, "ema_momentum", 0.99, "ema_overwrite_frequency", null,
            "loss_scale_factor", null, "gradient_accumulation_steps", null);

    private final String key;
    private final String kerasClass;
    private final double defaultLearningRate;
    private final Map<String, Object> own;

    OptimizerKind(String key, String kerasClass, double defaultLearningRate, Map<String, Object> own) {
        this.key = key;
        this.kerasClass = kerasClass;
        this.defaultLearningRate = defaultLearningRate;
        this.own = own;
    }

    /** The name {@code --optimizer} takes and Keras's {@code compile(optimizer=...)} accepts. */
    public String key() {
        return key;
    }

    /** The class name Keras records in {@code optimizer_config}. */
    public String kerasClass() {
        return kerasClass;
    }

    public double defaultLearningRate() {
        return defaultLearningRate;
    }

    /** This optimizer's own arguments and their Keras defaults (not the common ones). */
    public Map<String, Object> ownArguments() {
        return own;
    }

    /** Keras's default for {@code weight_decay}: AdamW decays by 0.004, the others not at all. */
    public Double defaultWeightDecay() {
        return this == ADAMW ? 0.004 : null;
    }

    /**
     * Keras's names (any case, as {@code compile()} and stored configs spell them) and DL4J's
     * updater names a DL4J zip records.
     *
     * @throws GraftException for a name graft does not train with, naming the ones it does
     */
    public static OptimizerKind parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (OptimizerKind k : values()) if (k.key.equals(n)) return k;
        switch (n) {
            case "nesterovs": return SGD; // DL4J's momentum SGD, as a DL4J zip records it
            case "amsgrad": return ADAM; // DL4J's AMSGrad: Adam with amsgrad
            case "ftrl":
                throw new GraftException("optimizer 'ftrl' is not implemented by graft train; use one of " + names());
            default:
                throw new GraftException("unknown optimizer '" + name + "': use one of " + names());
        }
    }

    /** {@code sgd, adam, ...}: the names graft accepts, for messages and help. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(OptimizerKind::key).toList());
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(OptimizerKind::key).toList();
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
