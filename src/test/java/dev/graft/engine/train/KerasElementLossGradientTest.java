package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The gradients graft's own losses hand the engine are the derivatives of the losses they score
 * (central differences in double precision), so training descends Keras's loss.
 */
class KerasElementLossGradientTest {
    @ParameterizedTest
    @ValueSource(strings = {"huber", "log_cosh", "hinge", "squared_hinge", "poisson", "kl_divergence", "binary_crossentropy",
        "binary_crossentropy/logits", "categorical_crossentropy/logits", "sparse_categorical_crossentropy/logits"})
    void gradientIsTheLossDerivative(String spec) {
        String name = spec.split("/")[0];
        boolean logits = spec.endsWith("/logits");
        LossKind kind = LossKind.parse(name);
        ILossFunction loss = new LossSettings(kind, 0, 0.7, logits).lossFunction(3);
        java.util.Random rng = new java.util.Random(16);
        INDArray pre = Nd4j.create(rng.doubles(12, -0.5, 1.5).toArray(), new long[] {4, 3}, 'c');
        INDArray labels = Nd4j.create(rng.doubles(12, 0, 1).toArray(), new long[] {4, 3}, 'c');
        IActivation activation = new ActivationIdentity();
        switch (name) {
            case "hinge": case "squared_hinge": labels = labels.gt(0.5).castTo(DataType.DOUBLE).muli(2).subi(1); break;
            case "poisson": pre.addi(1); break; // positive rates
            case "kl_divergence": activation = new ActivationSoftmax(); labels.diviColumnVector(labels.sum(1)); break;
            case "binary_crossentropy":
                if (!logits) activation = new org.nd4j.linalg.activations.impl.ActivationSigmoid();
                labels = labels.gt(0.5).castTo(DataType.DOUBLE);
                break;
            case "categorical_crossentropy": labels.diviColumnVector(labels.sum(1)); break;
            case "sparse_categorical_crossentropy": labels = Nd4j.create(new double[] {0, 2, 1, 2}, new long[] {4, 1}, 'c'); break;
            default:
        }
        INDArray analytic = loss.computeGradient(labels, pre.dup(), activation, null);
        double h = 1e-6, worst = 0, scale = 0;
        for (int i = 0; i < pre.length(); i++) {
            INDArray plus = pre.dup(), minus = pre.dup();
            plus.putScalar(i, pre.getDouble(i) + h);
            minus.putScalar(i, pre.getDouble(i) - h);
            double numeric = (loss.computeScore(labels, plus, activation, null, false) - loss.computeScore(labels, minus, activation, null, false)) / (2 * h);
            worst = Math.max(worst, Math.abs(numeric - analytic.getDouble(i)));
            scale = Math.max(scale, Math.abs(numeric));
        }
        assertTrue(scale > 0 && worst <= 1e-5 * Math.max(1, scale), name + ": gradient off by " + worst + " (values up to " + scale + ")");
    }
}
