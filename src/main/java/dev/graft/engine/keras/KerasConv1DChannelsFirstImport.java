package dev.graft.engine.keras;

import dev.graft.engine.layers.ChannelsFirstConv1DLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.config.Keras2LayerConfiguration;
import org.deeplearning4j.nn.modelimport.keras.config.KerasLayerConfiguration;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.convolutional.KerasConvolution1D;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasActivationUtils;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLayerUtils;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * DL4J Keras-import plug-in for {@code Conv1D(data_format="channels_first")}, which DL4J 1.0.0-M2.1
 * imports but cannot run: it takes the input's steps for channels and fails in the native op ("wrong
 * shape of weights array"). The engine hands such layers to DL4J under {@value #KERAS_CLASS}; call
 * {@link #register()} before {@code KerasModelImport}.
 *
 * <p>The configuration (filters, kernel, strides, padding valid/same/causal, dilation, bias, activation,
 * regularisers, constraints) is parsed by DL4J's own {@link KerasConvolution1D}; the layer it built is
 * then recast as a {@link ChannelsFirstConv1DLayer}, which keeps DL4J's NCW convolution and corrects
 * the shapes. The network takes Keras's {@code (batch, channels, steps)} array unchanged and gives
 * {@code (batch, filters, steps_out)}.
 *
 * <p>DL4J wraps any exception of a custom layer's constructor in a RuntimeException that blames the
 * constructor's signature; the engine unwraps it.
 */
public class KerasConv1DChannelsFirstImport extends KerasConvolution1D {

    /** The class name the engine gives channels-first Conv1D layers in the files it hands DL4J. */
    public static final String KERAS_CLASS = "GraftConv1DChannelsFirst";

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasConv1DChannelsFirstImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasConv1DChannelsFirstImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        // Not enforcing training-only settings: this import is for computing the model (DL4J then only warns).
        super(withKnownActivation(layerConfig), false);
        this.layer = ChannelsFirstConv1DLayer.copyOf(getConvolution1DLayer());
        KerasActivations.apply(layerConfig, this.layer);
    }

    /** Checked before DL4J's parsing, whose refusal of an activation does not say which layer has it. */
    private static Map<String, Object> withKnownActivation(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        KerasLayerConfiguration conf = new Keras2LayerConfiguration();
        try {
            KerasActivationUtils.getIActivationFromConfig(layerConfig, conf);
        } catch (UnsupportedKerasConfigurationException e) {
            Map<String, Object> inner = KerasLayerUtils.getInnerLayerConfigFromConfig(layerConfig, conf);
            throw new UnsupportedKerasConfigurationException("channels_first Conv1D layer '"
                    + KerasLayerUtils.getLayerNameFromConfig(layerConfig, conf) + "': unsupported activation '"
                    + inner.get(conf.getLAYER_FIELD_ACTIVATION()) + "'");
        }
        return layerConfig;
    }

    public ChannelsFirstConv1DLayer getChannelsFirstLayer() {
        return (ChannelsFirstConv1DLayer) layer;
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        InputType in = single(inputType);
        try {
            // DL4J's import sets nIn only later, from its own pass over the types; set it now so that
            // setWeights can check the kernel against the input.
            getChannelsFirstLayer().setNIn(in, false);
            return getChannelsFirstLayer().getOutputType(-1, in);
        } catch (IllegalStateException e) {
            throw new InvalidKerasConfigurationException(e.getMessage(), e);
        }
    }

    /** None: the array arrives as {@code (batch, channels, steps)}, which is what the layer computes on. */
    @Override
    public InputPreProcessor getInputPreprocessor(InputType... inputType) throws InvalidKerasConfigurationException {
        single(inputType);
        return null;
    }

    /**
     * DL4J keeps a Conv1D weight as {@code [nOut, nIn, k, 1]} but its forward pass only reshapes that
     * buffer (row-major, no permutation) to the native op's {@code [k, nIn, nOut]}, so Keras's kernel
     * {@code (k, in, out)} goes in by a row-major reshape, as DL4J's own {@code KerasConvolution1D} does.
     */
    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        ChannelsFirstConv1DLayer conv = getChannelsFirstLayer();
        INDArray kernel = weights.get(conf.getKERAS_PARAM_NAME_W());
        if (kernel == null) {
            throw new InvalidKerasConfigurationException(what() + ": the file has no kernel for it");
        }
        long[] expected = {conv.getKernelSize()[0], conv.getNIn(), conv.getNOut()};
        if (!Arrays.equals(kernel.shape(), expected)) {
            throw new InvalidKerasConfigurationException(what() + ": kernel has shape " + Arrays.toString(kernel.shape())
                    + " but (kernel_size, input channels, filters) is " + Arrays.toString(expected));
        }
        this.weights = new HashMap<>();
        this.weights.put(ConvolutionParamInitializer.WEIGHT_KEY,
                kernel.dup('c').reshape('c', expected[2], expected[1], expected[0], 1));
        if (hasBias) {
            INDArray bias = weights.get(conf.getKERAS_PARAM_NAME_B());
            if (bias == null || bias.length() != expected[2]) {
                throw new InvalidKerasConfigurationException(what() + ": the file has no bias of " + expected[2] + " values");
            }
            this.weights.put(ConvolutionParamInitializer.BIAS_KEY, bias.reshape(1, expected[2]));
        }
        KerasLayerUtils.removeDefaultWeights(weights, conf);
    }

    private InputType single(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1 || inputType[0] == null) {
            throw new InvalidKerasConfigurationException(what() + " takes one input (got " + inputType.length + ")");
        }
        if (!(inputType[0] instanceof InputType.InputTypeRecurrent)) {
            throw new InvalidKerasConfigurationException(what() + " takes a sequence (batch, channels, steps), "
                    + "but the engine describes its input as " + inputType[0]);
        }
        return inputType[0];
    }

    private String what() {
        return "channels_first Conv1D layer '" + layerName + "'";
    }
}
