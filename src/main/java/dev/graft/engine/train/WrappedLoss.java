package dev.graft.engine.train;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A loss that changes what another loss gives (its weight in the total, each sample's weight, the rows its gradient is
 * averaged over): the wrapped loss and the pairing of score and gradient the engine asks for, which every such wrapper
 * computes alike.
 *
 * <p>A public field and no-argument constructors: the engine copies configurations through JSON.
 */
public abstract class WrappedLoss implements ILossFunction {
    public ILossFunction loss;

    protected WrappedLoss() {
    }

    protected WrappedLoss(ILossFunction loss) {
        this.loss = loss;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                                          boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average), computeGradient(labels, preOutput, activationFn, mask));
    }
}
