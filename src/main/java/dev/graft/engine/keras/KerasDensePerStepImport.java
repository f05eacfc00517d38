package dev.graft.engine.keras;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import dev.graft.engine.layers.SequenceTimeDistributed;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.core.KerasDense;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLayerUtils;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J Keras-import plug-in for Keras's {@code Dense} applied to a sequence {@code (batch, steps,
 * features)}: the same kernel on the last axis of every step. DL4J 1.0.0-M2.1's own import makes
 * such a Dense a feed-forward layer that drops the time axis; the engine hands these layers to DL4J
 * under {@value #KERAS_CLASS} (also a channels-last {@code Conv1D} with kernel size 1 and stride 1,
 * the same computation), and this plug-in imports them as DL4J's {@code TimeDistributed(DenseLayer)}
 * over NWC sequences, which DL4J computes and backpropagates correctly (its NWC Conv1D does not
 * backpropagate). Call {@link #register()} before {@code KerasModelImport}.
 *
 * <p>The configuration (units, activation, bias, regularisers, constraints) is parsed by DL4J's own
 * {@link KerasDense}. Keras's kernel {@code (in, units)} is DL4J's {@code W [nIn, nOut]} as it is.
 */
public class KerasDensePerStepImport extends KerasDense {

    /** The class name the engine gives per-step Dense layers in the files it hands DL4J. */
    public static final String KERAS_CLASS = "GraftDensePerStep";

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasDensePerStepImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasDensePerStepImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        // Not enforcing training-only settings: initializers are neutralised by the engine anyway.
        super(layerConfig, false);
        DenseLayer dense = (DenseLayer) this.layer;
        KerasActivations.apply(layerConfig, dense);
        TimeDistributed perStep = new SequenceTimeDistributed(dense, RNNFormat.NWC);
        perStep.setLayerName(layerName);
        this.layer = perStep;
    }

    public TimeDistributed getTimeDistributed() {
        return (TimeDistributed) layer;
    }

    @Override
    public DenseLayer getDenseLayer() {
        return (DenseLayer) getTimeDistributed().getUnderlying();
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        InputType in = single(inputType);
        // DL4J's import sets nIn only later, from its own pass over the types; set it now so that
        // setWeights can check the kernel against the input.
        getTimeDistributed().setNIn(in, false);
        return getTimeDistributed().getOutputType(-1, in);
    }

    /** None: TimeDistributed takes the sequence as it is. */
    @Override
    public InputPreProcessor getInputPreprocessor(InputType... inputType) throws InvalidKerasConfigurationException {
        single(inputType);
        return null;
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        DenseLayer dense = getDenseLayer();
        INDArray kernel = weights.get(conf.getKERAS_PARAM_NAME_W());
        if (kernel == null) throw new InvalidKerasConfigurationException(what() + ": the file has no kernel for it");
        long[] expected = {dense.getNIn(), dense.getNOut()};
        if (!Arrays.equals(kernel.shape(), expected)) {
            throw new InvalidKerasConfigurationException(what() + ": kernel has shape " + Arrays.toString(kernel.shape())
                    + " but (input features, units) is " + Arrays.toString(expected));
        }
        this.weights = new HashMap<>();
        this.weights.put(DefaultParamInitializer.WEIGHT_KEY, kernel);
        if (dense.hasBias()) {
            INDArray bias = weights.get(conf.getKERAS_PARAM_NAME_B());
            if (bias == null || bias.length() != expected[1]) {
                throw new InvalidKerasConfigurationException(what() + ": the file has no bias of " + expected[1] + " values");
            }
            this.weights.put(DefaultParamInitializer.BIAS_KEY, bias.reshape(1, expected[1]));
        }
        KerasLayerUtils.removeDefaultWeights(weights, conf);
    }

    private InputType single(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1 || inputType[0] == null) {
            throw new InvalidKerasConfigurationException(what() + " takes one input (got " + inputType.length + ")");
        }
        if (!(inputType[0] instanceof InputType.InputTypeRecurrent r)) {
            throw new InvalidKerasConfigurationException(what() + " takes a sequence (batch, steps, features), "
                    + "but the engine describes its input as " + inputType[0]);
        }
        if (r.getFormat() != RNNFormat.NWC) {
            throw new InvalidKerasConfigurationException(what() + ": the engine describes its input as " + r
                    + ", not as Keras's (batch, steps, features)");
        }
        return r;
    }

    private String what() {
        return "per-step Dense layer '" + layerName + "'";
    }
}
