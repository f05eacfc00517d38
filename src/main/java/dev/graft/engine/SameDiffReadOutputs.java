package dev.graft.engine;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;

/**
 * DL4J 1.0.0-M2.1's inference fails ({@code workspaceMgr is null} in {@code outputOfLayersDetached}) when a network output
 * computed by a SameDiff vertex (graft's attention, ...) is also read by another vertex: a model returning a shared
 * MultiHeadAttention's first call, whose second call reads it through a residual Add. Its bookkeeping of free workspaces
 * takes such a vertex's activations workspace back twice. Without workspaces (inference and training alike, as
 * {@link BatchNormOutputs}) every array is a plain one and the same arithmetic runs; other networks keep their workspaces.
 */
final class SameDiffReadOutputs {
    private SameDiffReadOutputs() {
    }

    /** Turns workspaces off when a SameDiff network output is another vertex's input; returns {@code conf}. */
    static ComputationGraphConfiguration apply(ComputationGraphConfiguration conf) {
        for (String out : conf.getNetworkOutputs()) {
            if (!isSameDiff(conf.getVertices().get(out))) continue;
            boolean read = conf.getVertexInputs().values().stream().anyMatch((List<String> ins) -> ins.contains(out));
            if (read) {
                conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
                conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
                break;
            }
        }
        return conf;
    }

    private static boolean isSameDiff(GraphVertex v) {
        return v instanceof SameDiffVertex || v instanceof LayerVertex lv && lv.getLayerConf() != null
                && lv.getLayerConf().getLayer() instanceof AbstractSameDiffLayer;
    }
}
