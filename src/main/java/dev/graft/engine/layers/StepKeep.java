package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Keras mask as numbers: per step, 1 where the step counts and 0 where it is masked, computed from the output of the
 * layer that made the mask (a {@code Masking} layer's output, which the engine leaves unchanged, or a
 * {@code mask_zero} Embedding's, whose row 0 the import zeroes): a step is masked when all its features equal the mask
 * value. A constant of the data: it has no gradient, as Keras's boolean mask has none.
 */
final class StepKeep {
    private StepKeep() {
    }

    /** {@code [batch, steps, 1]} from the mask source's {@code [batch, steps, features]} (NWC) array. */
    static INDArray of(INDArray sourceNwc, double maskValue, org.nd4j.linalg.api.buffer.DataType type) {
        INDArray differs = sourceNwc.neq(maskValue).castTo(type);
        return differs.max(true, 2);
    }

    /**
     * The same in a SameDiff graph: {@code [batch, steps]} 0/1 from the source's {@code [batch, steps, features]} (NWC),
     * built from operations with a (zero) gradient so that the graph trains.
     */
    static org.nd4j.autodiff.samediff.SDVariable keep(org.nd4j.autodiff.samediff.SameDiff sd, org.nd4j.autodiff.samediff.SDVariable sourceNwc,
                                                       double maskValue) {
        return sd.math.sign(sd.math.abs(sourceNwc.sub(maskValue)).max(2));
    }

    /** An array in NWC order, whatever the recurrent format it arrived in. */
    static INDArray nwc(INDArray a, boolean ncw) {
        return ncw ? a.permute(0, 2, 1) : a;
    }

    /** The input type of a sequence, checked. */
    static InputType.InputTypeRecurrent sequence(InputType t, String vertex, String what) {
        if (!(t instanceof InputType.InputTypeRecurrent r)) {
            throw new InvalidInputTypeException(vertex + " needs a sequence as its " + what + ", got " + t);
        }
        return r;
    }

    static boolean isNcw(InputType.InputTypeRecurrent r) {
        return r.getFormat() == RNNFormat.NCW;
    }
}
