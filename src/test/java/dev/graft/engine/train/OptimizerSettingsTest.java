package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.GraftException;
import dev.graft.format.Json;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resolving an optimizer's arguments: Keras's defaults, stored configs of Keras 2 and 3, the user's values, refusals. */
class OptimizerSettingsTest {
    private static OptimizerSettings stored(String cls, String config, Map<String, String> overrides) {
        return OptimizerSettings.resolve(OptimizerKind.parse(cls), cls, Json.parse(config), overrides, "m.h5: stored optimizer_config");
    }

    @Test
    void keras2SpellingsAreRead() {
        OptimizerSettings s = stored("SGD", "{\"name\": \"SGD\", \"lr\": 0.1, \"decay\": 0.0, \"momentum\": 0.9, \"nesterov\": true}", Map.of());
        assertEquals(0.1, s.learningRate());
        assertEquals(0.9, s.number("momentum"));
        assertTrue(s.flag("nesterov"));
    }

    @Test
    void keras2DecayIsRefusedUnlessRemoved() {
        GraftException e = assertThrows(GraftException.class, () -> stored("Adam", "{\"lr\": 0.01, \"decay\": 1e-6}", Map.of()));
        assertTrue(e.getMessage().startsWith("m.h5: stored optimizer_config: optimizer argument decay=1.0E-6"), e.getMessage());
        assertTrue(e.getMessage().contains("--optimizer-arg decay=none"), e.getMessage());
        assertEquals(0.01, stored("Adam", "{\"lr\": 0.01, \"decay\": 1e-6}", Map.of("decay", "none")).learningRate());
    }

    @Test
    void theUsersValuesWin() {
        OptimizerSettings s = stored("Adam", "{\"learning_rate\": 0.01, \"beta_1\": 0.5}", Map.of("beta_1", "0.8", "amsgrad", "true"));
        assertEquals(0.8, s.number("beta_1"));
        assertTrue(s.flag("amsgrad"));
        assertEquals(0.01, s.learningRate());
    }

    @Test
    void whatGraftDoesNotImplementIsRefused() {
        String[][] cases = {
            {"Adam", "{\"beta_3\": 1}", "Adam has no argument 'beta_3'"},
            {"Adam", "{\"use_ema\": true}", "use_ema=true"},
            {"Adam", "{\"gradient_accumulation_steps\": 4}", "gradient_accumulation_steps=4"},
            {"Adam", "{\"clipnorm\": 1, \"clipvalue\": 1}", "only one of clipnorm, clipvalue and global_clipnorm"},
            {"AdamW", "{\"weight_decay\": null}", "weight_decay must be a number"},
            {"SGD", "{\"momentum\": 1.5}", "momentum must be between 0 and 1"},
            {"Adam", "{\"learning_rate\": {\"class_name\": \"ExponentialDecay\", \"config\": {}}}", "is a schedule (ExponentialDecay)"},
            {"Adam", "{\"learning_rate\": -1}", "learning_rate must be a positive number"},
            {"Nadam", "{\"schedule_decay\": 0.004}", "schedule_decay=0.004 (Keras 2) is not implemented"},
        };
        for (String[] c : cases) {
            GraftException e = assertThrows(GraftException.class, () -> stored(c[0], c[1], Map.of()), c[1]);
            assertTrue(e.getMessage().contains(c[2]), c[1] + " -> " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        GraftException ftrl = assertThrows(GraftException.class, () -> OptimizerKind.parse("ftrl"));
        assertTrue(ftrl.getMessage().contains("not implemented"), ftrl.getMessage());
    }

    /** The recorded config has Keras 3's get_config keys and defaults (as real Keras 3.15.1 recorded them). */
    @Test
    void recordsWhatKerasRecords() {
        for (JsonNode c : KerasReferenceOptimizersTest.REF.get("cases")) {
            if (!c.get("args").isEmpty()) continue;
            JsonNode keras = c.get("config");
            JsonNode ours = OptimizerSettings.defaults(OptimizerKind.parse(c.get("optimizer").asText())).toKerasConfig(null).get("config");
            Iterator<String> names = keras.fieldNames();
            while (names.hasNext()) {
                String k = names.next();
                if (k.equals("name")) {
                    assertEquals(keras.get(k).asText(), ours.get(k).asText());
                    continue;
                }
                assertTrue(ours.has(k), c.get("optimizer") + " lacks " + k);
                assertEquals(keras.get(k).isNull(), ours.get(k).isNull(), c.get("optimizer") + " " + k);
                if (!keras.get(k).isNull()) assertEquals(keras.get(k).asDouble(), ours.get(k).asDouble(), 1e-7 * Math.abs(keras.get(k).asDouble()), c.get("optimizer") + " " + k); // Keras keeps the rate as float32
            }
            assertEquals(keras.size(), ours.size(), c.get("optimizer") + ": " + ours + " vs " + keras);
        }
    }
}
