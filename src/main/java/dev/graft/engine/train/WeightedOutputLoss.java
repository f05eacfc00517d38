package dev.graft.engine.train;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * An output's loss times its weight in the total ({@code --loss-weights}, Keras's {@code loss_weights}):
 * the engine sums its output layers' losses and gradients, so scaling each gives Keras's weighted sum.
 * Only put on when a weight differs from 1; a DL4J zip cannot record it (train refuses that target).
 *
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON.
 */
public final class WeightedOutputLoss extends WrappedLoss {
    public double weight;

    public WeightedOutputLoss() {
    }

    public WeightedOutputLoss(ILossFunction loss, double weight) {
        super(loss);
        this.weight = weight;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return loss.computeScoreArray(labels, preOutput, activationFn, mask).muli(weight);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        return weight * loss.computeScore(labels, preOutput, activationFn, mask, average);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return loss.computeGradient(labels, preOutput, activationFn, mask).muli(weight);
    }

    @Override
    public String name() {
        return loss.name() + " x " + weight;
    }
}
