package dev.graft.surgery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.TrainingVocabulary;
import java.util.List;

/**
 * {@code --optimizer}, {@code --loss}, {@code --metrics}: the training configuration written
 * into a hybrid, as Keras's {@code compile()} records it. Unset parts come from the base
 * configuration (the last donor's), if any.
 */
public record TrainingSpec(String optimizer, Double learningRate, String loss, List<String> metrics) {
    /** Without a learning rate: the optimizer's Keras default. */
    public TrainingSpec {
        if (loss != null && (loss.contains(",") || loss.contains("="))) {
            throw new dev.graft.UsageException("--loss " + loss + ": a loss per output is a train option; merge and adapt record one loss");
        }
    }

    public TrainingSpec(String optimizer, String loss, List<String> metrics) {
        this(optimizer, null, loss, metrics);
    }

    public boolean isEmpty() {
        return optimizer == null && learningRate == null && loss == null && metrics == null;
    }

    /** The configuration to write: the base with this spec's parts replacing its own; null when neither exists. */
    public ObjectNode applyTo(ObjectNode base) {
        if (isEmpty()) return base == null ? null : base.deepCopy();
        ObjectNode tc = base == null ? Json.object() : base.deepCopy();
        if (loss != null) tc.put("loss", TrainingVocabulary.kerasLossName(loss));
        if (metrics != null) {
            var m = tc.putArray("metrics");
            metrics.forEach(m::add);
        }
        if (optimizer != null) tc.set("optimizer_config", optimizerConfig(optimizer));
        if (learningRate != null) {
            if (!tc.path("optimizer_config").path("config").isObject()) {
                throw new dev.graft.UsageException("--learning-rate needs an optimizer: the last donor records none; give --optimizer");
            }
            ObjectNode c = (ObjectNode) tc.path("optimizer_config").path("config");
            c.remove("lr");
            c.put("learning_rate", learningRate);
        }
        if (!tc.has("metrics")) tc.putArray("metrics");
        return tc;
    }

    /**
     * Keras's record of an optimizer name ({@code adam}, {@code sgd}, ...) at Keras's defaults, from
     * the vocabulary {@code train} shares ({@link dev.graft.engine.train.TrainingVocabulary}).
     */
    public static ObjectNode optimizerConfig(String name) {
        return dev.graft.engine.train.TrainingVocabulary.optimizerConfig(name);
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
