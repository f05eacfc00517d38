package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Keras model configuration (Keras 1, 2 or 3; Sequential, Model or Functional; nested
 * models included) into a {@link ModelGraph} skeleton: layers, configs and wiring, no weights.
 * Sequential models become explicit chains starting at an InputLayer, named as Keras names the
 * implicit one ({@code <first layer>_input}).
 */
public final class KerasGraphParser {
    static final Set<String> MODEL_CLASSES = Set.of("Sequential", "Functional", "Model");

    private KerasGraphParser() {
    }

    /** Parses {@code {"class_name": ..., "config": ...}}. */
    public static ModelGraph parse(JsonNode modelConfig) {
        String className = modelConfig.path("class_name").asText("");
        JsonNode config = modelConfig.get("config");
        if (config == null || config.isNull()) throw new KerasConfigException("model configuration has no 'config'");
        DeclaredSizes.check(config);
        try {
            return parseModel(className, config);
        } catch (KerasConfigException e) {
            throw e;
        } catch (ClassCastException | NullPointerException | IllegalArgumentException | IndexOutOfBoundsException
                 | UnsupportedOperationException e) {
            // A damaged or hand-edited configuration (an object where a list belongs...) meets the
            // parser's assumptions somewhere: say so instead of showing the parser's exception.
            throw new KerasConfigException("model configuration is malformed (" + e.getClass().getSimpleName() + " while reading it)");
        }
    }

    static ModelGraph parseModel(String className, JsonNode config) {
        if ("Sequential".equals(className)) return parseSequential(config);
        if ("Model".equals(className) || "Functional".equals(className)) return parseFunctional(className, config);
        throw new KerasConfigException("unknown model class '" + className + "' (expected Sequential, Model or Functional)");
    }

    // ---- Sequential -------------------------------------------------------------------------

    private static ModelGraph parseSequential(JsonNode config) {
        // Keras < 2.2.3 wrote a Sequential's config as the bare list of its layers.
        JsonNode layerList = config.isArray() ? config : config.path("layers");
        String name = config.isArray() ? "sequential" : config.path("name").asText("sequential");
        if (!layerList.isArray() || layerList.isEmpty()) throw new KerasConfigException("Sequential model '" + name + "' has no layers");

        List<Layer> layers = new ArrayList<>();
        JsonNode first = layerList.get(0);
        int start = 0;
        Layer input;
        if ("InputLayer".equals(first.path("class_name").asText())) {
            input = inputLayer(first);
            start = 1;
        } else {
            input = implicitInput(first, config.isArray() ? null : config.get("build_input_shape"));
        }
        layers.add(input);
        TensorRef previous = TensorRef.of(input.name());
        for (int i = start; i < layerList.size(); i++) {
            JsonNode lj = layerList.get(i);
            LayerCall call = new LayerCall(List.of(previous), Json.object());
            Layer layer = layer(lj, List.of(call));
            layers.add(layer);
            previous = TensorRef.of(layer.name());
        }
        return new ModelGraph(name, "Sequential", layers, List.of(TensorRef.of(input.name())), List.of(previous), null, null, null);
    }

    private static Layer inputLayer(JsonNode lj) {
        ObjectNode config = Keras3Spelling.layerConfig(lj.path("config"), "InputLayer");
        String name = layerName(lj, config);
        config.put("name", name);
        return new Layer(name, "InputLayer", config, List.of(), List.of(), null);
    }

    /** The InputLayer Keras creates for a Sequential whose first layer carries the input shape. */
    private static Layer implicitInput(JsonNode firstLayer, JsonNode buildInputShape) {
        JsonNode fc = firstLayer.path("config");
        String firstName = layerName(firstLayer, fc);
        ArrayNode batchShape = batchInputShape(firstLayer.path("class_name").asText(), fc);
        if (batchShape == null && buildInputShape != null && buildInputShape.isArray()) batchShape = (ArrayNode) buildInputShape.deepCopy();
        if (batchShape == null && fc.path("build_config").path("input_shape").isArray()) {
            batchShape = (ArrayNode) fc.path("build_config").path("input_shape").deepCopy();
        }
        ObjectNode config = Json.object();
        if (batchShape != null) config.set("batch_input_shape", batchShape);
        JsonNode dtype = Keras3Spelling.normalize(fc.path("dtype").deepCopy());
        config.put("dtype", dtype.isTextual() ? dtype.asText() : "float32");
        config.put("sparse", false);
        String name = firstName + "_input";
        config.put("name", name);
        return new Layer(name, "InputLayer", config, List.of(), List.of(), null);
    }

    /** The batch input shape a layer config declares, in any Keras spelling; null when none. */
    private static ArrayNode batchInputShape(String className, JsonNode fc) {
        if (fc.path("batch_input_shape").isArray()) return (ArrayNode) fc.get("batch_input_shape").deepCopy();
        if (fc.path("batch_shape").isArray()) return (ArrayNode) fc.get("batch_shape").deepCopy();
        ArrayNode shape = Json.array();
        if (fc.path("input_shape").isArray()) {
            shape.addNull();
            fc.get("input_shape").forEach(d -> shape.add(d.deepCopy()));
            return shape;
        }
        if ("Embedding".equals(className)) {
            // An Embedding's input_dim is its vocabulary size; its input is (batch, input_length).
            if (!fc.path("input_length").canConvertToLong()) return null;
            shape.addNull();
            shape.add(fc.get("input_length").asLong());
            return shape;
        }
        if (fc.path("input_dim").canConvertToLong()) {
            shape.addNull();
            if (fc.has("input_length")) shape.add(fc.get("input_length").deepCopy()); // Keras 1 recurrent/Embedding
            shape.add(fc.get("input_dim").asLong());
            return shape;
        }
        return null;
    }

    // ---- Functional -------------------------------------------------------------------------

    private static ModelGraph parseFunctional(String className, JsonNode config) {
        String name = config.path("name").asText("model");
        List<Layer> layers = new ArrayList<>();
        for (JsonNode lj : config.path("layers")) {
            String cls = lj.path("class_name").asText();
            if ("InputLayer".equals(cls)) {
                layers.add(inputLayer(lj));
                continue;
            }
            List<LayerCall> calls = new ArrayList<>();
            for (JsonNode node : lj.path("inbound_nodes")) calls.add(call(node));
            layers.add(layer(lj, calls));
        }
        List<TensorRef> inputs = refs(config.get("input_layers"));
        List<TensorRef> outputs = refs(config.get("output_layers"));
        layers = KerasMaskOps.fold(config.path("layers"), layers, outputs);
        if (layers.isEmpty()) throw new KerasConfigException("model '" + name + "' has no layers");
        return NodeIndices.renumber(new ModelGraph(name, className, layers, inputs, outputs, null, null, null));
    }

    private static Layer layer(JsonNode lj, List<LayerCall> calls) {
        String cls = lj.path("class_name").asText();
        if (cls.isEmpty()) throw new KerasConfigException("a layer without class_name: " + abbreviate(lj));
        JsonNode rawConfig = lj.path("config");
        if (MODEL_CLASSES.contains(cls)) {
            ModelGraph inner = parseModel(cls, rawConfig);
            ObjectNode config = (ObjectNode) Keras3Spelling.normalize(rawConfig.deepCopy());
            String name = lj.hasNonNull("name") ? lj.get("name").asText() : inner.name();
            return new Layer(name, cls, config, calls, List.of(), inner);
        }
        ObjectNode config = Keras3Spelling.layerConfig(rawConfig, cls);
        String name = layerName(lj, config);
        return new Layer(name, cls, config, calls, List.of(), null);
    }

    private static String layerName(JsonNode lj, JsonNode config) {
        if (lj.hasNonNull("name")) return lj.get("name").asText();
        if (config.hasNonNull("name")) return config.get("name").asText();
        throw new KerasConfigException("a " + lj.path("class_name").asText("layer") + " without a name");
    }

    /**
     * Keyword arguments holding one tensor whose keyword the call's reader must know: MultiHeadAttention's and
     * GroupedQueryAttention's {@code key} and {@code attention_mask}. The call keeps them as
     * {@code {"graft_input": index into its inputs}}.
     */
    public static final java.util.Set<String> TENSOR_KEYWORDS = java.util.Set.of("key", "attention_mask");
    /** The field of a {@link #TENSOR_KEYWORDS} keyword argument that holds its input's index. */
    public static final String TENSOR_INDEX = "graft_input";

    /** One inbound node: Keras 1/2 write a list of {@code [layer, node, tensor, kwargs?]}; Keras 3 an args/kwargs object. */
    private static LayerCall call(JsonNode node) {
        List<TensorRef> inputs = new ArrayList<>();
        ObjectNode kwargs = Json.object();
        if (node.isArray() && !node.isEmpty() && node.get(0).isTextual()) {
            // tf.keras writes a TFOpLambda's node as one bare entry: [layer, node, tensor, kwargs].
            inputs.add(ref(node));
            if (node.size() > 3 && node.get(3).isObject()) kwargs = (ObjectNode) node.get(3).deepCopy();
        } else if (node.isArray()) {
            for (JsonNode entry : node) {
                inputs.add(ref(entry));
                if (entry.size() > 3 && entry.get(3).isObject() && kwargs.isEmpty()) kwargs = (ObjectNode) entry.get(3).deepCopy();
            }
        } else if (node.isObject()) {
            collectKerasTensors(node.path("args"), inputs);
            Iterator<Map.Entry<String, JsonNode>> it = node.path("kwargs").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                int before = inputs.size();
                collectKerasTensors(e.getValue(), inputs);
                // Tensors passed by keyword (an RNN's initial_state) are extra inputs in Keras 2's form.
                boolean heldTensors = inputs.size() > before;
                boolean inferenceOnly = "training".equals(e.getKey()) || e.getValue().isNull();
                if (!heldTensors && !inferenceOnly) kwargs.set(e.getKey(), Keras3Spelling.normalize(e.getValue().deepCopy()));
                // An attention layer's key and attention_mask tensors are told apart by their keyword, kept as the input's index.
                if (heldTensors && inputs.size() == before + 1 && TENSOR_KEYWORDS.contains(e.getKey())) {
                    kwargs.putObject(e.getKey()).put(TENSOR_INDEX, before);
                }
            }
        } else {
            throw new KerasConfigException("unreadable inbound node " + abbreviate(node));
        }
        return new LayerCall(inputs, kwargs);
    }

    private static void collectKerasTensors(JsonNode value, List<TensorRef> out) {
        if (value.isObject() && "__keras_tensor__".equals(value.path("class_name").asText())) {
            out.add(ref(value.path("config").path("keras_history")));
        } else if (value.isArray() || value.isObject()) {
            for (JsonNode v : value) collectKerasTensors(v, out);
        }
    }

    private static TensorRef ref(JsonNode entry) {
        if (!entry.isArray() || entry.isEmpty() || !entry.get(0).isTextual()) {
            throw new KerasConfigException("unreadable tensor reference " + abbreviate(entry));
        }
        return new TensorRef(entry.get(0).asText(), entry.path(1).asInt(0), entry.path(2).asInt(0));
    }

    /** {@code input_layers}/{@code output_layers}: a list of references, or (Keras 3, one tensor) a single one. */
    private static List<TensorRef> refs(JsonNode node) {
        List<TensorRef> out = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) return out;
        if (node.get(0).isTextual()) {
            out.add(ref(node));
        } else {
            for (JsonNode e : node) out.add(ref(e));
        }
        return out;
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
