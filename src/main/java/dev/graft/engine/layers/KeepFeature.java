package dev.graft.engine.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Splits a sequence that carries its Keras mask as a last feature ({@link StepKeepVertex}) into the layer's own input and
 * the per-step keep flags, by products with constant 0/1 selection matrices (exact; ND4J M2.1's strided-slice backward
 * op fails, see {@link GruUnroller}).
 */
final class KeepFeature {
    private KeepFeature() {
    }

    /** @return {@code [x [batch, steps, nIn], keep [batch, steps, 1]]} from {@code [batch, steps, nIn + 1]} */
    static SDVariable[] split(SameDiff sd, SDVariable nwc, int steps, long nIn) {
        SDVariable flat = sd.reshape(nwc, -1, nIn + 1);
        INDArray selectX = Nd4j.zeros(nwc.dataType(), nIn + 1, nIn);
        for (long j = 0; j < nIn; j++) selectX.putScalar(j, j, 1.0);
        INDArray selectKeep = Nd4j.zeros(nwc.dataType(), nIn + 1, 1);
        selectKeep.putScalar(nIn, 0, 1.0);
        SDVariable x = sd.reshape(sd.mmul(flat, sd.constant(selectX)), -1, steps, nIn);
        SDVariable keep = sd.reshape(sd.mmul(flat, sd.constant(selectKeep)), -1, steps, 1);
        return new SDVariable[] {x, keep};
    }

    /** Per step, {@code [batch, 1]}, from {@code [batch, steps, 1]}. */
    static SDVariable[] perStep(SameDiff sd, SDVariable keep, int steps) {
        return sd.unstack(keep, 1, steps);
    }
}
