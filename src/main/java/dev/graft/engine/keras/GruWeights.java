package dev.graft.engine.keras;

import dev.graft.engine.layers.GruSpec;
import dev.graft.engine.layers.KerasGruLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks a Keras GRU's stored arrays against its configuration and shapes them as the DL4J layer's
 * parameters. Keras's layout is kept as it is (gate order [z, r, h], same shapes); only the
 * reset-before bias {@code (3u,)} becomes one row {@code [1, 3u]}, and {@code recurrent_kernel} is named
 * {@link KerasGruLayer#RECURRENT_KERNEL}.
 */
final class GruWeights {

    // Keras's names for the arrays, as DL4J's import reports them (prefix and ":0" suffix removed)
    static final String KERAS_KERNEL = "kernel";
    static final String KERAS_RECURRENT_KERNEL = "recurrent_kernel";
    static final String KERAS_BIAS = "bias";

    private GruWeights() {
    }

    static Map<String, INDArray> toLayerParams(Map<String, INDArray> keras, GruSpec spec, String layerName)
            throws InvalidKerasConfigurationException {
        int u = spec.units();
        INDArray kernel = require(keras, KERAS_KERNEL, layerName);
        INDArray recurrent = require(keras, KERAS_RECURRENT_KERNEL, layerName);
        expect(kernel.rank() == 2 && kernel.size(1) == 3L * u, kernel, "(input_dim, " + 3 * u + ")",
                KERAS_KERNEL, layerName);
        expect(recurrent.rank() == 2 && recurrent.size(0) == u && recurrent.size(1) == 3L * u, recurrent,
                "(" + u + ", " + 3 * u + ")", KERAS_RECURRENT_KERNEL, layerName);

        Map<String, INDArray> out = new HashMap<>();
        out.put(KerasGruLayer.KERNEL, kernel);
        out.put(KerasGruLayer.RECURRENT_KERNEL, recurrent);
        if (spec.useBias()) {
            INDArray bias = require(keras, KERAS_BIAS, layerName);
            int rows = spec.biasRows();
            expect(bias.length() == (long) rows * 3 * u && (rows == 2 ? bias.rank() == 2 : bias.rank() <= 2), bias,
                    rows == 2 ? "(2, " + 3 * u + ") for reset_after=True" : "(" + 3 * u + ",) for reset_after=False",
                    KERAS_BIAS, layerName);
            out.put(KerasGruLayer.BIAS, bias.reshape(rows, 3L * u));
        } else if (keras.containsKey(KERAS_BIAS)) {
            throw new InvalidKerasConfigurationException("GRU layer " + layerName
                    + ": the file stores a bias but the config says use_bias=False");
        }
        return out;
    }

    private static INDArray require(Map<String, INDArray> keras, String name, String layerName)
            throws InvalidKerasConfigurationException {
        INDArray a = keras.get(name);
        if (a == null) {
            throw new InvalidKerasConfigurationException("GRU layer " + layerName + ": no stored weight '" + name
                    + "' (found " + keras.keySet() + ")");
        }
        return a;
    }

    private static void expect(boolean ok, INDArray a, String expected, String name, String layerName)
            throws InvalidKerasConfigurationException {
        if (!ok) {
            throw new InvalidKerasConfigurationException("GRU layer " + layerName + ": weight '" + name + "' has shape "
                    + Arrays.toString(a.shape()) + ", expected " + expected);
        }
    }
}
