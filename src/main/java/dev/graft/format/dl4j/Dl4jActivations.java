package dev.graft.format.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * DL4J activation functions as the Keras activation that computes the same function. Only exact
 * equivalents are named: DL4J's hard sigmoid, leaky ReLU (0.01 where Keras's activation string
 * means 0.2), ReLU with a cap or threshold and the rest have none a Keras activation string
 * spells, and are refused with the reason where a layer's activation argument must name them (a
 * recurrent layer's); as an activation layer's or a Dense's or Conv2D's they are Keras layers of
 * their own ({@link Dl4jActivationLayers}). graft's own activation function names its Keras one.
 */
final class Dl4jActivations {
    private Dl4jActivations() {
    }

    /** Keras's name for the activation, or throws {@link Refusal} naming what has no equivalent. */
    static String kerasName(IActivation a) {
        if (a == null || a instanceof ActivationIdentity) return "linear";
        if (a instanceof ActivationReLU r) {
            if (isPlainRelu(r)) return "relu";
            throw new Refusal("its ReLU has a cap, threshold or slope (max " + r.getMax() + ", threshold " + r.getThreshold()
                    + ", slope " + r.getNegativeSlope() + "), which a Keras activation name cannot carry");
        }
        if (a instanceof ActivationTanH) return "tanh";
        if (a instanceof ActivationSigmoid) return "sigmoid";
        if (a instanceof ActivationSoftmax) return "softmax";
        if (a instanceof ActivationSoftPlus) return "softplus";
        if (a instanceof ActivationSoftSign) return "softsign";
        if (a instanceof ActivationSELU) return "selu";
        if (a instanceof ActivationELU e) {
            if (e.getAlpha() == 1.0) return "elu";
            throw new Refusal("its ELU has alpha " + e.getAlpha() + "; Keras's elu activation has 1");
        }
        if (a instanceof ActivationSwish) return "silu"; // x * sigmoid(x), Keras's silu (swish)
        if (a instanceof ActivationReLU6) return "relu6";
        if (a instanceof ActivationHardTanH) return "hard_tanh"; // clip(x, -1, 1), Keras 3's hard_tanh
        String graft = graftActivation(a);
        if (graft != null) return graft;
        throw new Refusal("its activation " + a.getClass().getSimpleName() + " has no Keras activation that computes the same");
    }

    /**
     * graft's engine computes the Keras activations DL4J lacks with its own function, which names the Keras activation it
     * computes (its {@code kind}, read from DL4J's JSON form: this package does not load the engine's classes). The hard
     * sigmoids (Keras 2's and Keras 3's differ under one name) and the tanh form of gelu are refused.
     */
    private static String graftActivation(IActivation a) {
        if (!a.getClass().getName().equals(GraftLayerTranslation.PACKAGE + "KerasActivationFunction")) return null;
        String kind = NeuralNetConfiguration.mapper().valueToTree(a).path("kind").asText("");
        if (kind.isEmpty()) return null;
        if (kind.startsWith("HARD_SIGMOID")) {
            // a reader tells Keras 2's clip(0.2x + 0.5, 0, 1) from Keras 3's relu6(x + 3) / 6 by the file's Keras version alone
            throw new Refusal("its hard_sigmoid means another function in Keras 2 and Keras 3 files, which the translation cannot pin");
        }
        if (kind.equals("GELU_APPROXIMATE")) throw new Refusal("its gelu is the tanh approximation, which Keras's gelu activation name is not");
        return kind.toLowerCase(java.util.Locale.ROOT);
    }

    /** Keras's plain relu: no cap (DL4J caps at any max it holds, 0 too), no threshold, no negative slope. */
    static boolean isPlainRelu(ActivationReLU r) {
        return r.getMax() == null && zeroOrNull(r.getThreshold()) && zeroOrNull(r.getNegativeSlope());
    }

    private static boolean zeroOrNull(Double d) {
        return d == null || d == 0.0;
    }

    /** Why a DL4J layer has no Keras translation; the translator adds the layer's name and class. */
    static final class Refusal extends RuntimeException {
        Refusal(String reason) {
            super(reason);
        }
    }
}
