package dev.graft.engine.keras;

import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * The configuration keys a graft import plug-in honours: any other key with a value that matters is refused with
 * one line naming the layer, the key and the value, never ignored. Keys every Keras layer carries and that change
 * no number are claimed by all.
 */
final class ClaimedConfig {
    /** Every layer's keys that do not change what it computes (the engine computes in the model's float type). */
    private static final Set<String> COMMON = Set.of("name", "trainable", "dtype", "batch_input_shape", "batch_shape", "autocast",
            "input_dtype", "build_config");

    private ClaimedConfig() {
    }

    /** The inner {@code config} of a layer configuration as DL4J hands it to a plug-in. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> inner(Map<String, Object> layerConfig) {
        Object c = layerConfig.get("config");
        return c instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Refuses any key outside {@code claimed} (and the common ones) whose value is neither null nor {@code harmless}'s. */
    static void check(String kerasClass, Map<String, Object> inner, Set<String> claimed, Map<String, Object> harmless)
            throws UnsupportedKerasConfigurationException {
        for (Map.Entry<String, Object> e : inner.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (COMMON.contains(key) || claimed.contains(key) || value == null || key.startsWith("graft_")) continue;
            if (harmless.containsKey(key) && String.valueOf(harmless.get(key)).equals(String.valueOf(value))) continue;
            throw new UnsupportedKerasConfigurationException("layer '" + inner.get("name") + "' (" + kerasClass + "): argument " + key + "="
                    + value + " is not computed by graft");
        }
    }

    /** A number-valued key, or the refusal naming layer, key and value. */
    static double number(String kerasClass, Map<String, Object> inner, String key, double defaultValue)
            throws UnsupportedKerasConfigurationException {
        Object v = inner.get(key);
        if (v == null) return defaultValue;
        if (v instanceof Number n) return n.doubleValue();
        throw new UnsupportedKerasConfigurationException("layer '" + inner.get("name") + "' (" + kerasClass + "): argument " + key + "=" + v
                + " is not computed by graft (only a single number is)");
    }
}
