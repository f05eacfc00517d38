package dev.graft.engine.keras;

import dev.graft.engine.layers.StepsBatchPreprocessor;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for the engine's own {@value #INTO_BATCH}, {@value #INTO_STEPS} and {@value #FLATTEN_STEPS} layers (no Keras class:
 * the engine writes them around the layer a {@code TimeDistributed} wraps, with {@code graft_steps}): a
 * {@link StepsBatchPreprocessor} in a preprocessor vertex.
 */
public class KerasStepsBatchImport extends KerasLayer {
    public static final String INTO_BATCH = "GraftStepsIntoBatch";
    public static final String INTO_STEPS = "GraftBatchIntoSteps";
    public static final String FLATTEN_STEPS = "GraftFlattenSteps";

    private final StepsBatchPreprocessor preprocessor;

    public static void register() {
        KerasLayer.registerCustomLayer(INTO_BATCH, KerasStepsBatchImport.class);
        KerasLayer.registerCustomLayer(INTO_STEPS, KerasStepsBatchImport.class);
        KerasLayer.registerCustomLayer(FLATTEN_STEPS, KerasStepsBatchImport.class);
    }

    public KerasStepsBatchImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> c = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check(className, c, java.util.Set.of(), Map.of());
        StepsBatchPreprocessor.Mode mode = INTO_BATCH.equals(className) ? StepsBatchPreprocessor.Mode.INTO_BATCH
                : INTO_STEPS.equals(className) ? StepsBatchPreprocessor.Mode.INTO_STEPS : StepsBatchPreprocessor.Mode.FLATTEN_STEPS;
        preprocessor = new StepsBatchPreprocessor(((Number) c.get("graft_steps")).longValue(), mode);
        // A vertex of its own: DL4J's import would fold a preprocessor layer into the layer after it, and has none after
        // a model's output.
        this.vertex = new PreprocessorVertex(preprocessor);
    }

    @Override
    public InputType getOutputType(InputType... in) throws InvalidKerasConfigurationException {
        if (in.length != 1) throw new InvalidKerasConfigurationException("TimeDistributed " + layerName + " takes one input");
        try {
            return preprocessor.getOutputType(in[0]);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException("layer '" + layerName + "' (TimeDistributed): " + e.getMessage());
        }
    }
}
