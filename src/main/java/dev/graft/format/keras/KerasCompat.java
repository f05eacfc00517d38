package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites configuration that one Keras release wrote and another refuses, so that a file graft
 * writes opens in Keras 2, Keras 3's legacy loader and DL4J alike (DESIGN.md §2).
 */
final class KerasCompat {
    /** Optimizer arguments Keras 2 and Keras 3 both accept, by optimizer. */
    private static final Map<String, Set<String>> OPTIMIZER_ARGS = Map.of(
            "adam", Set.of("name", "learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad"),
            "adamw", Set.of("name", "learning_rate", "weight_decay", "beta_1", "beta_2", "epsilon", "amsgrad"),
            "adamax", Set.of("name", "learning_rate", "beta_1", "beta_2", "epsilon"),
            "nadam", Set.of("name", "learning_rate", "beta_1", "beta_2", "epsilon"),
            "sgd", Set.of("name", "learning_rate", "momentum", "nesterov"),
            "rmsprop", Set.of("name", "learning_rate", "rho", "momentum", "epsilon", "centered"),
            "adagrad", Set.of("name", "learning_rate", "initial_accumulator_value", "epsilon"),
            "adadelta", Set.of("name", "learning_rate", "rho", "epsilon"),
            "ftrl", Set.of("name", "learning_rate", "learning_rate_power", "initial_accumulator_value",
                    "l1_regularization_strength", "l2_regularization_strength"));
    /**
     * Arguments every Keras 3 optimizer takes that change how it trains when set (Keras 2 takes the
     * clippings; weight_decay since 2.11): recorded when set, or Keras would train differently.
     */
    private static final Set<String> CHANGES_TRAINING = Set.of("weight_decay", "clipnorm", "clipvalue", "global_clipnorm");
    private static final List<String> TRAINING_KEYS = List.of("loss", "metrics", "weighted_metrics", "loss_weights");

    private KerasCompat() {
    }

    /**
     * A layer config without what some reader refuses or chokes on: initializer {@code dtype}s
     * (tf.keras 1.x; Keras 3 refuses them), {@code time_major: false} (Keras 3 refuses it), Attention's default
     * {@code score_mode: "dot"} (Keras 3's legacy loader refuses it), and
     * {@code Orthogonal} initializers, which DL4J's importer samples before loading the weights and
     * never finishes (even for a 32-unit LSTM). The weights in the file are what the model computes
     * with; an initializer only matters if someone re-initialises the layer, so it becomes
     * GlorotUniform, Keras's default kernel initializer (only in files DL4J may read: {@code replaceOrthogonal}).
     */
    static ObjectNode layerConfig(ObjectNode config) {
        return layerConfig(config, true);
    }

    static ObjectNode layerConfig(ObjectNode config, boolean replaceOrthogonal) {
        ObjectNode c = config.deepCopy();
        cleanInitializers(c, replaceOrthogonal);
        if (c.has("time_major") && !c.get("time_major").asBoolean()) c.remove("time_major");
        // Keras 3.15's legacy .h5 loader reads Attention's score_mode "dot" as the function keras.ops.dot and refuses the
        // layer (its own .h5 files do not reload); "dot" is the default, so the key is left out.
        if ("dot".equals(c.path("score_mode").asText(null))) c.remove("score_mode");
        return c;
    }

    private static void cleanInitializers(JsonNode node, boolean replaceOrthogonal) {
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().endsWith("_initializer") && e.getValue() instanceof ObjectNode init) {
                    if (init.path("config") instanceof ObjectNode ic) ic.remove("dtype");
                    if (replaceOrthogonal && "Orthogonal".equals(init.path("class_name").asText())) {
                        init.put("class_name", "GlorotUniform");
                        ObjectNode seedOnly = init.objectNode();
                        JsonNode seed = init.path("config").get("seed");
                        seedOnly.set("seed", seed == null ? seedOnly.nullNode() : seed.deepCopy());
                        init.set("config", seedOnly);
                    }
                }
                cleanInitializers(e.getValue(), replaceOrthogonal);
            }
        } else if (node != null && node.isArray()) {
            node.forEach(n -> cleanInitializers(n, replaceOrthogonal));
        }
    }

    /** The training configuration as both Keras 2's and Keras 3's {@code compile()} accept it. */
    static ObjectNode trainingConfig(ObjectNode tc) {
        ObjectNode out = Json.object();
        for (String key : TRAINING_KEYS) if (tc.has(key)) out.set(key, tc.get(key).deepCopy());
        // Keras 3's legacy loader reads training_config["loss_weights"] without a default: a file without it does not load compiled
        if (out.has("loss") && !out.has("loss_weights")) out.putNull("loss_weights");
        JsonNode opt = tc.get("optimizer_config");
        if (opt != null && opt.isObject()) {
            String cls = opt.path("class_name").asText("Adam");
            ObjectNode config = Json.object();
            Set<String> allowed = OPTIMIZER_ARGS.getOrDefault(cls.toLowerCase(java.util.Locale.ROOT), Set.of("name", "learning_rate"));
            Iterator<Map.Entry<String, JsonNode>> it = opt.path("config").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = "lr".equals(e.getKey()) ? "learning_rate" : e.getKey(); // Keras < 2.3 spelling
                boolean used = allowed.contains(key) || CHANGES_TRAINING.contains(key);
                if (used && !e.getValue().isNull()) config.set(key, e.getValue().deepCopy());
            }
            ObjectNode o = Json.object();
            o.put("class_name", cls);
            o.set("config", config);
            out.set("optimizer_config", o);
        }
        return out;
    }
}
