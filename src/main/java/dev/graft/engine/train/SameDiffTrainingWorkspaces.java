package dev.graft.engine.train;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

/**
 * Training without workspaces for networks with SameDiff vertices or layers (graft's attention, GRU, resizing...).
 * With DL4J 1.0.0-M2.1's workspaces, a SameDiff vertex's backward pass reads memory the previous iteration left in
 * the reused workspaces: with the same inputs, error and weights, the second step's gradients of a
 * (Grouped)MultiHeadAttention differed from run to run (losses 0.599 / 0.592 / 0.598, sometimes NaN), the first step
 * being right only because the workspaces were still new. Without workspaces every array is a plain one and the same
 * arithmetic runs, the same every time; other networks keep their workspaces.
 */
final class SameDiffTrainingWorkspaces {
    private SameDiffTrainingWorkspaces() {
    }

    /** Turns workspaces off (training and the training network's inference) when any vertex computes with SameDiff or is a Graves LSTM; returns {@code conf}. */
    static ComputationGraphConfiguration apply(ComputationGraphConfiguration conf) {
        for (GraphVertex v : conf.getVertices().values()) {
            if (computesWithSameDiff(v) || isGravesLstm(v)) {
                conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
                conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
                break;
            }
        }
        return conf;
    }

    static boolean computesWithSameDiff(GraphVertex v) {
        if (v instanceof SameDiffVertex) return true;
        if (v instanceof FrozenVertex f) return computesWithSameDiff(f.getUnderlying());
        return v instanceof LayerVertex lv && lv.getLayerConf() != null && isSameDiff(lv.getLayerConf().getLayer());
    }

    /**
     * DL4J's Graves LSTMs (zips of DL4J 0.6-0.9) fail their backward pass under workspaces in 1.0.0-M2.1 ("No workspace
     * configuration has been provided for arrayType: BP_WORKING_MEM"); without workspaces they train.
     */
    private static boolean isGravesLstm(GraphVertex v) {
        if (v instanceof FrozenVertex f) return isGravesLstm(f.getUnderlying());
        if (!(v instanceof LayerVertex lv) || lv.getLayerConf() == null) return false;
        Layer layer = lv.getLayerConf().getLayer();
        while (layer instanceof FrozenLayer || layer instanceof BaseWrapperLayer) {
            layer = layer instanceof FrozenLayer f ? f.getLayer() : ((BaseWrapperLayer) layer).getUnderlying();
        }
        return layer instanceof org.deeplearning4j.nn.conf.layers.GravesLSTM || layer instanceof org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
    }

    private static boolean isSameDiff(Layer layer) {
        if (layer instanceof FrozenLayer f) return isSameDiff(f.getLayer());
        if (layer instanceof BaseWrapperLayer w) return isSameDiff(w.getUnderlying());
        return layer instanceof AbstractSameDiffLayer;
    }
}
