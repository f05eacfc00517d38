package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasSimpleRnnImport;
import dev.graft.model.Layer;

/**
 * Which SimpleRNNs the engine computes with graft's own layer ({@link KerasSimpleRnnImport}) rather than DL4J's
 * {@code SimpleRnn}: those DL4J's computes differently (reading backwards, Keras 3's {@code hard_sigmoid}, a mask) and
 * every SimpleRNN that trains (DL4J M2.1's backward pass fails on Keras's sequences). The rest keep DL4J's stock class,
 * so that zips of the network open in any DL4J.
 */
final class SimpleRnnForEngine {
    private SimpleRnnForEngine() {
    }

    /** @param maskValue the value of masked steps when the layer reads a masking layer directly, else null */
    static Layer forEngine(Layer simpleRnn, int kerasMajor, boolean training, Double maskValue) {
        ObjectNode c = simpleRnn.config().deepCopy();
        boolean keras3HardSigmoid = kerasMajor >= 3 && "hard_sigmoid".equals(c.path("activation").asText());
        if (!training && !keras3HardSigmoid && maskValue == null && !c.path("go_backwards").asBoolean(false)) return simpleRnn;
        if (!c.has("graft_hard_sigmoid")) c.put("graft_hard_sigmoid", kerasMajor >= 3 ? "keras3" : "keras2");
        if (maskValue != null) c.put("graft_mask_value", maskValue);
        return new Layer(simpleRnn.name(), KerasSimpleRnnImport.KERAS_CLASS, c, simpleRnn.calls(), simpleRnn.weights(), null,
                simpleRnn.declaredOutputShapes());
    }
}
