package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.Layer;

/**
 * {@code TimeDistributed(Dense)} is Keras's Dense applied to every step, which is what Keras's Dense on a
 * sequence computes too. DL4J's import turns it into a feed-forward layer over batch × steps rows, and as a
 * model's last layer leaves it so: {@code [batch·steps, units]} instead of {@code [batch, steps, units]}.
 * Unwrapped to the Dense it holds (same weights, under the wrapper's name), it takes the engine's
 * Dense-on-sequences route instead.
 */
final class TimeDistributedDense {
    private TimeDistributedDense() {
    }

    static boolean is(Layer layer) {
        return "TimeDistributed".equals(layer.className())
                && "Dense".equals(layer.config().path("layer").path("class_name").asText());
    }

    /** The wrapped Dense, named and weighted as the wrapper (whose weights are the Dense's). */
    static Layer unwrap(Layer wrapper) {
        JsonNode inner = wrapper.config().path("layer").path("config");
        ObjectNode c = inner instanceof ObjectNode o ? o.deepCopy() : wrapper.config().objectNode();
        c.put("name", wrapper.name());
        c.put("trainable", wrapper.trainable());
        return new Layer(wrapper.name(), "Dense", c, wrapper.calls(), wrapper.weights(), null);
    }
}
