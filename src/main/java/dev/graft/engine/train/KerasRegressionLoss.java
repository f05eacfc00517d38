package dev.graft.engine.train;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Keras's {@code huber} and {@code log_cosh} losses, which the engine lacks: each sample's loss is
 * the mean over its outputs of the element loss of {@code error = prediction - label}, as Keras's
 * {@code losses.huber} / {@code losses.log_cosh} compute it; the engine averages over the batch.
 *
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON.
 */
public final class KerasRegressionLoss implements ILossFunction {
    /** {@code huber} or {@code log_cosh}. */
    public String kind = "huber";
    /** Huber's {@code delta}: quadratic below it, linear above. */
    public double delta = 1.0;

    public KerasRegressionLoss() {
    }

    public KerasRegressionLoss(String kind, double delta) {
        this.kind = kind;
        this.delta = delta;
    }

    private INDArray error(INDArray labels, INDArray preOutput, IActivation activation) {
        INDArray out = activation.getActivation(preOutput.dup(), true);
        return out.subi(labels.castTo(out.dataType()));
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray e = error(labels, preOutput, activationFn);
        INDArray elem;
        if (kind.equals("huber")) {
            INDArray abs = Transforms.abs(e, true);
            INDArray quadratic = Transforms.min(abs, delta, true);
            INDArray linear = abs.sub(quadratic);
            elem = quadratic.mul(quadratic).muli(0.5).addi(linear.muli(delta));
        } else {
            // log(cosh(x)) = x + softplus(-2x) - log 2, Keras's overflow-free form
            elem = e.add(Transforms.softPlus(e.mul(-2), false)).subi(Math.log(2));
        }
        INDArray perSample = elem.mean(1).reshape(elem.size(0), 1);
        if (mask != null) perSample.muli(mask.reshape(mask.length(), 1).castTo(perSample.dataType()));
        return perSample;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray e = error(labels, preOutput, activationFn);
        INDArray dOut = kind.equals("huber") ? Transforms.min(Transforms.max(e, -delta, false), delta, false) : Transforms.tanh(e, false);
        dOut.divi(e.size(1));
        if (mask != null) dOut.muliColumnVector(mask.reshape(mask.length(), 1).castTo(dOut.dataType()));
        return activationFn.backprop(preOutput.dup(), dOut).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                                          boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average), computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return kind;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasRegressionLoss l && l.kind.equals(kind) && l.delta == delta;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(delta);
    }

    @Override
    public String toString() {
        return "Keras " + kind + (kind.equals("huber") ? "(delta=" + delta + ")" : "");
    }
}
