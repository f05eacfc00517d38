package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code inspect} lists the layers graft cannot compute, with the reason, and still reports the rest. */
class InspectComputabilityTest {
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "wild/speaker_siamese_customlayer_k350.keras|l1_distance_2|is a custom layer class ('L1Distance') defined in the Python code that saved the model",
        "wild/twotower_nested_tfoplambda_tf212.h5|tf.math.l2_normalize|is a raw TensorFlow operation (TFOpLambda 'math.l2_normalize'), which only TensorFlow can run",
        "keras/models/examples__lambda__sequential_lambda.h5|lambda_1|holds Python code (Lambda), which only Python can run",
        "keras/models/tfkeras__cnn2d_33.h5|locally_connected2d_2|is a Keras LocallyConnected2D layer, which graft's engine does not compute",
    })
    void marksWhatItCannotCompute(String fixture, String layer, String reason) {
        Cli r = Cli.run("inspect", "--json", Fixtures.file(fixture).toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode s = r.json();
        assertFalse(s.path("computable").asBoolean());
        boolean found = false;
        for (JsonNode l : s.path("layers")) {
            if (l.path("name").asText().equals(layer)) {
                found = true;
                assertFalse(l.path("computable").asBoolean());
                assertEquals(reason, l.path("not_computable_reason").asText());
            }
        }
        assertTrue(found, "layer " + layer + " listed");
        Cli text = Cli.run("inspect", Fixtures.file(fixture).toString());
        assertTrue(text.out().contains("* " + layer + " ("), text.out());
        assertFalse(text.out().matches("(?s).*\\((\\w+)\\):? \\(\\1\\).*"), "class named twice in a note: " + text.out());
    }

    @org.junit.jupiter.api.Test
    void reasonLosesOnlyItsOwnLeadingClass() {
        assertEquals("is called 2 times", dev.graft.inspect.ModelSummarizer.withoutClass("Attention", "(Attention) is called 2 times"));
        assertEquals("axis 1 is refused", dev.graft.inspect.ModelSummarizer.withoutClass("LayerNormalization", "(LayerNormalization): axis 1 is refused"));
        assertEquals("contains layer 'a', which (Attention) x", dev.graft.inspect.ModelSummarizer.withoutClass("Functional", "contains layer 'a', which (Attention) x"));
        assertEquals(null, dev.graft.inspect.ModelSummarizer.withoutClass("Dense", null));
    }
}
