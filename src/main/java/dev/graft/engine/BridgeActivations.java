package dev.graft.engine;

import dev.graft.engine.keras.KerasActivationNames;
import dev.graft.engine.layers.KerasActivationFunction;
import dev.graft.engine.layers.KerasActivationKind;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;

/**
 * Keras activation names as DL4J activations with the same definition (Keras 2's; hard_sigmoid is
 * Keras 2's 0.2x + 0.5, which DL4J's HARDSIGMOID computes too); graft's own activations for the Keras
 * names DL4J lacks (gelu, mish, ...).
 */
final class BridgeActivations {
    private static final Map<String, Activation> BY_KERAS_NAME = new TreeMap<>(Map.ofEntries(
            Map.entry("linear", Activation.IDENTITY),
            Map.entry("relu", Activation.RELU),
            Map.entry("relu6", Activation.RELU6),
            Map.entry("tanh", Activation.TANH),
            Map.entry("sigmoid", Activation.SIGMOID),
            Map.entry("softmax", Activation.SOFTMAX),
            Map.entry("elu", Activation.ELU),
            Map.entry("selu", Activation.SELU),
            Map.entry("softplus", Activation.SOFTPLUS),
            Map.entry("softsign", Activation.SOFTSIGN),
            Map.entry("swish", Activation.SWISH),
            Map.entry("hard_sigmoid", Activation.HARDSIGMOID)));

    private BridgeActivations() {
    }

    static IActivation of(String kerasName, String bridge) {
        if (kerasName == null) return Activation.IDENTITY.getActivationFunction();
        String name = kerasName.toLowerCase(Locale.ROOT);
        Activation a = BY_KERAS_NAME.get(name);
        if (a != null) return a.getActivationFunction();
        KerasActivationKind kind = KerasActivationNames.graftKind(name, 2);
        if (kind != null && kind != KerasActivationKind.LOG_SOFTMAX && kind != KerasActivationKind.SPARSEMAX) return new KerasActivationFunction(kind);
        Set<String> known = new TreeSet<>(BY_KERAS_NAME.keySet());
        known.addAll(KerasActivationNames.computedNames());
        known.removeAll(Set.of("log_softmax", "sparsemax", KerasActivationNames.GLU));
        throw new EngineException("bridge '" + bridge + "': activation '" + kerasName + "' is not one of " + String.join(", ", known));
    }
}
