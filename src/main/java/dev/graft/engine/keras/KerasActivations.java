package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasActivationFunction;
import dev.graft.engine.layers.KerasActivationKind;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * Applies graft's {@link KerasActivationFunction} in the import plug-ins: layers whose activation needs graft's
 * ({@link KerasActivationNames}) are handed to the engine with {@code activation: linear} and the activation under
 * {@value #CONFIG_KEY}, which the plug-ins set on the layer they build.
 */
public final class KerasActivations {
    /** The configuration key under which the engine hands a plug-in graft's activation (a {@link KerasActivationKind} name). */
    public static final String CONFIG_KEY = "graft_activation";

    private KerasActivations() {
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
