package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A DL4J network's training setup in the shape of Keras 2's {@code training_config}, so graft
 * shows and carries it like a Keras model's: the loss of each output layer in DL4J's name
 * ({@code LossMCXENT} gives {@code mcxent}, shown under Keras's name {@code categorical_crossentropy} where it is the same function) and the updater as {@code optimizer_config}
 * ({@code {"class_name": "Adam", "config": {"learning_rate": 0.005, "beta_1": 0.9, ...}}}).
 * DL4J sets an updater per layer; Keras has one optimizer, so one is given only when all trainable
 * layers share it.
 */
final class TrainingConfigs {
    private TrainingConfigs() {
    }

    /**
     * @param outputConfigs the graft config of each network output's layer, by output name
     * @param layers        every layer's configuration, frozen ones included
     * @return null when neither a loss nor a shared updater can be said
     */
    static ObjectNode of(Map<String, ObjectNode> outputConfigs, List<Layer> layers) {
        ObjectNode tc = Json.object();
        Map<String, String> losses = new LinkedHashMap<>();
        outputConfigs.forEach((name, config) -> {
            String loss = lossOf(config);
            if (loss != null) losses.put(name, loss);
        });
        if (losses.size() == 1 || (!losses.isEmpty() && losses.values().stream().distinct().count() == 1)) {
            tc.put("loss", losses.values().iterator().next());
        } else if (!losses.isEmpty()) {
            ObjectNode byOutput = tc.putObject("loss"); // Keras's form for models whose outputs differ
            losses.forEach(byOutput::put);
        }
        IUpdater shared = sharedUpdater(layers);
        if (shared != null) {
            ObjectNode optimizer = tc.putObject("optimizer_config");
            optimizer.put("class_name", shared.getClass().getSimpleName());
            optimizer.set("config", kerasKeys(Dl4jJson.of(shared, IUpdater.class)));
        }
        return tc.isEmpty() ? null : tc;
    }

    /** {@code mcxent} for {@code "lossFn": {"@class": "...LossMCXENT"}}, looking inside wrapper layers. */
    private static String lossOf(JsonNode config) {
        if (config == null) return null;
        String cls = config.path("lossFn").path("@class").asText("");
        if (!cls.isEmpty()) {
            String simple = cls.substring(cls.lastIndexOf('.') + 1);
            if (simple.startsWith("Loss") && simple.length() > 4) simple = simple.substring(4);
            // Shown and carried under Keras's name where it is the same function (binaryxent is binary_crossentropy).
            return dev.graft.model.TrainingVocabulary.kerasLossName(simple.toLowerCase(Locale.ROOT));
        }
        for (String inner : List.of("layer", "underlying")) {
            String l = lossOf(config.get(inner));
            if (l != null) return l;
        }
        return null;
    }

    private static IUpdater sharedUpdater(List<Layer> layers) {
        List<IUpdater> found = new ArrayList<>();
        for (Layer l : layers) {
            if (Trainability.frozen(l)) continue;
            IUpdater u = updaterOf(l);
            if (u != null && !found.contains(u)) found.add(u);
        }
        return found.size() == 1 ? found.get(0) : null;
    }

    private static IUpdater updaterOf(Layer l) {
        if (l instanceof BaseLayer b) return b.getIUpdater();
        if (l instanceof Bidirectional b) return updaterOf(b.getFwd());
        if (l instanceof BaseWrapperLayer w) return updaterOf(w.getUnderlying());
        return null; // no parameters (pooling, activation, ...)
    }

    /** DL4J's updater fields in Keras's spelling: {@code learningRate} gives {@code learning_rate}, {@code beta1} {@code beta_1}. */
    private static ObjectNode kerasKeys(ObjectNode dl4j) {
        ObjectNode out = Json.object();
        Iterator<Map.Entry<String, JsonNode>> it = dl4j.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("@class") || e.getValue().isNull()) continue;
            String key = e.getKey().replaceAll("([a-z])([A-Z])", "$1_$2").replaceAll("([a-zA-Z])(\\d)", "$1_$2").toLowerCase(Locale.ROOT);
            out.set(key, e.getValue());
        }
        return out;
    }
}
