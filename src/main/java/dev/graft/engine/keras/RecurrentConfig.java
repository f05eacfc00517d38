package dev.graft.engine.keras;

import dev.graft.engine.layers.GruActivation;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * Reading a Keras recurrent layer's configuration the way graft's GRU and LSTM plug-ins both need:
 * flags, units, activations (with the producer's {@code hard_sigmoid}), and refusals that name the
 * layer.
 *
 * <p>{@code hard_sigmoid} is ambiguous between Keras 2 and Keras 3 ({@link HardSigmoidFlavor}); the
 * flavour is, in this order: the layer config's {@value #FLAVOR_KEY} ({@code "keras2"} or
 * {@code "keras3"}), which the engine's normaliser writes; else Keras 3 when the layer's {@code dtype}
 * is a Keras 3 {@code DTypePolicy} object (Keras 2 writes a plain string); else Keras 2.
 */
final class RecurrentConfig {
    /** Layer-config key naming the {@code hard_sigmoid} definition: "keras2" or "keras3". */
    static final String FLAVOR_KEY = "graft_hard_sigmoid";

    private final Map<String, Object> config;
    private final String kind;
    private final String layerName;

    RecurrentConfig(Map<String, Object> config, String kind, String layerName) {
        this.config = config;
        this.kind = kind;
        this.layerName = layerName;
    }

    Object get(String key) {
        return config.get(key);
    }

    boolean flag(String key) {
        Object v = config.get(key);
        return v instanceof Boolean && (Boolean) v;
    }

    /** A flag that defaults to true when absent ({@code use_bias}). */
    boolean flagOrTrue(String key) {
        return !config.containsKey(key) || flag(key);
    }

    /** Refuses a setting the plug-in cannot compute. */
    void refuse(String key, String what) throws UnsupportedKerasConfigurationException {
        if (flag(key)) throw unsupported(what);
    }

    int units() throws InvalidKerasConfigurationException {
        Object units = config.get("units");
        if (!(units instanceof Number)) throw invalid("config has no integer 'units'");
        return ((Number) units).intValue();
    }

    HardSigmoidFlavor flavor() throws InvalidKerasConfigurationException {
        Object explicit = config.get(FLAVOR_KEY);
        if (explicit != null) {
            switch (String.valueOf(explicit)) {
                case "keras2": return HardSigmoidFlavor.KERAS2;
                case "keras3": return HardSigmoidFlavor.KERAS3;
                default: throw invalid(FLAVOR_KEY + " must be \"keras2\" or \"keras3\", got \"" + explicit + "\"");
            }
        }
        return config.get("dtype") instanceof Map ? HardSigmoidFlavor.KERAS3 : HardSigmoidFlavor.KERAS2;
    }

    GruActivation activation(String field, HardSigmoidFlavor flavor) throws UnsupportedKerasConfigurationException {
        String name = activationName(config.get(field));
        switch (name) {
            case "tanh": return GruActivation.TANH;
            case "sigmoid": return GruActivation.SIGMOID;
            case "hard_sigmoid": return flavor.activation();
            case "linear": return GruActivation.LINEAR;
            case "relu": return GruActivation.RELU;
            default: throw unsupported(field + "='" + name + "' (supported: tanh, sigmoid, hard_sigmoid, linear, relu)");
        }
    }

    /** Keras writes activations as a name; some writers wrap it in a {class_name, config} object; None means linear. */
    private static String activationName(Object value) {
        if (value == null) return "linear";
        if (value instanceof Map<?, ?> m) {
            Object config = m.get("config");
            return String.valueOf(config instanceof String ? config : m.get("class_name"));
        }
        return String.valueOf(value);
    }

    UnsupportedKerasConfigurationException unsupported(String what) {
        return new UnsupportedKerasConfigurationException(kind + " layer " + layerName + ": unsupported " + what);
    }

    InvalidKerasConfigurationException invalid(String what) {
        return new InvalidKerasConfigurationException(kind + " layer " + layerName + ": " + what);
    }
}
