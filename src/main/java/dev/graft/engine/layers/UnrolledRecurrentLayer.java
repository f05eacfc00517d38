package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.RNNFormat;

/** A graft layer whose SameDiff graph is unrolled for the step count of its input ({@link KerasGruRuntimeLayer} rebuilds it). */
public interface UnrolledRecurrentLayer {
    /** The input layout, null meaning NWC. */
    RNNFormat getRnnDataFormat();
}
