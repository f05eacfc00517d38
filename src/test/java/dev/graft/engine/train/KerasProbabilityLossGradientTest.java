package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * Keras's categorical cross-entropies on outputs that are not a softmax's ({@link KerasProbabilityLoss}): the score is
 * Keras's (each row divided by its sum, clipped to [1e-7, 1 - 1e-7]: {@link LossKind#evaluate}, which
 * {@code KerasReferenceLossesTest} holds to Keras's own numbers), finite where an output is negative (the engine's loss
 * gave NaN), the gradient is its derivative (central differences in double precision), and on a softmax output it is
 * the engine's loss, unchanged.
 */
class KerasProbabilityLossGradientTest {
    private static final double[] PRE = {0.3, -0.8, 1.2, 0.5, 0.9, -0.2, -1.1, 0.4, 0.7, 1.4, 0.1, -0.6};
    private static final double[] ONE_HOT = {0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0};
    private static final double[] INDICES = {1, 0, 2, 1};

    private static INDArray labels(boolean sparse) {
        return sparse ? Nd4j.create(INDICES, new long[] {4, 1}, 'c') : Nd4j.create(ONE_HOT, new long[] {4, 3}, 'c');
    }

    @ParameterizedTest(name = "sparse={0} activation={1}")
    @CsvSource({"false, sigmoid", "true, sigmoid", "false, identity", "true, identity"})
    void gradientIsTheLossDerivative(boolean sparse, String act) {
        KerasProbabilityLoss loss = new KerasProbabilityLoss(sparse);
        IActivation activation = act.equals("sigmoid") ? new ActivationSigmoid() : new ActivationIdentity();
        INDArray pre = Nd4j.create(PRE, new long[] {4, 3}, 'c');
        if (act.equals("identity")) pre = pre.add(1.5); // positive outputs: no clip boundary inside the differences
        INDArray y = labels(sparse);
        INDArray analytic = loss.computeGradient(y, pre.dup(), activation, null);
        double h = 1e-6, worst = 0, scale = 0;
        for (int i = 0; i < pre.length(); i++) {
            INDArray plus = pre.dup(), minus = pre.dup();
            plus.putScalar(i, pre.getDouble(i) + h);
            minus.putScalar(i, pre.getDouble(i) - h);
            double numeric = (loss.computeScore(y, plus, activation, null, false) - loss.computeScore(y, minus, activation, null, false)) / (2 * h);
            worst = Math.max(worst, Math.abs(numeric - analytic.getDouble(i)));
            scale = Math.max(scale, Math.abs(numeric));
        }
        assertTrue(scale > 0 && worst <= 1e-6 * Math.max(1, scale), "gradient off by " + worst + " (values up to " + scale + ")");
    }

    @ParameterizedTest(name = "sparse={0} activation={1}")
    @CsvSource({"false, sigmoid", "true, sigmoid", "false, identity", "true, identity"})
    void scoreIsKerasLossAlsoOnNegativeOutputs(boolean sparse, String act) {
        KerasProbabilityLoss loss = new KerasProbabilityLoss(sparse);
        IActivation activation = act.equals("sigmoid") ? new ActivationSigmoid() : new ActivationIdentity();
        INDArray pre = Nd4j.create(PRE, new long[] {4, 3}, 'c'); // identity: negative outputs in rows 1, 2, 3 and 4
        INDArray p = activation.getActivation(pre.dup(), false);
        float[] pred = p.reshape(12).toFloatVector();
        float[] y = labels(sparse).reshape(labels(sparse).length()).toFloatVector();
        LossKind kind = sparse ? LossKind.SPARSE_CATEGORICAL_CROSSENTROPY : LossKind.CATEGORICAL_CROSSENTROPY;
        double keras = kind.evaluate(pred, y, 4, 3, sparse ? 1 : 3);
        double score = loss.computeScore(labels(sparse), pre.dup(), activation, null, true);
        assertTrue(Double.isFinite(score), "score " + score);
        assertEquals(keras, score, 1e-6 * Math.max(1, Math.abs(keras)));
    }

    @Test
    void onASoftmaxOutputItIsTheEngineLoss() {
        INDArray pre = Nd4j.create(PRE, new long[] {4, 3}, 'c');
        IActivation softmax = new ActivationSoftmax();
        for (boolean sparse : new boolean[] {false, true}) {
            KerasProbabilityLoss loss = new KerasProbabilityLoss(sparse);
            var engine = sparse ? new LossSparseMCXENT() : new LossMCXENT();
            INDArray y = labels(sparse);
            assertEquals(engine.computeScore(y, pre.dup(), softmax, null, true), loss.computeScore(y, pre.dup(), softmax, null, true), 0);
            assertEquals(engine.computeGradient(y, pre.dup(), softmax, null), loss.computeGradient(y, pre.dup(), softmax, null));
        }
    }
}
