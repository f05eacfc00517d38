package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasActivationKind;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Keras activation names graft computes, and how: DL4J's stock activation where its definition is Keras's,
 * graft's own ({@link KerasActivationKind}) for the rest, and on which layer classes graft's own can be set.
 * Free of DL4J and ND4J classes, so that {@code inspect} can ask without starting the engine.
 */
public final class KerasActivationNames {
    /** Names DL4J 1.0.0-M2.1's Keras import maps to an activation with Keras's definition. */
    private static final Set<String> DL4J_EXACT = Set.of("linear", "relu", "relu6", "tanh", "sigmoid", "softmax", "softplus",
            "softsign", "elu", "selu", "swish");

    /** Keras 3 names (and their aliases) for graft's own activations; hard_sigmoid depends on the producer. */
    private static final Map<String, KerasActivationKind> GRAFT = Map.ofEntries(
            Map.entry("gelu", KerasActivationKind.GELU),
            Map.entry("silu", KerasActivationKind.SILU),
            Map.entry("mish", KerasActivationKind.MISH),
            Map.entry("hard_silu", KerasActivationKind.HARD_SILU),
            Map.entry("hard_swish", KerasActivationKind.HARD_SILU),
            Map.entry("leaky_relu", KerasActivationKind.LEAKY_RELU),
            Map.entry("celu", KerasActivationKind.CELU),
            Map.entry("exponential", KerasActivationKind.EXPONENTIAL),
            Map.entry("hard_tanh", KerasActivationKind.HARD_TANH),
            Map.entry("log_sigmoid", KerasActivationKind.LOG_SIGMOID),
            Map.entry("hard_shrink", KerasActivationKind.HARD_SHRINK),
            Map.entry("soft_shrink", KerasActivationKind.SOFT_SHRINK),
            Map.entry("tanh_shrink", KerasActivationKind.TANH_SHRINK),
            Map.entry("sparse_plus", KerasActivationKind.SPARSE_PLUS),
            Map.entry("sparse_sigmoid", KerasActivationKind.SPARSE_SIGMOID),
            Map.entry("squareplus", KerasActivationKind.SQUAREPLUS),
            Map.entry("log_softmax", KerasActivationKind.LOG_SOFTMAX),
            Map.entry("sparsemax", KerasActivationKind.SPARSEMAX));

    /**
     * Keras's {@code glu}: it halves the last axis, so no activation function computes it; the engine follows the layer
     * with graft's glu vertex instead ({@code GluSplit}).
     */
    public static final String GLU = "glu";

    /** Every activation name graft computes (with any Keras's definition of hard_sigmoid). */
    public static Set<String> computedNames() {
        Set<String> all = new TreeSet<>(DL4J_EXACT);
        all.addAll(GRAFT.keySet());
        all.add("hard_sigmoid");
        all.add(GLU);
        return all;
    }

    public static boolean isComputed(String name) {
        return computedNames().contains(name);
    }

    /**
     * The graft activation a Keras name needs in a file written by Keras {@code kerasMajor}, or null when DL4J's
     * stock activation computes it exactly (or the name is unknown: see {@link #isComputed}).
     */
    public static KerasActivationKind graftKind(String name, int kerasMajor) {
        if ("hard_sigmoid".equals(name)) return kerasMajor >= 3 ? KerasActivationKind.HARD_SIGMOID : null;
        return GRAFT.get(name);
    }

    /** Keras classes whose activation argument graft's own activations can be set on (the engine's plug-in class for each). */
    public static final Map<String, String> PLUGIN_CLASSES = Map.of(
            "Activation", "GraftActivation",
            "Dense", "GraftDense",
            "Conv1D", "GraftConv1D",
            "Conv2D", "GraftConv2D");

    private KerasActivationNames() {
    }
}
