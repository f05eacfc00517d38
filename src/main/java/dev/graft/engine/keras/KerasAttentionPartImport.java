package dev.graft.engine.keras;

import dev.graft.engine.layers.AttentionPartVertex;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for one output of an attention layer called with {@code return_attention_scores=True}
 * ({@code output} or {@code scores}), which graft's engine normaliser writes as class {@value #KERAS_CLASS} with keys
 * {@value #PART_KEY}, {@value #OUTPUT_FEATURES_KEY} and {@value #HEADS_KEY}, taking the packed attention layer as its
 * input. Registered by {@link KerasAttentionImport#register()}.
 */
public class KerasAttentionPartImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftAttentionPart";
    /** Layer-config key naming the part: "output" or "scores". */
    public static final String PART_KEY = "graft_part";
    /** The attended output's features per query step. */
    public static final String OUTPUT_FEATURES_KEY = "graft_output_features";
    /** MultiHeadAttention's heads; 0 for Attention and AdditiveAttention. */
    public static final String HEADS_KEY = "graft_heads";

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasAttentionPartImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> c = ClaimedConfig.inner(layerConfig);
        AttentionPartVertex.Part part;
        try {
            part = AttentionPartVertex.Part.valueOf(String.valueOf(c.get(PART_KEY)).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidKerasConfigurationException("attention output part " + layerName + ": " + PART_KEY
                    + " must be \"output\" or \"scores\", got " + c.get(PART_KEY));
        }
        if (!(c.get(OUTPUT_FEATURES_KEY) instanceof Number features) || !(c.get(HEADS_KEY) instanceof Number heads)) {
            throw new InvalidKerasConfigurationException("attention output part " + layerName + " needs " + OUTPUT_FEATURES_KEY + " and " + HEADS_KEY);
        }
        this.vertex = new AttentionPartVertex(part, features.longValue(), heads.intValue());
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
