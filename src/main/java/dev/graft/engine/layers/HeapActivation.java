package dev.graft.engine.layers;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * The activations heap stages compute after a product, forward and backward, over runs of a float array: the engine's
 * identity, ReLU ({@code max(0, z)}, derivative 1 where {@code z > 0}, as libnd4j), sigmoid and tanh (through
 * {@link BulkFloatMath}, within 2 ulps of the correctly rounded value; their derivatives from the activated output as
 * DL4J's are: {@code s·(1 − s)}, {@code 1 − t²}).
 */
enum HeapActivation {
    IDENTITY, RELU, SIGMOID, TANH;

    /** The activation computed here for the engine's {@code a}, or null. */
    static HeapActivation of(IActivation a) {
        if (a instanceof ActivationIdentity) return IDENTITY;
        if (HeapStageChecks.plainRelu(a)) return RELU;
        if (a instanceof ActivationSigmoid) return SIGMOID;
        if (a instanceof ActivationTanH) return TANH;
        return null;
    }

    /** {@code a[0 .. n) = f(z[i])}; {@code a} may be {@code z}. */
    void forward(float[] z, float[] a, int n, BulkFloatMath math) {
        switch (this) {
            case IDENTITY -> {
                if (a != z) System.arraycopy(z, 0, a, 0, n);
            }
            // Math.max compiles to a vector maximum (a compare-and-branch does not vectorise)
            case RELU -> {
                for (int i = 0; i < n; i++) a[i] = Math.max(z[i], 0f);
            }
            case SIGMOID -> {
                if (a != z) System.arraycopy(z, 0, a, 0, n);
                math.sigmoid(a, 0, n);
            }
            case TANH -> {
                if (a != z) System.arraycopy(z, 0, a, 0, n);
                math.tanh(a, 0, n);
            }
        }
    }

    /** The gradient at the pre-activations {@code z} from the one at the outputs {@code a}, in place in {@code gradient[0 .. n)}. */
    void backward(float[] gradient, float[] z, float[] a, int n) {
        switch (this) {
            case IDENTITY -> {
            }
            case RELU -> {
                for (int i = 0; i < n; i++) gradient[i] = Float.intBitsToFloat(Float.floatToRawIntBits(gradient[i]) & Im2colConv2DTrainingStep.positive(z[i]));
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) gradient[i] = gradient[i] * (a[i] * (1f - a[i]));
            }
            case TANH -> {
                for (int i = 0; i < n; i++) gradient[i] = gradient[i] * (1f - a[i] * a[i]);
            }
        }
    }
}
