package dev.graft.surgery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --optimizer}, {@code --loss}, {@code --metrics}: the training configuration written
 * into a hybrid, as Keras's {@code compile()} records it. Unset parts come from the base
 * configuration (the last donor's), if any.
 */
public record TrainingSpec(String optimizer, String loss, List<String> metrics) {
    private static final Map<String, String> OPTIMIZERS = Map.of("adam", "Adam", "sgd", "SGD", "rmsprop", "RMSprop",
            "adagrad", "Adagrad", "adadelta", "Adadelta", "adamax", "Adamax", "nadam", "Nadam", "ftrl", "Ftrl");
    private static final Map<String, Double> DEFAULT_RATES = Map.of("sgd", 0.01, "adadelta", 1.0);

    public boolean isEmpty() {
        return optimizer == null && loss == null && metrics == null;
    }

    /** The configuration to write: the base with this spec's parts replacing its own; null when neither exists. */
    public ObjectNode applyTo(ObjectNode base) {
        if (isEmpty()) return base == null ? null : base.deepCopy();
        ObjectNode tc = base == null ? Json.object() : base.deepCopy();
        if (loss != null) tc.put("loss", loss);
        if (metrics != null) {
            var m = tc.putArray("metrics");
            metrics.forEach(m::add);
        }
        if (optimizer != null) tc.set("optimizer_config", optimizerConfig(optimizer));
        if (!tc.has("metrics")) tc.putArray("metrics");
        return tc;
    }

    /** Keras's class and default learning rate for an optimizer name ({@code adam}, {@code sgd}, ...). */
    public static ObjectNode optimizerConfig(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        String cls = OPTIMIZERS.get(key);
        if (cls == null) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "': use one of " + String.join(", ", OPTIMIZERS.keySet().stream().sorted().toList()));
        }
        ObjectNode o = Json.object();
        o.put("class_name", cls);
        ObjectNode c = o.putObject("config");
        c.put("name", cls);
        c.put("learning_rate", DEFAULT_RATES.getOrDefault(key, 0.001));
        return o;
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
