package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * graft's Keras activations: values Keras 3.15.1 computes at {@code [-4, -1, -0.5, 0, 0.5, 1, 4]} (the
 * fingerprints of ../shared/docs/keras3-layers.json, and for the two variants no config names, Keras's
 * {@code gelu(x, approximate=True)} and Keras 2's {@code hard_sigmoid}), and backward passes that agree with
 * central differences of the forward pass, through DL4J's activation interface.
 */
class KerasActivationFunctionTest {
    private static final double[] X = {-4, -1, -0.5, 0, 0.5, 1, 4};

    @Test
    void fingerprints() {
        check(KerasActivationKind.GELU, -0.00012671947479248047, -0.1586552858352661, -0.1542687863111496, 0.0, 0.3457311987876892,
                0.8413447141647339, 3.999873161315918);
        check(KerasActivationKind.GELU_APPROXIMATE, -7.021427154541016e-05, -0.15880799293518066, -0.1542859971523285, 0.0, 0.3457140028476715,
                0.8411920070648193, 3.999929904937744);
        check(KerasActivationKind.HARD_SIGMOID, 0.0, 0.3333333432674408, 0.4166666567325592, 0.5, 0.5833333134651184, 0.6666666865348816, 1.0);
        check(KerasActivationKind.HARD_SIGMOID_KERAS2, 0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0);
        check(KerasActivationKind.HARD_SILU, -0.0, -0.3333333432674408, -0.2083333283662796, 0.0, 0.2916666567325592, 0.6666666865348816, 4.0);
        check(KerasActivationKind.LEAKY_RELU, -0.8, -0.2, -0.1, 0.0, 0.5, 1.0, 4.0);
        check(KerasActivationKind.MISH, -0.07259174436330795, -0.30340147018432617, -0.22074377536773682, 0.0, 0.37524521350860596,
                0.8650983572006226, 3.997412919998169);
        check(KerasActivationKind.SELU, -1.7258986234664917, -1.1113307476043701, -0.6917581558227539, 0.0, 0.5253505110740662,
                1.0507010221481323, 4.202804088592529);
        check(KerasActivationKind.SQUAREPLUS, 0.2360680103302002, 0.6180340051651001, 0.7807763814926147, 1.0, 1.2807763814926147,
                1.6180340051651, 4.236067771911621);
        check(KerasActivationKind.LOG_SOFTMAX, -8.110182762145996, -5.110183238983154, -4.610183238983154, -4.110183238983154,
                -3.610183000564575, -3.110183000564575, -0.11018311232328415);
        check(KerasActivationKind.SPARSEMAX, 0, 0, 0, 0, 0, 0, 1);
    }

    private static void check(KerasActivationKind kind, double... expected) {
        INDArray x = Nd4j.createFromArray(X).reshape(1, X.length).castTo(DataType.FLOAT);
        INDArray y = new KerasActivationFunction(kind).getActivation(x.dup(), false);
        assertArrayEquals(expected, y.castTo(DataType.DOUBLE).data().asDouble(), 2e-6, kind.kerasName());
    }

    /** dL/dx from backprop equals the central difference of sum(eps * f(x)), on random rows away from kinks. */
    @ParameterizedTest
    @EnumSource(KerasActivationKind.class)
    void backwardMatchesForward(KerasActivationKind kind) {
        Random r = new Random(12);
        int rows = 3;
        int cols = 5;
        double[] x = new double[rows * cols];
        double[] eps = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() * 2;
            // Stay away from the points where these functions have a kink.
            for (double kink : new double[] {-3, -2.5, -1, -0.5, 0, 0.5, 1, 2.5, 3, 6}) if (Math.abs(x[i] - kink) < 0.02) x[i] += 0.05;
            eps[i] = r.nextGaussian();
        }
        KerasActivationFunction f = new KerasActivationFunction(kind);
        INDArray in = Nd4j.createFromArray(x).reshape(rows, cols);
        INDArray grad = f.backprop(in.dup(), Nd4j.createFromArray(eps).reshape(rows, cols)).getFirst();
        double h = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (loss(f, plus, eps, rows, cols) - loss(f, minus, eps, rows, cols)) / (2 * h);
            assertEquals(numeric, grad.getDouble(i / cols, i % cols), 1e-5, kind.kerasName() + " element " + i);
        }
    }

    private static double loss(KerasActivationFunction f, double[] x, double[] eps, int rows, int cols) {
        INDArray y = f.getActivation(Nd4j.createFromArray(x).reshape(rows, cols), false);
        return y.mul(Nd4j.createFromArray(eps).reshape(rows, cols)).sumNumber().doubleValue();
    }
}
