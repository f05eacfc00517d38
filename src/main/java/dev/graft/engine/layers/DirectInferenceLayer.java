package dev.graft.engine.layers;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff layer whose inference pass graft can compute without SameDiff, as {@link DirectInferenceVertex} is for
 * vertices: a graph session per call costs far more than a small layer's arithmetic (JFR: a LayerNormalization of
 * {@code [1024, 5, 8]} spent nearly all its time in SameDiff's session). Training keeps the SameDiff graph and its
 * autodiff; {@link ShapeKeyedSameDiffRuntime} asks this first in an inference pass without a mask.
 */
public interface DirectInferenceLayer {
    /**
     * The layer's output for this input (as the layer receives it) and its parameters, computed to the SameDiff graph's
     * numbers within float rounding; null when this configuration or this input is left to SameDiff.
     */
    INDArray inferDirectly(INDArray input, Map<String, INDArray> params);
}
