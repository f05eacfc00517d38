package dev.graft.engine;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.activations.Activation;

/**
 * Keras activation names as DL4J activations with the same definition (Keras 2's; hard_sigmoid is
 * Keras 2's 0.2x + 0.5, which DL4J's HARDSIGMOID computes too).
 */
final class BridgeActivations {
    private static final Map<String, Activation> BY_KERAS_NAME = new TreeMap<>(Map.of(
            "linear", Activation.IDENTITY,
            "relu", Activation.RELU,
            "tanh", Activation.TANH,
            "sigmoid", Activation.SIGMOID,
            "softmax", Activation.SOFTMAX,
            "elu", Activation.ELU,
            "selu", Activation.SELU,
            "softplus", Activation.SOFTPLUS,
            "softsign", Activation.SOFTSIGN,
            "hard_sigmoid", Activation.HARDSIGMOID));

    private BridgeActivations() {
    }

    static Activation of(String kerasName, String bridge) {
        Activation a = kerasName == null ? Activation.IDENTITY : BY_KERAS_NAME.get(kerasName.toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new EngineException("bridge '" + bridge + "': activation '" + kerasName + "' is not one of " + String.join(", ", BY_KERAS_NAME.keySet()));
        }
        return a;
    }
}
