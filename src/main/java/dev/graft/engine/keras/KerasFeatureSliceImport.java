package dev.graft.engine.keras;

import dev.graft.engine.layers.FeatureSliceVertex;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for the engine's own {@value #KERAS_CLASS} layers (no Keras class: the engine writes them,
 * with {@code graft_from}/{@code graft_to}, for the halves of a {@code Bidirectional(merge_mode=None)}): a
 * {@link FeatureSliceVertex}.
 */
public class KerasFeatureSliceImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftFeatureSlice";

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasFeatureSliceImport.class);
    }

    public KerasFeatureSliceImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> c = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check(KERAS_CLASS, c, java.util.Set.of(), Map.of());
        this.vertex = new FeatureSliceVertex(((Number) c.get("graft_from")).longValue(), ((Number) c.get("graft_to")).longValue());
    }

    @Override
    public int getNumParams() {
        return 0;
    }

    @Override
    public InputType getOutputType(InputType... in) throws InvalidKerasConfigurationException {
        try {
            return ((FeatureSliceVertex) vertex).getOutputType(-1, in);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException(e.getMessage());
        }
    }
}
