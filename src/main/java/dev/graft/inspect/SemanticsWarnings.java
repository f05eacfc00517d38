package dev.graft.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * Places where a model would compute differently in another Keras than the one that wrote it.
 * Keras 3 redefined {@code hard_sigmoid} ({@code x/6 + 0.5} instead of Keras 2's {@code 0.2x + 0.5}),
 * so a Keras 1/2 recurrent layer using it changes its numbers once Keras 3 loads the file.
 */
public final class SemanticsWarnings {
    private SemanticsWarnings() {
    }

    public static List<String> of(ModelGraph model) {
        List<String> out = new ArrayList<>();
        int major = model.source() == null ? 0 : model.source().kerasMajor();
        if (major == 0 || major >= 3) return out;
        // A file graft wrote follows Keras 2's semantics (its provenance says which donor it came from).
        String version = "graft".equals(model.source().producer()) ? "2" : model.source().producerVersion();
        collect(model, version, out);
        return out;
    }

    private static void collect(ModelGraph model, String version, List<String> out) {
        for (Layer l : model.layers()) {
            if (l.nested() != null) {
                collect(l.nested(), version, out);
                continue;
            }
            if (usesHardSigmoid(l.config())) {
                out.add("layer '" + l.name() + "' (" + l.className() + ") uses hard_sigmoid, which Keras 3 redefined"
                        + " (x/6+0.5 instead of 0.2x+0.5): loaded by Keras 3 it computes differently; graft computes it as Keras "
                        + version + " did");
            }
        }
    }

    private static boolean usesHardSigmoid(JsonNode config) {
        if ("hard_sigmoid".equals(config.path("activation").asText()) || "hard_sigmoid".equals(config.path("recurrent_activation").asText())
                || "hard_sigmoid".equals(config.path("inner_activation").asText())) { // Keras 1's name for recurrent_activation
            return true;
        }
        JsonNode inner = config.path("layer").path("config");
        return inner.isObject() && usesHardSigmoid(inner);
    }
}
