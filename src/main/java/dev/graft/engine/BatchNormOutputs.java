package dev.graft.engine;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;

/**
 * DL4J 1.0.0-M2.1's BatchNormalization fails in inference when it is a network output ("Workspace WS_LAYER_ACT_0 for
 * array type INPUT is not open", the zoo's batchnorm_default: Dense then BatchNormalization): it moves its result into
 * a workspace the graph does not open for its last layers. Without workspaces (inference and training alike) every array is a
 * plain one, and the same arithmetic runs. Only such networks give up workspaces; the layers and their names stay as they are.
 */
final class BatchNormOutputs {
    private BatchNormOutputs() {
    }

    /** Turns workspaces off when a network output is a BatchNormalization (frozen or not); returns {@code conf}. */
    static ComputationGraphConfiguration apply(ComputationGraphConfiguration conf) {
        for (String out : conf.getNetworkOutputs()) {
            GraphVertex v = conf.getVertices().get(out);
            // a BatchNormalization over another axis than the last ends in the engine's reshape or permute back (BatchNormOnAxis)
            if (out.endsWith("_graft_back") && conf.getVertices().get(out.substring(0, out.length() - "_graft_back".length())) instanceof LayerVertex bn) v = bn;
            if (v instanceof LayerVertex lv && lv.getLayerConf() != null && isBatchNorm(lv.getLayerConf().getLayer())) {
                conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
                // Training too: a network inferring without workspaces but training with them leaks a workspace array
                // into the thread (the zoo's batchnorm_after_conv trained once; every later network on the thread failed).
                conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
                break;
            }
        }
        return conf;
    }

    private static boolean isBatchNorm(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f) return isBatchNorm(f.getLayer());
        if (layer instanceof org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer w) return isBatchNorm(w.getUnderlying());
        return layer instanceof BatchNormalization;
    }
}
