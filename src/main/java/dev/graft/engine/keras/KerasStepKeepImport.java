package dev.graft.engine.keras;

import dev.graft.engine.layers.MaskedAverage1DVertex;
import dev.graft.engine.layers.StepKeepVertex;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for the two vertices that carry a Keras mask the engine routes explicitly ({@code MaskRoutes}):
 * {@value #KERAS_CLASS} ({@link StepKeepVertex}, the mask appended as a feature for a GRU or SimpleRNN) and
 * {@value #KERAS_CLASS_AVERAGE} ({@link MaskedAverage1DVertex}, a GlobalAveragePooling1D over the unmasked steps). Both
 * read the sequence and the output of the layer that made the mask; config {@value #MASK_VALUE_KEY}: the value of a masked
 * step's features there.
 */
public class KerasStepKeepImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftStepKeep";
    public static final String KERAS_CLASS_AVERAGE = "GraftMaskedAverage1D";
    /** Keras's Masking output (masked steps zeroed) for the layers that read its values ({@code MaskingZeroes}). */
    public static final String KERAS_CLASS_ZEROES = "GraftMaskingZeroes";
    /** A mask_zero Embedding's output with row 0's stored vector back at index 0's steps ({@code MaskingZeroes}). */
    public static final String KERAS_CLASS_ROW_ZERO = "GraftEmbeddingRowZero";
    /** Config of {@value #KERAS_CLASS_ROW_ZERO}: row 0 of the embedding, as stored. */
    public static final String ROW_KEY = "graft_row_zero";
    public static final String MASK_VALUE_KEY = "graft_mask_value";

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasStepKeepImport.class);
        KerasLayer.registerCustomLayer(KERAS_CLASS_AVERAGE, KerasStepKeepImport.class);
        KerasLayer.registerCustomLayer(KERAS_CLASS_ZEROES, KerasStepKeepImport.class);
        KerasLayer.registerCustomLayer(KERAS_CLASS_ROW_ZERO, KerasStepKeepImport.class);
    }

    public KerasStepKeepImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> inner = ClaimedConfig.inner(layerConfig);
        if (!(inner.get(MASK_VALUE_KEY) instanceof Number n)) {
            throw new InvalidKerasConfigurationException("layer " + layerName + ": " + MASK_VALUE_KEY + " must be a number, got " + inner.get(MASK_VALUE_KEY));
        }
        boolean average = KERAS_CLASS_AVERAGE.equals(layerConfig.get("class_name"));
        if (KERAS_CLASS_ROW_ZERO.equals(layerConfig.get("class_name"))) {
            StepKeepVertex restore = new StepKeepVertex(0.0);
            restore.setRestoredRow(((java.util.List<?>) inner.get(ROW_KEY)).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray());
            this.vertex = restore;
            return;
        }
        if (KERAS_CLASS_ZEROES.equals(layerConfig.get("class_name"))) {
            StepKeepVertex zeroes = new StepKeepVertex(n.doubleValue());
            zeroes.setZeroes(true);
            this.vertex = zeroes;
            return;
        }
        this.vertex = average ? new MaskedAverage1DVertex(n.doubleValue()) : new StepKeepVertex(n.doubleValue());
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        try {
            return vertex.getOutputType(-1, inputType);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException("layer " + layerName + ": " + e.getMessage());
        }
    }
}
