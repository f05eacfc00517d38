package dev.graft.engine.train;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A loss whose each sample's loss and gradient are multiplied by the sample's weight ({@code --class-weight}),
 * the batch still averaged over its samples, as Keras weighs them. The engine's label mask cannot carry weights:
 * DL4J also multiplies the output layer's activations by it, which is right for 0/1 only. The weights are set
 * for each batch ({@link #weights}, a column, one row per sample); the trainer takes the wrapper off after
 * training, so no written model names it.
 *
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON.
 */
public final class SampleWeightedLoss extends WrappedLoss {
    public transient INDArray weights;

    public SampleWeightedLoss() {
    }

    public SampleWeightedLoss(ILossFunction loss) {
        super(loss);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray s = loss.computeScoreArray(labels, preOutput, activationFn, mask);
        long[] shape = s.shape();
        return s.reshape(s.length(), 1).mul(weights.castTo(s.dataType())).reshape(shape);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / labels.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray g = loss.computeGradient(labels, preOutput, activationFn, mask);
        return g.mulColumnVector(weights.castTo(g.dataType()));
    }

    @Override
    public String name() {
        return loss.name() + " weighted by sample";
    }
}
