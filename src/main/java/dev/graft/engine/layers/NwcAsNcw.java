package dev.graft.engine.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The two axis swaps around a DL4J 1-d layer that takes and gives Keras's {@code (batch, steps,
 * channels)} (NWC) but computes on {@code (batch, channels, steps)} (NCW), DL4J's default, whose
 * backward passes work where the NWC ones of DL4J 1.0.0-M2.1 do not. Swapping axes 1 and 2 is its
 * own inverse, so the same swap carries activations forward and gradients back.
 */
final class NwcAsNcw {
    private NwcAsNcw() {
    }

    /** A view of a rank-3 array with axes 1 and 2 swapped; anything else as it is. */
    static INDArray swap(INDArray a) {
        return a == null || a.rank() != 3 ? a : a.permute(0, 2, 1);
    }

    /** The swapped array as a row-major copy in the given workspace, as DL4J hands arrays on between layers. */
    static INDArray swapInto(LayerWorkspaceMgr workspaceMgr, ArrayType type, INDArray a) {
        return a == null || a.rank() != 3 ? a : workspaceMgr.dup(type, a.permute(0, 2, 1), 'c');
    }
}
