package dev.graft.engine.keras;

import dev.graft.engine.layers.GruActivation;
import dev.graft.engine.layers.GruSpec;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

import java.util.Map;

/**
 * Reads a Keras-2-style {@code GRU} layer configuration (the {@code "config"} object of the layer in
 * {@code model_config}) into a {@link GruSpec}, refusing what the layer cannot compute.
 *
 * <p>{@code hard_sigmoid} is ambiguous between Keras 2 and Keras 3 ({@link HardSigmoidFlavor}); the
 * flavour is, in this order: the layer config's {@value #FLAVOR_KEY} ({@code "keras2"} or
 * {@code "keras3"}), which a normaliser turning Keras 3 files into Keras-2-style ones should write;
 * else Keras 3 when the layer's {@code dtype} is a Keras 3 {@code DTypePolicy} object (Keras 2 writes a
 * plain string); else Keras 2, the producer of Keras-2-style files.
 */
final class GruConfigParser {

    /** Layer-config key naming the {@code hard_sigmoid} definition: "keras2" or "keras3". */
    static final String FLAVOR_KEY = "graft_hard_sigmoid";

    private GruConfigParser() {
    }

    static GruSpec parse(Map<String, Object> inner, String layerName)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        if (truthy(inner.get("return_state"))) {
            throw unsupported(layerName, "return_state=True (the layer returns its output only)");
        }
        if (truthy(inner.get("time_major"))) {
            throw unsupported(layerName, "time_major=True");
        }
        Object units = inner.get("units");
        if (!(units instanceof Number)) {
            throw new InvalidKerasConfigurationException("GRU layer " + layerName + ": config has no integer 'units'");
        }
        HardSigmoidFlavor flavor = flavor(inner, layerName);
        return new GruSpec(
                ((Number) units).intValue(),
                truthy(inner.get("reset_after")),   // absent before Keras 2.1.3, where GRUs reset before
                !inner.containsKey("use_bias") || truthy(inner.get("use_bias")),
                activation(inner.get("activation"), "activation", flavor, layerName),
                activation(inner.get("recurrent_activation"), "recurrent_activation", flavor, layerName),
                truthy(inner.get("return_sequences")),
                truthy(inner.get("go_backwards")));
    }

    static HardSigmoidFlavor flavor(Map<String, Object> inner, String layerName)
            throws InvalidKerasConfigurationException {
        Object explicit = inner.get(FLAVOR_KEY);
        if (explicit != null) {
            switch (String.valueOf(explicit)) {
                case "keras2": return HardSigmoidFlavor.KERAS2;
                case "keras3": return HardSigmoidFlavor.KERAS3;
                default:
                    throw new InvalidKerasConfigurationException("GRU layer " + layerName + ": " + FLAVOR_KEY
                            + " must be \"keras2\" or \"keras3\", got \"" + explicit + "\"");
            }
        }
        return inner.get("dtype") instanceof Map ? HardSigmoidFlavor.KERAS3 : HardSigmoidFlavor.KERAS2;
    }

    private static GruActivation activation(Object value, String field, HardSigmoidFlavor flavor, String layerName)
            throws UnsupportedKerasConfigurationException {
        String name = activationName(value);
        switch (name) {
            case "tanh": return GruActivation.TANH;
            case "sigmoid": return GruActivation.SIGMOID;
            case "hard_sigmoid": return flavor.activation();
            case "linear": return GruActivation.LINEAR;
            case "relu": return GruActivation.RELU;
            default:
                throw unsupported(layerName, field + "='" + name + "' (supported: tanh, sigmoid, hard_sigmoid, linear, relu)");
        }
    }

    /** Keras writes activations as a name; some writers wrap it in a {class_name, config} object; None means linear. */
    private static String activationName(Object value) {
        if (value == null) {
            return "linear";
        }
        if (value instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) value;
            Object config = m.get("config");
            return String.valueOf(config instanceof String ? config : m.get("class_name"));
        }
        return String.valueOf(value);
    }

    private static boolean truthy(Object v) {
        return v instanceof Boolean && (Boolean) v;
    }

    private static UnsupportedKerasConfigurationException unsupported(String layerName, String what) {
        return new UnsupportedKerasConfigurationException("GRU layer " + layerName + ": unsupported " + what);
    }
}
