package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasSimpleRnnLayer;
import dev.graft.engine.layers.SimpleRnnSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLayerUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J Keras-import plug-in for a Keras {@code SimpleRNN} the engine computes with graft's own layer
 * ({@link KerasSimpleRnnLayer}), handed over under {@value #KERAS_CLASS} by the engine's normaliser when DL4J's SimpleRnn
 * would not compute or train it. Config as Keras's, plus {@code graft_hard_sigmoid} and {@code graft_mask_value} (as for GRU).
 */
public class KerasSimpleRnnImport extends KerasLayer {
    /** The class name the engine gives such SimpleRNN layers in the model it hands DL4J. */
    public static final String KERAS_CLASS = "GraftSimpleRNN";
    /** Set by the engine on a Bidirectional's backward half returning sequences: they come back in the input's order. */
    public static final String REVERSE_OUTPUT_KEY = "graft_reverse_output";

    private final SimpleRnnSpec spec;

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasSimpleRnnImport.class);
    }

    public KerasSimpleRnnImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> inner = KerasLayerUtils.getInnerLayerConfigFromConfig(layerConfig, conf);
        RecurrentConfig c = new RecurrentConfig(inner, "SimpleRNN", layerName);
        c.refuse("return_state", "return_state=True (the layer returns its output only)");
        c.refuse("stateful", "stateful=True");
        c.refuse("time_major", "time_major=True");
        HardSigmoidFlavor flavor = c.flavor();
        this.spec = new SimpleRnnSpec(c.units(), c.flagOrTrue("use_bias"), c.activation("activation", flavor), c.flag("return_sequences"),
                c.flag("go_backwards"), inner.get(GruConfigParser.MASK_VALUE_KEY) instanceof Number n ? n.doubleValue() : null,
                c.flag("zero_output_for_mask"));
        KerasSimpleRnnLayer.Builder b = new KerasSimpleRnnLayer.Builder()
                .units(spec.units()).useBias(spec.useBias()).activation(spec.activation())
                .returnSequences(spec.returnSequences()).goBackwards(spec.goBackwards())
                .maskValue(spec.maskValue()).zeroOutputForMask(spec.zeroOutputForMask())
                .keepFeature(Boolean.TRUE.equals(inner.get(KerasGruImport.KEEP_FEATURE_KEY)))
                .reverseOutput(Boolean.TRUE.equals(inner.get(REVERSE_OUTPUT_KEY)))
                .dataFormat(RNNFormat.NWC)
                .name(layerName);
        Integer nIn = KerasLayerUtils.getNInFromInputDim(layerConfig, conf);
        if (nIn != null) b.nIn(nIn);
        if (weightL1Regularization > 0) b.l1(weightL1Regularization);
        if (weightL2Regularization > 0) b.l2(weightL2Regularization);
        this.layer = b.build();
    }

    @Override
    public int getNumParams() {
        return spec.useBias() ? 3 : 2;
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) {
            throw new InvalidKerasConfigurationException("SimpleRNN layer " + layerName + " takes one input; initial states are not supported (got "
                    + inputType.length + " inputs)");
        }
        InputPreProcessor pre = getInputPreprocessor(inputType);
        return layer.getOutputType(-1, pre == null ? inputType[0] : pre.getOutputType(inputType[0]));
    }

    /** Keras's arrays as they are ({@code kernel (nIn, u)}, {@code recurrent_kernel (u, u)}), the bias {@code (u,)} as one row. */
    @Override
    public void setWeights(Map<String, INDArray> keras) throws InvalidKerasConfigurationException {
        int u = spec.units();
        INDArray kernel = require(keras, "kernel");
        INDArray recurrent = require(keras, "recurrent_kernel");
        expect(kernel.rank() == 2 && kernel.size(1) == u, kernel, "kernel", "(input_dim, " + u + ")");
        expect(recurrent.rank() == 2 && recurrent.size(0) == u && recurrent.size(1) == u, recurrent, "recurrent_kernel", "(" + u + ", " + u + ")");
        Map<String, INDArray> out = new HashMap<>();
        out.put(KerasSimpleRnnLayer.KERNEL, kernel);
        out.put(KerasSimpleRnnLayer.RECURRENT_KERNEL, recurrent);
        if (spec.useBias()) {
            INDArray bias = require(keras, "bias");
            expect(bias.length() == u, bias, "bias", "(" + u + ",)");
            out.put(KerasSimpleRnnLayer.BIAS, bias.reshape(1, u));
        }
        this.weights = out;
        KerasSimpleRnnLayer l = (KerasSimpleRnnLayer) layer;
        if (l.getNIn() != kernel.size(0)) l.setNIn(kernel.size(0));
    }

    /** SameDiff layers drop values set through {@code Layer.setParam} in M2.1: assign into the parameter views. */
    @Override
    public void copyWeightsToLayer(org.deeplearning4j.nn.api.Layer dl4jLayer) throws InvalidKerasConfigurationException {
        SameDiffWeights.copy("SimpleRNN", layerName, weights, dl4jLayer);
    }

    private INDArray require(Map<String, INDArray> keras, String name) throws InvalidKerasConfigurationException {
        INDArray a = keras.get(name);
        if (a == null) throw new InvalidKerasConfigurationException("SimpleRNN layer " + layerName + ": no stored weight '" + name + "' (found "
                + keras.keySet() + ")");
        return a;
    }

    private void expect(boolean ok, INDArray a, String name, String expected) throws InvalidKerasConfigurationException {
        if (!ok) throw new InvalidKerasConfigurationException("SimpleRNN layer " + layerName + ": weight '" + name + "' has shape "
                + Arrays.toString(a.shape()) + ", expected " + expected);
    }
}
