package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasLstmStateVertex;
import dev.graft.engine.layers.LstmSpec;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLayerUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * DL4J Keras-import plug-in for an LSTM that returns its state or starts from a given one, which graft's
 * engine normaliser writes as class {@value #KERAS_CLASS} (DL4J's own LSTM import ignores both). It yields
 * a {@link KerasLstmStateVertex}, a graph vertex, since the layer takes several inputs; with
 * {@code return_state} the vertex's packed output is unpacked by {@link KerasLstmStatePartImport} layers.
 *
 * <p>The stored weights reach the network through the vertex configuration
 * ({@link KerasLstmStateVertex#setInitialValues}) rather than DL4J's weight copy, which visits layers only
 * and would refuse a vertex with parameters ("Attemping to copy weights for layer not in model"); hence
 * {@link #getNumParams()} is 0. Keras-2-style files only; dropout settings are ignored (training only).
 */
public class KerasLstmStateImport extends KerasLayer {

    /** The class name graft's normaliser gives these LSTMs in the files it writes for the engine. */
    public static final String KERAS_CLASS = "GraftLstmState";

    private final LstmSpec spec;

    /** Registers this plug-in and the part plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasLstmStateImport.class);
        KerasLayer.registerCustomLayer(KerasLstmStatePartImport.KERAS_CLASS, KerasLstmStatePartImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasLstmStateImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        if (kerasMajorVersion == null || kerasMajorVersion != 2) {
            throw new UnsupportedKerasConfigurationException("LSTM layer " + layerName
                    + ": returning or taking a state needs a Keras-2-style file (file says Keras major version "
                    + kerasMajorVersion + ")");
        }
        Map<String, Object> inner = KerasLayerUtils.getInnerLayerConfigFromConfig(layerConfig, conf);
        this.spec = LstmStateConfigParser.parse(inner, layerName);
        Integer nIn = KerasLayerUtils.getNInFromInputDim(layerConfig, conf);
        KerasLstmStateVertex v = new KerasLstmStateVertex(spec, nIn == null ? 0 : nIn);
        v.setKeepFeature(Boolean.TRUE.equals(inner.get(KerasGruImport.KEEP_FEATURE_KEY)));
        v.setReverseOutput(Boolean.TRUE.equals(inner.get(KerasSimpleRnnImport.REVERSE_OUTPUT_KEY)));
        if (weightL1Regularization > 0 || weightL2Regularization > 0) {
            v.setRegularization(regularization());
        }
        this.vertex = v;
    }

    public LstmSpec getSpec() {
        return spec;
    }

    public KerasLstmStateVertex getLstmVertex() {
        return (KerasLstmStateVertex) vertex;
    }

    private java.util.List<org.nd4j.linalg.learning.regularization.Regularization> regularization() {
        java.util.List<org.nd4j.linalg.learning.regularization.Regularization> r = new java.util.ArrayList<>();
        if (weightL1Regularization > 0) {
            r.add(new org.nd4j.linalg.learning.regularization.L1Regularization(weightL1Regularization));
        }
        if (weightL2Regularization > 0) {
            r.add(new org.nd4j.linalg.learning.regularization.L2Regularization(weightL2Regularization));
        }
        return r;
    }

    @Override
    public int getNumParams() {
        return 0;
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        int expected = spec.initialState() ? 3 : 1;
        if (inputType.length != expected) {
            throw new InvalidKerasConfigurationException("LSTM layer " + layerName + " takes " + expected
                    + (expected == 1 ? " input" : " inputs (sequence, h, c)") + ", got " + inputType.length);
        }
        if (inputType[0] instanceof InputType.InputTypeRecurrent r) {
            if (getLstmVertex().getNIn() <= 0) {
                getLstmVertex().setNIn(r.getSize() - (getLstmVertex().isKeepFeature() ? 1 : 0));
            }
            getLstmVertex().setInputFormat(r.getFormat());
        }
        try {
            return vertex.getOutputType(-1, inputType);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException(e.getMessage());
        }
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        int u = spec.units();
        INDArray kernel = require(weights, "kernel");
        INDArray recurrent = require(weights, "recurrent_kernel");
        expect(kernel.rank() == 2 && kernel.size(1) == 4L * u, kernel, "(input_dim, " + 4 * u + ")", "kernel");
        expect(recurrent.rank() == 2 && recurrent.size(0) == u && recurrent.size(1) == 4L * u, recurrent,
                "(" + u + ", " + 4 * u + ")", "recurrent_kernel");
        Map<String, INDArray> values = new HashMap<>();
        values.put(KerasLstmStateVertex.KERNEL, kernel);
        values.put(KerasLstmStateVertex.RECURRENT_KERNEL, recurrent);
        if (spec.useBias()) {
            INDArray bias = require(weights, "bias");
            expect(bias.length() == 4L * u && bias.rank() <= 2, bias, "(" + 4 * u + ",)", "bias");
            values.put(KerasLstmStateVertex.BIAS, bias.reshape(1, 4L * u));
        } else if (weights.containsKey("bias")) {
            throw new InvalidKerasConfigurationException("LSTM layer " + layerName
                    + ": the file stores a bias but the config says use_bias=False");
        }
        // The kernel's rows are the input width: trust them where the config left nIn open.
        getLstmVertex().setNIn(kernel.size(0));
        getLstmVertex().setInitialValues(values);
        this.weights = values;
    }

    private INDArray require(Map<String, INDArray> weights, String name) throws InvalidKerasConfigurationException {
        INDArray a = weights.get(name);
        if (a == null) {
            throw new InvalidKerasConfigurationException("LSTM layer " + layerName + ": no stored weight '" + name
                    + "' (found " + weights.keySet() + ")");
        }
        return a;
    }

    private void expect(boolean ok, INDArray a, String expected, String name) throws InvalidKerasConfigurationException {
        if (!ok) {
            throw new InvalidKerasConfigurationException("LSTM layer " + layerName + ": weight '" + name + "' has shape "
                    + Arrays.toString(a.shape()) + ", expected " + expected);
        }
    }
}
