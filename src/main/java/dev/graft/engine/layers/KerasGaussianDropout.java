package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code GaussianDropout(rate)} in training: every value multiplied by its own factor drawn from
 * N(1, sqrt(rate / (1 - rate))) ({@code keras/src/layers/regularization/gaussian_dropout.py}), the backward pass the
 * same factors on the gradient. DL4J's {@code GaussianDropout} is not that (its import passes 1 - rate where it takes
 * the rate, and its measured mean factor was 0.51, not 1). Inference passes everything on (DL4J calls no dropout then).
 *
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON.
 */
public class KerasGaussianDropout implements IDropout {
    /** Keras's rate, in (0, 1). */
    public double rate;
    private transient INDArray factors;

    public KerasGaussianDropout() {
    }

    public KerasGaussianDropout(double rate) {
        if (!(rate > 0 && rate < 1)) throw new IllegalArgumentException("Gaussian dropout rate " + rate);
        this.rate = rate;
    }

    /** The factors' standard deviation, Keras's {@code sqrt(rate / (1 - rate))}. */
    public double stddev() {
        return Math.sqrt(rate / (1 - rate));
    }

    @Override
    public INDArray applyDropout(INDArray inputActivations, INDArray output, int iteration, int epoch, LayerWorkspaceMgr workspaceMgr) {
        // outside the workspaces: the backward pass reads the factors
        factors = Nd4j.createUninitializedDetached(output.dataType(), inputActivations.shape());
        Nd4j.getExecutioner().exec(new GaussianDistribution(factors, 1.0, stddev()));
        output.assign(inputActivations.mul(factors));
        return output;
    }

    @Override
    public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        gradAtInput.assign(gradAtOutput.mul(factors));
        factors = null;
        return gradAtInput;
    }

    @Override
    public void clear() {
        factors = null;
    }

    @Override
    public KerasGaussianDropout clone() {
        return new KerasGaussianDropout(rate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasGaussianDropout g && g.rate == rate;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(rate);
    }
}
