package dev.graft.engine.layers;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff vertex whose inference pass graft can compute without SameDiff: for small per-sample arrays, SameDiff's
 * graph session costs far more than the arithmetic (JFR: most of a transformer block's predict time went to the
 * attention vertex's session and its rank-4 batched products of 5x4 matrices). Training keeps the SameDiff graph and
 * its autodiff; {@link RebuildingSameDiffVertexRuntime} asks this first in an inference pass.
 */
public interface DirectInferenceVertex {
    /**
     * The vertex's output for these inputs (as the vertex receives them) and its parameters, computed to the SameDiff
     * graph's numbers within float rounding; null when this configuration or these inputs are left to SameDiff (any
     * setting the direct computation does not know must answer null).
     */
    INDArray inferDirectly(INDArray[] inputs, Map<String, INDArray> params);
}
