package dev.graft.engine.keras;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies a plug-in's weights into the parameters of the graft SameDiff layer DL4J built from it. DL4J 1.0.0-M2.1's
 * default copy drops values for SameDiff layers, so each weight is assigned into its parameter view, after checking
 * that the names and shapes agree.
 */
final class SameDiffWeights {
    private SameDiffWeights() {
    }

    static void copy(String kerasClass, String layerName, Map<String, INDArray> weights, org.deeplearning4j.nn.api.Layer dl4jLayer)
            throws InvalidKerasConfigurationException {
        Map<String, INDArray> params = dl4jLayer.paramTable();
        if (params.isEmpty() && (weights == null || weights.isEmpty())) return;
        if (weights == null || !params.keySet().equals(weights.keySet())) {
            throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + ": the network has parameters " + params.keySet()
                    + " but the file gives " + (weights == null ? "none" : weights.keySet()));
        }
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray source = weights.get(e.getKey());
            if (!Arrays.equals(e.getValue().shape(), source.shape())) {
                throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + ": parameter " + e.getKey() + " has shape "
                        + Arrays.toString(e.getValue().shape()) + " in the network but " + Arrays.toString(source.shape()) + " in the file");
            }
            e.getValue().assign(source.castTo(e.getValue().dataType()));
        }
    }
}
