package dev.graft.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.GraftException;
import java.util.Locale;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Keras optimizers as DL4J updaters, with Keras's default hyper-parameters (so a model trains the
 * same whether its optimizer came from {@code compile()} or from {@code --optimizer}).
 */
public final class Optimizers {
    private Optimizers() {
    }

    /** Keras's default learning rate for an optimizer. */
    public static double defaultLearningRate(String name) {
        return dev.graft.model.TrainingVocabulary.defaultLearningRate(name);
    }

    /**
     * @param config the Keras optimizer config ({@code optimizer_config.config}) to take hyper-parameters from, or null
     */
    public static IUpdater of(String name, double learningRate, JsonNode config) {
        JsonNode c = config == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : config;
        switch (name.toLowerCase(Locale.ROOT)) {
            case "adam": return new Adam(learningRate, c.path("beta_1").asDouble(0.9), c.path("beta_2").asDouble(0.999), c.path("epsilon").asDouble(1e-7));
            case "adamax": return new AdaMax(learningRate, c.path("beta_1").asDouble(0.9), c.path("beta_2").asDouble(0.999), c.path("epsilon").asDouble(1e-7));
            case "nadam": return new Nadam(learningRate, c.path("beta_1").asDouble(0.9), c.path("beta_2").asDouble(0.999), c.path("epsilon").asDouble(1e-7));
            case "sgd": {
                double m = c.path("momentum").asDouble(0);
                return m > 0 ? new Nesterovs(learningRate, m) : new Sgd(learningRate);
            }
            case "rmsprop": return new RmsProp(learningRate, c.path("rho").asDouble(0.9), c.path("epsilon").asDouble(1e-7));
            case "adagrad": return new AdaGrad(learningRate, c.path("epsilon").asDouble(1e-7));
            case "adadelta": return new AdaDelta(c.path("rho").asDouble(0.95), c.path("epsilon").asDouble(1e-7));
            default:
                throw new GraftException("unknown optimizer '" + name + "': use one of " + dev.graft.model.TrainingVocabulary.optimizerList());
        }
    }
}
