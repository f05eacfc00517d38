package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasActivationFunction;
import dev.graft.engine.layers.KerasActivationKind;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * Which Keras activation names graft computes, and how: DL4J's stock activation where its definition is
 * Keras's, graft's {@link KerasActivationFunction} for the rest. Layers whose activation needs graft's are handed
 * to the engine with {@code activation: linear} and the activation under {@value #CONFIG_KEY}, which the
 * import plug-ins apply to the layer they build.
 */
public final class KerasActivations {
    /** The configuration key under which the engine hands a plug-in graft's activation (a {@link KerasActivationKind} name). */
    public static final String CONFIG_KEY = "graft_activation";

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

    private KerasActivations() {
    }

    /** Every activation name graft computes (with any Keras's definition of hard_sigmoid). */
    public static Set<String> computedNames() {
        Set<String> all = new TreeSet<>(DL4J_EXACT);
        all.addAll(GRAFT.keySet());
        all.add("hard_sigmoid");
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

    /** Sets the activation the engine handed a plug-in under {@value #CONFIG_KEY} on the layer it built; no key, no change. */
    public static void apply(Map<String, Object> layerConfig, Layer built) throws UnsupportedKerasConfigurationException {
        Object inner = layerConfig.get("config");
        Object name = inner instanceof Map<?, ?> m ? m.get(CONFIG_KEY) : null;
        if (name == null) return;
        KerasActivationKind kind = KerasActivationKind.of(name.toString());
        if (kind == null) throw new UnsupportedKerasConfigurationException("layer '" + built.getLayerName() + "': unknown activation '" + name + "'");
        if (built instanceof BaseLayer base) {
            base.setActivationFn(new KerasActivationFunction(kind));
        } else if (built instanceof ActivationLayer activation) {
            activation.setActivationFn(new KerasActivationFunction(kind));
        } else {
            throw new UnsupportedKerasConfigurationException("layer '" + built.getLayerName() + "': activation '" + name + "' cannot be set on "
                    + built.getClass().getSimpleName());
        }
    }
}
