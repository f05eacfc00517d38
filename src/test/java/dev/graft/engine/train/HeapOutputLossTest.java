package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The output losses heap training computes ({@link HeapOutputLoss}) give the engine's loss function's score and gradient
 * on the same pre-activations and labels: the heap ones (binary cross-entropy after a sigmoid, categorical after a
 * softmax, also as Keras's categorical_crossentropy) within float rounding, the fallback by construction.
 */
class HeapOutputLossTest {
    static Stream<Arguments> losses() {
        return Stream.of(
                Arguments.of("MCXENT softmax", new LossMCXENT(), new ActivationSoftmax(), true),
                Arguments.of("Keras categorical_crossentropy softmax", new KerasProbabilityLoss(false), new ActivationSoftmax(), true),
                Arguments.of("binary cross-entropy sigmoid", new LossBinaryXENT(), new ActivationSigmoid(), false),
                Arguments.of("MSE identity (the engine's own)", new LossMSE(), new ActivationIdentity(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void givesTheEnginesScoreAndGradient(String name, ILossFunction loss, IActivation activation, boolean oneHot) {
        int rows = 9, width = 6;
        Random r = new Random(3);
        float[] z = new float[rows * width], y = new float[rows * width];
        for (int i = 0; i < z.length; i++) z[i] = (float) (r.nextGaussian() * 4);
        // one row far out, where the clip of the score matters
        z[3] = 60f;
        for (int row = 0; row < rows; row++) {
            if (oneHot) y[row * width + r.nextInt(width)] = 1f;
            else for (int j = 0; j < width; j++) y[row * width + j] = r.nextInt(2);
        }
        INDArray pre = Nd4j.create(z, new long[] {rows, width}, 'c');
        INDArray lab = Nd4j.create(y, new long[] {rows, width}, 'c');
        double engineScore = loss.computeScore(lab, pre.dup(), activation, null, false);
        float[] engineGrad = loss.computeGradient(lab, pre.dup(), activation, null).dup('c').data().asFloat();

        float[] grad = new float[z.length];
        double score = HeapOutputLoss.of(loss, activation).scoreAndGradient(z.clone(), rows, width, () -> lab, () -> y, grad);
        assertEquals(engineScore, score, 1e-5 * Math.abs(engineScore), name + ": the batch's loss");
        for (int i = 0; i < grad.length; i++) {
            assertTrue(Math.abs(grad[i] - engineGrad[i]) <= 1e-6 + 1e-5 * Math.abs(engineGrad[i]), name + ": gradient " + i + " " + grad[i] + " against " + engineGrad[i]);
        }
    }
}
