package dev.graft.engine.keras;

import dev.graft.engine.layers.LstmStatePartVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLayerUtils;

import java.util.Locale;
import java.util.Map;

/**
 * DL4J Keras-import plug-in for one output of an LSTM with {@code return_state=True} ({@code output},
 * {@code h} or {@code c}), which graft's engine normaliser writes as class {@value #KERAS_CLASS} with key
 * {@value #PART_KEY} and {@code return_sequences}, taking the {@link KerasLstmStateImport} layer as its input.
 * Registered by {@link KerasLstmStateImport#register()}.
 */
public class KerasLstmStatePartImport extends KerasLayer {

    public static final String KERAS_CLASS = "GraftLstmStatePart";
    /** Layer-config key naming the part: "output", "h" or "c". */
    public static final String PART_KEY = "graft_part";

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasLstmStatePartImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> inner = KerasLayerUtils.getInnerLayerConfigFromConfig(layerConfig, conf);
        Object part = inner.get(PART_KEY);
        LstmStatePartVertex.Part p;
        try {
            p = LstmStatePartVertex.Part.valueOf(String.valueOf(part).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidKerasConfigurationException("LSTM state part " + layerName + ": " + PART_KEY
                    + " must be \"output\", \"h\" or \"c\", got " + part);
        }
        this.vertex = new LstmStatePartVertex(p, Boolean.TRUE.equals(inner.get("return_sequences")));
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        try {
            return vertex.getOutputType(-1, inputType);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException(e.getMessage());
        }
    }
}
