package dev.graft.format.dl4j;

import org.nd4j.linalg.activations.IActivation;
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
 * equivalents are named: DL4J's hard sigmoid, hard tanh, leaky ReLU (0.01 where Keras's
 * activation string means 0.2), ReLU with a cap or threshold and the rest have none a Keras
 * activation string spells, and are refused with the reason.
 */
final class Dl4jActivations {
    private Dl4jActivations() {
    }

    /** Keras's name for the activation, or throws {@link Refusal} naming what has no equivalent. */
    static String kerasName(IActivation a) {
        if (a == null || a instanceof ActivationIdentity) return "linear";
        if (a instanceof ActivationReLU r) {
            boolean plain = zeroOrNull(r.getMax()) && zeroOrNull(r.getThreshold()) && zeroOrNull(r.getNegativeSlope());
            if (plain) return "relu";
            throw new Refusal("its ReLU has a cap, threshold or slope (" + r + "), which a Keras activation name cannot carry");
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
        throw new Refusal("its activation " + a.getClass().getSimpleName() + " has no Keras activation that computes the same");
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
