package dev.graft.engine.train;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * What graft's Keras losses share: a loss per row of a 2-d output, weighted by the engine's per-row mask (sample and
 * class weights arrive this way), averaged over the batch when the engine asks for it; the gradient with respect to the
 * output, masked the same way, then taken back through the output layer's activation. Subclasses say only what their
 * loss and its gradient with respect to the activated output are.
 */
abstract class KerasRowLoss implements ILossFunction {

    /** Each row's loss, shape (rows) or (rows, 1), before the mask. */
    protected abstract INDArray rowLosses(INDArray labels, INDArray preOutput, IActivation activationFn);

    /** d(row loss)/d(activated output), the output's shape, before the mask; the caller owns the array. */
    protected abstract INDArray outputGradient(INDArray labels, INDArray preOutput, IActivation activationFn);

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray perRow = rowLosses(labels, preOutput, activationFn);
        perRow = perRow.reshape(perRow.length(), 1);
        if (mask != null) perRow.muli(mask.reshape(mask.length(), 1).castTo(perRow.dataType()));
        return perRow;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray dOut = outputGradient(labels, preOutput, activationFn);
        if (mask != null) dOut.muliColumnVector(mask.reshape(mask.length(), 1).castTo(dOut.dataType()));
        return activationFn.backprop(preOutput.dup(), dOut).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                                          boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average), computeGradient(labels, preOutput, activationFn, mask));
    }
}
