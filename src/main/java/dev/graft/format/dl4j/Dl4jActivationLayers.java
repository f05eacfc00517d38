package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/**
 * DL4J activations with parameters no Keras activation name carries, as Keras's own activation layers with those
 * arguments: a ReLU with a cap, threshold or negative slope as {@code ReLU}, a leaky ReLU as {@code LeakyReLU}, an ELU
 * with alpha other than 1 as {@code ELU}, graft's scale-and-offset activation as {@code Rescaling}. DL4J's ReLU computes
 * x from the threshold up, {@code slope * (x - threshold)} below it, then the minimum with the cap: Keras's ReLU layer's
 * function. After a Dense or Conv2D (then {@code <name>_linear}) the activation layer takes the DL4J layer's name, so a
 * cut at that layer ({@code until=}) keeps the activation, as the DL4J layer's output does. The configs are in Keras 2's spelling (LeakyReLU's {@code alpha}), which the Keras writers respell for Keras 3.
 */
final class Dl4jActivationLayers {
    private static final String SCALE_OFFSET = GraftLayerTranslation.PACKAGE + "ScaleOffsetActivation";

    private Dl4jActivationLayers() {
    }

    /** Whether the activation needs a Keras layer of its own, its parameters being more than an activation name says. */
    static boolean needsLayer(IActivation a) {
        if (a instanceof ActivationReLU r) return !Dl4jActivations.isPlainRelu(r);
        if (a instanceof ActivationELU e) return e.getAlpha() != 1.0;
        return a instanceof ActivationLReLU || (a != null && a.getClass().getName().equals(SCALE_OFFSET));
    }

    /** Adds the Keras layer (named {@code name}) computing the activation on {@code input}; {@link #needsLayer} must hold. */
    static void add(String name, IActivation a, String input, boolean trainable, KerasEmitter out) {
        ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
        String kerasClass;
        if (a instanceof ActivationReLU r) {
            kerasClass = "ReLU";
            if (r.getMax() == null) c.putNull("max_value");
            else c.put("max_value", r.getMax());
            c.put("negative_slope", orZero(r.getNegativeSlope()));
            c.put("threshold", orZero(r.getThreshold()));
        } else if (a instanceof ActivationLReLU l) {
            kerasClass = "LeakyReLU";
            c.put("alpha", l.getAlpha());
        } else if (a instanceof ActivationELU e) {
            kerasClass = "ELU";
            c.put("alpha", e.getAlpha());
        } else {
            // graft's own class, read from DL4J's JSON form: this package does not load the engine's classes
            var json = NeuralNetConfiguration.mapper().valueToTree(a);
            kerasClass = "Rescaling";
            c.put("scale", json.path("scale").asDouble(1.0));
            c.put("offset", json.path("offset").asDouble(0.0));
        }
        out.add(name, kerasClass, c, List.of(input), List.of());
    }

    private static double orZero(Double d) {
        return d == null ? 0.0 : d;
    }
}
