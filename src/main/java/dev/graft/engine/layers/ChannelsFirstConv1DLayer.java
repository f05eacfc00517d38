package dev.graft.engine.layers;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.Convolution1DUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * DL4J's {@link Convolution1DLayer} computing Keras's {@code Conv1D(data_format="channels_first")}: the
 * array {@code [batch, channels, steps]} in, {@code [batch, filters, steps_out]} out, both in Keras's
 * layout, through DL4J's own convolution ({@link ChannelsFirstConv1DRuntime}), so weights, padding
 * modes and training are DL4J's.
 *
 * <p>What differs is the description. DL4J's importer describes every Keras sequence
 * {@code (batch, a, b)} as NWC, {@code a} steps of {@code b} features ({@link KerasSequenceAxes}), so
 * for this layer's input it says "16 features over 3 steps" where Keras means 3 channels over 16 steps,
 * and the stock layer takes 16 input channels and fails in the native op. This layer takes its
 * {@code nIn} from Keras's first axis and its length from the second, and describes its output the
 * same way, NWC with {@code filters} "steps" of {@code steps_out} "features", which is how the
 * following Keras layers read it.
 *
 * <p>The configuration itself states NWC too, although the layer computes on NCW: DL4J's
 * {@code ComputationGraph.output} permutes the activations between adjacent 1D layers whose stated
 * formats differ (and fails doing so, "Workspace WS_LAYER_ACT_0 for array type INPUT is not open"), while
 * Keras passes the array on unchanged.
 */
public class ChannelsFirstConv1DLayer extends Convolution1DLayer {

    /** For JSON deserialisation (DL4J configurations and zips). */
    public ChannelsFirstConv1DLayer() {
        stateImportFormat();
    }

    /**
     * The same layer with this class's shape rules. {@link Convolution1DLayer}'s builder constructor is
     * private, so the configuration is copied through DL4J's own JSON form, the one its zips hold:
     * every field DL4J's Keras import set (activation, regularisation, constraints, modes) comes along.
     */
    public static ChannelsFirstConv1DLayer copyOf(Convolution1DLayer parsed) {
        ObjectMapper json = NeuralNetConfiguration.mapper();
        ObjectNode tree = json.valueToTree(parsed);
        tree.put("@class", ChannelsFirstConv1DLayer.class.getName());
        try {
            ChannelsFirstConv1DLayer copy = (ChannelsFirstConv1DLayer) json.treeToValue(tree, Layer.class);
            copy.stateImportFormat();
            return copy;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot copy the configuration of Conv1D layer " + parsed.getLayerName(), e);
        }
    }

    private void stateImportFormat() {
        setRnnDataFormat(RNNFormat.NWC);
        setCnn2dDataFormat(CNN2DFormat.NHWC);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return Conv1DRuntimes.instantiate(this, ChannelsFirstConv1DRuntime::new, conf, listeners, layerIndex, paramsView, initializeParams, networkDataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        KerasSequenceAxes in = axes(inputType);
        if (in.axis2() <= 0) {
            // Steps Keras leaves open (None): DL4J's import writes 0 for them, its layers -1. The
            // convolution runs on any length; only a layer reading steps as features would need them,
            // and Keras itself refuses to build one here.
            return new KerasSequenceAxes(getNOut(), -1).asChannelsLastType();
        }
        long steps = Convolution1DUtils.getOutputSize(in.axis2(), kernelSize[0], stride[0], padding[0],
                convolutionMode, dilation[0]);
        if (steps < 1) {
            throw new IllegalStateException("channels_first Conv1D layer '" + getLayerName() + "': " + in.axis2()
                    + " steps are fewer than its dilated kernel spans");
        }
        return new KerasSequenceAxes(getNOut(), steps).asChannelsLastType();
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (getNIn() <= 0 || override) {
            setNIn(axes(inputType).axis1());
        }
    }

    /** The input array is already {@code [batch, channels, steps]}: nothing to convert. */
    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        axes(inputType);
        return null;
    }

    private KerasSequenceAxes axes(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent)) {
            throw new IllegalStateException("channels_first Conv1D layer '" + getLayerName()
                    + "' takes a sequence (batch, channels, steps); its input is " + inputType);
        }
        return KerasSequenceAxes.of((InputType.InputTypeRecurrent) inputType);
    }
}
