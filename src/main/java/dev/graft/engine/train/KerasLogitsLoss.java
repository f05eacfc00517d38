package dev.graft.engine.train;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Keras's cross-entropies with {@code from_logits=True}: the model's output {@code z} is taken as
 * logits and the loss applies the sigmoid or softmax itself, in the stable forms Keras's backend
 * uses: {@code max(z,0) − z·y + log(1 + e^−|z|)} averaged over the outputs (binary),
 * {@code −Σ y·log_softmax(z)} (categorical; sparse labels are class indices).
 *
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON.
 */
public final class KerasLogitsLoss extends KerasRowLoss {
    /** The Keras name of the cross-entropy. */
    public String kind = "binary_crossentropy";

    public KerasLogitsLoss() {
    }

    public KerasLogitsLoss(String kind) {
        this.kind = kind;
    }

    private boolean binary() {
        return kind.equals("binary_crossentropy");
    }

    /** Labels as the outputs' shape: class indices become one-hot rows. */
    private INDArray targets(INDArray labels, INDArray z) {
        INDArray y = labels.castTo(z.dataType());
        if (!kind.equals("sparse_categorical_crossentropy")) return y;
        INDArray oneHot = Nd4j.zeros(z.dataType(), z.shape());
        for (long r = 0; r < z.size(0); r++) oneHot.putScalar(r, Math.round(y.getDouble(r, 0)), 1.0);
        return oneHot;
    }

    private static INDArray logSoftmax(INDArray z) {
        INDArray shifted = z.subColumnVector(z.max(1).reshape(z.size(0), 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(1), false).reshape(z.size(0), 1);
        return shifted.subiColumnVector(logSum);
    }

    @Override
    protected INDArray rowLosses(INDArray labels, INDArray preOutput, IActivation activationFn) {
        INDArray z = activationFn.getActivation(preOutput.dup(), true);
        INDArray y = targets(labels, z);
        if (binary()) {
            INDArray elem = Transforms.relu(z, true).subi(z.mul(y)).addi(Transforms.log(Transforms.exp(Transforms.abs(z, true).negi(), false).addi(1), false));
            return elem.mean(1);
        }
        return logSoftmax(z).muli(y).sum(1).negi();
    }

    @Override
    protected INDArray outputGradient(INDArray labels, INDArray preOutput, IActivation activationFn) {
        INDArray z = activationFn.getActivation(preOutput.dup(), true);
        INDArray y = targets(labels, z);
        if (binary()) return Transforms.sigmoid(z, true).subi(y).divi(z.size(1));
        INDArray softmax = Transforms.exp(logSoftmax(z), false);
        return softmax.muliColumnVector(y.sum(1).reshape(z.size(0), 1)).subi(y);
    }

    @Override
    public String name() {
        return kind + "_from_logits";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasLogitsLoss l && l.kind.equals(kind);
    }

    @Override
    public int hashCode() {
        return kind.hashCode();
    }

    @Override
    public String toString() {
        return "Keras " + kind + "(from_logits=True)";
    }
}
