package dev.graft.engine.train;

import org.nd4j.linalg.learning.config.AMSGrad;
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
 * DL4J's own updater nearest to a Keras optimizer, with the same hyper-parameters: what a DL4J zip
 * records so that DL4J can open it (DL4J's rules differ from Keras's in detail, which is why graft
 * trains with {@link KerasUpdater}).
 */
final class EngineUpdaters {
    private EngineUpdaters() {
    }

    static IUpdater closest(KerasUpdater k) {
        switch (k.kind) {
            case SGD: return k.momentum > 0 ? new Nesterovs(k.learningRate, k.momentum) : new Sgd(k.learningRate);
            case ADAM: case ADAMW:
                return k.amsgrad ? new AMSGrad(k.learningRate, k.beta1, k.beta2, k.epsilon) : new Adam(k.learningRate, k.beta1, k.beta2, k.epsilon);
            case RMSPROP: return new RmsProp(k.learningRate, k.rho, k.epsilon);
            case ADAGRAD: return new AdaGrad(k.learningRate, k.epsilon);
            case ADADELTA: return new AdaDelta(k.rho, k.epsilon);
            case ADAMAX: return new AdaMax(k.learningRate, k.beta1, k.beta2, k.epsilon);
            default: return new Nadam(k.learningRate, k.beta1, k.beta2, k.epsilon);
        }
    }
}
