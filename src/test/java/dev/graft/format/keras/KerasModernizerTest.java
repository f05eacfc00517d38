package dev.graft.format.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftException;
import dev.graft.format.Json;
import dev.graft.format.keras.KerasModernizer.Spelled;
import dev.graft.format.keras.KerasModernizer.Target;
import org.junit.jupiter.api.Test;

/**
 * Old configurations spelled the way Keras 3 loads them (the refusals each case avoids were
 * observed in real Keras 3.15.1; see keras3-layers.json's renamed_from_keras2), computing the same.
 */
class KerasModernizerTest {
    private static ObjectNode config(String json) {
        return (ObjectNode) Json.parse(json);
    }

    @Test
    void thresholdedReluBecomesTheReluThatComputesTheSame() {
        Spelled s = KerasModernizer.spell("t", "ThresholdedReLU", config("{\"name\": \"t\", \"trainable\": true, \"dtype\": \"float32\", \"theta\": 0.7}"), Target.LEGACY_H5);
        assertEquals("ReLU", s.className());
        assertEquals(0.7, s.config().path("threshold").asDouble());
        assertEquals(0.0, s.config().path("negative_slope").asDouble());
        assertTrue(s.config().get("max_value").isNull());
        assertFalse(s.config().has("theta"));
    }

    @Test
    void keysKeras3RefusesAreDroppedWhereTheyChangeNothing() {
        Spelled lstm = KerasModernizer.spell("l", "LSTM", config("{\"name\": \"l\", \"units\": 4, \"time_major\": false, \"num_constants\": null,"
                + " \"kernel_initializer\": {\"class_name\": \"VarianceScaling\", \"config\": {\"scale\": 1.0, \"dtype\": \"float32\"}}}"), Target.KERAS3);
        assertFalse(lstm.config().has("time_major"));
        assertFalse(lstm.config().has("num_constants"));
        assertFalse(lstm.config().path("kernel_initializer").path("config").has("dtype"), "tf.keras 1.x initializer dtype");
        Spelled drop = KerasModernizer.spell("d", "SpatialDropout1D", config("{\"name\": \"d\", \"trainable\": true, \"rate\": 0.2, \"noise_shape\": null}"), Target.LEGACY_H5);
        assertEquals(config("{\"name\": \"d\", \"rate\": 0.2}"), drop.config());
    }

    /** Keras 3.15's legacy loader reads score_mode "dot" as the function keras.ops.dot and refuses the Attention layer. */
    @Test
    void attentionsDefaultScoreModeIsLeftOut() {
        Spelled dot = KerasModernizer.spell("a", "Attention", config("{\"name\": \"a\", \"use_scale\": true, \"score_mode\": \"dot\"}"), Target.LEGACY_H5);
        assertFalse(dot.config().has("score_mode"));
        Spelled concat = KerasModernizer.spell("a", "Attention", config("{\"name\": \"a\", \"score_mode\": \"concat\"}"), Target.LEGACY_H5);
        assertEquals("concat", concat.config().path("score_mode").asText());
    }

    @Test
    void aKeras21GruSaysItResetsBefore() {
        Spelled gru = KerasModernizer.spell("g", "GRU", config("{\"name\": \"g\", \"units\": 3}"), Target.LEGACY_H5);
        assertFalse(gru.config().path("reset_after").asBoolean(true));
    }

    @Test
    void keras3SpellingOnlyInArchives() {
        ObjectNode leaky = config("{\"name\": \"r\", \"alpha\": 0.1}");
        assertEquals(0.1, KerasModernizer.spell("r", "LeakyReLU", leaky, Target.LEGACY_H5).config().path("alpha").asDouble(), "Keras 2 and DL4J read alpha");
        Spelled k3 = KerasModernizer.spell("r", "LeakyReLU", leaky, Target.KERAS3);
        assertEquals(0.1, k3.config().path("negative_slope").asDouble());
        assertFalse(k3.config().has("alpha"));
        Spelled input = KerasModernizer.spell("in", "InputLayer", config("{\"name\": \"in\", \"batch_input_shape\": [null, 3], \"dtype\": \"float32\"}"), Target.KERAS3);
        assertEquals("[null,3]", input.config().path("batch_shape").toString());
        assertFalse(input.config().has("batch_input_shape"));
    }

    @Test
    void aSettingWithNoKeras3SpellingIsRefusedForArchives() {
        ObjectNode c = config("{\"name\": \"c\", \"filters\": 2, \"kernel_size\": [3, 3], \"dim_ordering\": \"th\"}");
        GraftException e = assertThrows(GraftException.class, () -> KerasModernizer.spell("c", "Conv2D", c, Target.KERAS3));
        assertEquals("layer 'c' (Conv2D): its setting dim_ordering=\"th\" has no Keras 3 spelling; write the model as .h5 or .zip", e.getMessage());
    }
}
