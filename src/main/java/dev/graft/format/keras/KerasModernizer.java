package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftException;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spells each layer of a model the way today's Keras loads it while it computes the same: a donor
 * written by tf.keras 1.x or Keras 2.1 may hold configuration that Keras 3 refuses (initializer
 * {@code dtype}s, {@code time_major}, {@code ThresholdedReLU}, a SpatialDropout's {@code noise_shape},
 * ...). The weights never change; a layer whose meaning depends on a key Keras 3 cannot take is
 * refused with one line naming it.
 *
 * <p>Two targets: a legacy {@code .h5} must still open in Keras 2 and DL4J, so it keeps Keras 2
 * spellings Keras 3's legacy loader translates itself ({@code alpha}, {@code input_length}); a
 * {@code .keras} archive is read by Keras 3 only and gets its spelling throughout.
 */
final class KerasModernizer {
    enum Target { LEGACY_H5, KERAS3 }

    /**
     * Keys Keras 3 refuses whose value changes nothing a loaded model computes: initialisation,
     * training-time options, build shapes Keras 3 infers, options Keras 2 itself ignored.
     */
    private static final Set<String> NO_EFFECT_ON_OUTPUT = Set.of("noise_shape", "kernel_initializer", "kernel_regularizer",
            "kernel_constraint", "query_shape", "key_shape", "value_shape", "virtual_batch_size", "implementation",
            "enable_caching_device", "return_runtime", "renorm", "renorm_clipping", "renorm_momentum", "trainable",
            "activity_regularizer", "weights", "dynamic", "batch_size", "autocast", "input_dim", "input_shape", "input_length",
            "batch_input_shape", "fused", "adjustment", "time_major", "num_constants", "sparse", "use_one_hot_matmul");
    /** Keras 2 spellings Keras 3's legacy .h5 loader translates and DL4J needs: kept in a legacy file. */
    private static final Set<String> KEPT_IN_LEGACY = Set.of("alpha", "input_length", "batch_input_shape", "implementation",
            "input_dim", "input_shape");

    private KerasModernizer() {
    }

    /** The model with every layer spelled for {@code target}; wiring, names and weights unchanged. */
    static ModelGraph apply(ModelGraph flat, Target target) {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : flat.layers()) {
            Spelled s = spell(l.name(), l.className(), l.config(), target);
            layers.add(new Layer(l.name(), s.className(), s.config(), l.calls(), l.weights(), l.nested(), l.declaredOutputShapes()));
        }
        return flat.withLayers(layers, flat.inputs(), flat.outputs());
    }

    record Spelled(String className, ObjectNode config) {
    }

    static Spelled spell(String layerName, String className, ObjectNode original, Target target) {
        String cls = className; // aliases (MaxPool1D, GroupQueryAttention) are public names Keras 3 loads as written
        ObjectNode c = KerasCompat.layerConfig(original, target == Target.LEGACY_H5);
        dtypeAsName(c);
        if ("ThresholdedReLU".equals(cls)) {
            // Keras 3 removed the class; ReLU(threshold=theta) computes x for x > theta and 0 below it, the same
            // function (they differ only at exactly x == theta).
            double theta = c.path("theta").asDouble(1.0);
            c.remove("theta");
            cls = "ReLU";
            c.putNull("max_value");
            c.put("negative_slope", 0.0);
            c.put("threshold", theta);
        }
        if ("GRU".equals(cls) && !c.has("reset_after")) c.put("reset_after", false); // Keras < 2.1.3 reset before
        if (target == Target.KERAS3) keras3Renames(cls, c);
        for (String wrapped : new String[] {"layer", "backward_layer"}) {
            if (c.path(wrapped).isObject() && c.path(wrapped).has("class_name")) {
                ObjectNode inner = (ObjectNode) c.get(wrapped);
                ObjectNode innerConfig = inner.path("config").isObject() ? (ObjectNode) inner.get("config") : inner.putObject("config");
                Spelled s = spell(layerName, inner.path("class_name").asText(), innerConfig, target);
                inner.put("class_name", s.className());
                inner.set("config", s.config());
                // Keras 3 deserialises a wrapped layer with its new loader even from a legacy file: it needs the module.
                if (target == Target.LEGACY_H5 && !inner.has("module")) inner.put("module", Keras3Classes.get().module(s.className()));
            }
        }
        dropRefusedKeys(layerName, cls, c, target);
        return new Spelled(cls, c);
    }

    private static void keras3Renames(String cls, ObjectNode c) {
        if ("LeakyReLU".equals(cls) && c.has("alpha")) {
            JsonNode alpha = c.remove("alpha");
            if (!c.has("negative_slope")) c.set("negative_slope", alpha);
        }
        if ("BatchNormalization".equals(cls) && c.path("axis").isArray() && c.get("axis").size() == 1) {
            c.set("axis", c.get("axis").get(0));
        }
        if ("InputLayer".equals(cls)) {
            JsonNode shape = c.remove("batch_input_shape");
            if (shape != null && !c.has("batch_shape")) c.set("batch_shape", shape);
        }
    }

    private static void dropRefusedKeys(String layerName, String cls, ObjectNode c, Target target) {
        Set<String> accepted = Keras3Classes.get().keys(cls);
        if (accepted.isEmpty()) return; // a class Keras 3 does not have: refused where it matters (below, for .keras)
        Iterator<Map.Entry<String, JsonNode>> it = c.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (accepted.contains(key) || key.startsWith("graft_")) continue;
            if (target == Target.LEGACY_H5 && KEPT_IN_LEGACY.contains(key)) continue;
            // Keras 3 takes it (with a warning) and ignores it; graft needs it where the input length is not in the input shape.
            if ("Embedding".equals(cls) && "input_length".equals(key)) continue;
            boolean oneGroup = "groups".equals(key) && e.getValue().asInt(0) == 1;
            if (NO_EFFECT_ON_OUTPUT.contains(key) || isTrivial(e.getValue()) || oneGroup) {
                it.remove();
            } else if (target == Target.KERAS3) {
                throw new GraftException("layer '" + layerName + "' (" + cls + "): its setting " + key + "=" + e.getValue()
                        + " has no Keras 3 spelling; write the model as .h5 or .zip");
            }
        }
    }

    /** A value that means "not set": null, false, zero, or empty. */
    private static boolean isTrivial(JsonNode v) {
        return v == null || v.isNull() || (v.isBoolean() && !v.asBoolean()) || (v.isNumber() && v.asDouble() == 0)
                || (v.isContainerNode() && v.isEmpty()) || (v.isTextual() && v.asText().isEmpty());
    }

    /** A Keras 2 mixed-precision {@code Policy} object becomes its name, which every Keras reads. */
    private static void dtypeAsName(ObjectNode c) {
        JsonNode d = c.get("dtype");
        if (d != null && d.isObject() && d.path("config").has("name")) c.put("dtype", d.path("config").path("name").asText());
    }
}
