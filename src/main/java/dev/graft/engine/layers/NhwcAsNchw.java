package dev.graft.engine.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The axis permutations around a DL4J 2-d layer that takes and gives Keras's {@code (batch, height,
 * width, channels)} (NHWC) but computes on {@code (batch, channels, height, width)} (NCHW), DL4J's
 * default, whose backward passes work where the NHWC ones of DL4J 1.0.0-M2.1 do not.
 */
final class NhwcAsNchw {
    private NhwcAsNchw() {
    }

    /** A view of a rank-4 NHWC array as NCHW; anything else as it is. */
    static INDArray toNchw(INDArray a) {
        return a == null || a.rank() != 4 ? a : a.permute(0, 3, 1, 2);
    }

    /** A rank-4 NCHW array as a row-major NHWC copy in the given workspace, as DL4J hands arrays on between layers. */
    static INDArray toNhwcInto(LayerWorkspaceMgr workspaceMgr, ArrayType type, INDArray a) {
        return a == null || a.rank() != 4 ? a : workspaceMgr.dup(type, a.permute(0, 2, 3, 1), 'c');
    }
}
