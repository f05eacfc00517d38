package dev.graft.engine.train;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A loss on an output with several positions per sample (a sequence, a feature map), laid out as one
 * row per position: Keras averages the per-position loss over the batch <em>and</em> the positions,
 * and the engine's loss layer reports exactly that (it divides by its rows), but its gradient is divided
 * by the number of samples only (the updater divides by the network's batch): each row's gradient is
 * divided by the number of positions per sample ({@link #positions}, set for each batch: sequence
 * lengths may vary). The score is the inner loss's.
 *
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON.
 */
public final class PerPositionLoss implements ILossFunction {
    public ILossFunction loss;
    public double positions = 1;

    public PerPositionLoss() {
    }

    public PerPositionLoss(ILossFunction loss) {
        this.loss = loss;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        return loss.computeScore(labels, preOutput, activationFn, mask, average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return loss.computeScoreArray(labels, preOutput, activationFn, mask);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return loss.computeGradient(labels, preOutput, activationFn, mask).divi(positions);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                                          boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average), computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return loss.name() + " per position";
    }
}
