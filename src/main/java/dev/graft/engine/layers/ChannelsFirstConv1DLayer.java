package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.util.Convolution1DUtils;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * DL4J's {@link Convolution1DLayer} computing Keras's {@code Conv1D(data_format="channels_first")}: the
 * array {@code [batch, channels, steps]} in, {@code [batch, filters, steps_out]} out, both in Keras's
 * layout, through DL4J's own NCW convolution (so weights, padding modes and training are DL4J's).
 *
 * <p>Only the shape bookkeeping differs. DL4J's importer describes a Keras sequence
 * {@code (batch, a, b)} as NWC with {@code a} steps of {@code b} features ({@link KerasSequenceAxes}),
 * so for this layer it says "16 features over 3 steps" where Keras means 3 channels over 16 steps; the
 * stock layer then takes 16 input channels and fails in the native op. This layer reads its
 * {@code nIn} from Keras's first axis, its length from the second, and describes its output as the
 * following Keras layers read it: NWC with {@code filters} "steps" of {@code steps_out} "features".
 */
public class ChannelsFirstConv1DLayer extends Convolution1DLayer {

    /** For JSON deserialisation (DL4J configurations and zips). */
    public ChannelsFirstConv1DLayer() {
        setRnnDataFormat(RNNFormat.NCW);
        setCnn2dDataFormat(CNN2DFormat.NCHW);
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
            copy.setRnnDataFormat(RNNFormat.NCW);
            copy.setCnn2dDataFormat(CNN2DFormat.NCHW);
            return copy;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot copy the configuration of Conv1D layer " + parsed.getLayerName(), e);
        }
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        KerasSequenceAxes in = axes(inputType);
        if (in.axis2() < 0) {
            throw new IllegalStateException("channels_first Conv1D layer \"" + getLayerName()
                    + "\" needs a known number of steps; its input is " + inputType);
        }
        long steps = Convolution1DUtils.getOutputSize(in.axis2(), kernelSize[0], stride[0], padding[0],
                convolutionMode, dilation[0]);
        if (steps < 1) {
            throw new IllegalStateException("channels_first Conv1D layer \"" + getLayerName() + "\": " + in.axis2()
                    + " steps are fewer than the dilated kernel needs");
        }
        return new KerasSequenceAxes(getNOut(), steps).asChannelsLastType();
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (getNIn() <= 0 || override) {
            setNIn(axes(inputType).axis1());
        }
        // The array is used as it comes: always NCW, whatever the input type says.
        setRnnDataFormat(RNNFormat.NCW);
        setCnn2dDataFormat(CNN2DFormat.NCHW);
    }

    /** The input array is already {@code [batch, channels, steps]}: nothing to convert. */
    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        axes(inputType);
        return null;
    }

    private KerasSequenceAxes axes(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent)) {
            throw new IllegalStateException("channels_first Conv1D layer \"" + getLayerName()
                    + "\" takes a sequence (batch, channels, steps); its input is " + inputType);
        }
        return KerasSequenceAxes.of((InputType.InputTypeRecurrent) inputType);
    }
}
