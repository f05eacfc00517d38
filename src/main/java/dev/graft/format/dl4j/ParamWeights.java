package dev.graft.format.dl4j;

import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J layer's parameter table as graft weights named {@code <layer>/<param>} ({@code dense/W},
 * {@code lstm/RW}), in the table's order (the order of the flat parameter vector), with DL4J's own
 * shapes ({@code W} of a dense layer is {@code [nIn, nOut]}, of a convolution
 * {@code [nOut, nIn, kH, kW]}). Values are copied from the restored network when read.
 */
final class ParamWeights {
    private ParamWeights() {
    }

    /**
     * @param layer  the layer's configuration (null for a vertex without one)
     * @param frozen true when the whole layer or vertex is frozen
     */
    static List<Weight> of(String layerName, Layer layer, boolean frozen, Map<String, INDArray> table) {
        List<Weight> weights = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : table.entrySet()) {
            INDArray values = e.getValue();
            boolean trainable = !frozen && (layer == null || Trainability.trainable(layer, e.getKey()));
            weights.add(new Weight(layerName + "/" + e.getKey(), values.shape(), NdArrays.dtypeOf(values.dataType()), trainable,
                    () -> NdArrays.copy(values)));
        }
        return weights;
    }
}
