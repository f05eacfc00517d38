package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import dev.graft.shape.GraphShapes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A flat model's {@code config.json} as Keras 3 writes it ({@code keras.saving.serialize_keras_object}):
 * a {@code Functional} whose layers carry {@code module}, {@code registered_name},
 * {@code build_config}, {@code DTypePolicy} objects and {@code __keras_tensor__} call arguments,
 * and the training configuration as {@code compile_config}. The layers must already be spelled for
 * Keras 3 ({@link KerasModernizer}).
 */
final class Keras3Serializer {
    private static final Set<String> KERAS_TENSOR_FREE_KWARGS = Set.of("training", "mask");

    private Keras3Serializer() {
    }

    static ObjectNode modelConfig(ModelGraph model) {
        GraphShapes shapes = GraphShapes.infer(model);
        ObjectNode config = Json.object();
        config.put("name", model.name());
        config.put("trainable", true);
        ArrayNode layers = config.putArray("layers");
        for (Layer layer : model.layers()) layers.add(layer(layer, shapes));
        config.set("input_layers", endpoints(model.inputs()));
        config.set("output_layers", endpoints(model.outputs()));

        ObjectNode root = Json.object();
        root.put("module", "keras.src.models.functional");
        root.put("class_name", "Functional");
        root.set("config", config);
        root.put("registered_name", "Functional");
        ObjectNode build = root.putObject("build_config");
        build.putNull("input_shape");
        if (model.trainingConfig() != null) root.set("compile_config", compileConfig(model.trainingConfig()));
        return root;
    }

    private static ObjectNode layer(Layer layer, GraphShapes shapes) {
        ObjectNode lj = Json.object();
        Keras3Classes k3 = Keras3Classes.get();
        lj.put("module", k3.module(layer.className()));
        lj.put("class_name", layer.className());
        ObjectNode config = layerConfig(layer.className(), layer.config());
        config.put("name", layer.name());
        lj.set("config", config);
        lj.putNull("registered_name");
        // Keras builds a layer from build_config before calling it; it records one only for layers that
        // create variables, and a multi-input layer's shapes go in a form of its own: Keras builds those on call.
        if (!layer.weights().isEmpty() && !layer.calls().isEmpty() && layer.calls().get(0).inputs().size() == 1) {
            JsonNode inputShape = inputShape(layer.calls().get(0), shapes);
            if (inputShape != null) lj.putObject("build_config").set("input_shape", inputShape);
        } else if (POSITIONAL_INPUTS.contains(layer.className()) && !layer.calls().isEmpty()) {
            JsonNode shapesDict = attentionShapes(layer.calls().get(0), shapes);
            if (shapesDict != null) lj.putObject("build_config").set("shapes_dict", shapesDict);
        }
        lj.put("name", layer.name());
        ArrayNode nodes = lj.putArray("inbound_nodes");
        for (LayerCall call : layer.calls()) nodes.add(node(call, shapes, layer.className()));
        return lj;
    }

    /**
     * Layers whose inputs are separate positional arguments of {@code call} ({@code query, value, key}), not one
     * list: Keras 3 cannot call them from Keras 2's list form of an inbound node.
     */
    static final Set<String> POSITIONAL_INPUTS = Set.of("MultiHeadAttention", "GroupedQueryAttention", "GroupQueryAttention");

    /** MultiHeadAttention's {@code build(query_shape, value_shape, key_shape)} arguments, as Keras records them. */
    private static JsonNode attentionShapes(LayerCall call, GraphShapes shapes) {
        String[] names = {"query_shape", "value_shape", "key_shape"};
        ObjectNode d = Json.object();
        // the key is the third tensor given positionally or the one given as key=; an attention_mask has no build shape
        int keyIndex = call.kwargs().path("key").path(KerasGraphParser.TENSOR_INDEX).asInt(2);
        int maskIndex = call.kwargs().path("attention_mask").path(KerasGraphParser.TENSOR_INDEX).asInt(-1);
        for (int i = 0; i < 2 && i < call.inputs().size(); i++) {
            Shape s = shapes.shape(call.inputs().get(i));
            if (s == null) return null;
            d.set(names[i], shapeArray(s));
        }
        if (keyIndex < call.inputs().size() && keyIndex != maskIndex) {
            Shape s = shapes.shape(call.inputs().get(keyIndex));
            if (s == null) return null;
            d.set(names[2], shapeArray(s));
        }
        return d;
    }

    private static ArrayNode shapeArray(Shape s) {
        ArrayNode a = Json.array();
        for (Long d : s.dims()) {
            if (d == null) a.addNull();
            else a.add(d);
        }
        return a;
    }

    /** A layer's config in Keras 3's serialisation: objects with module and registered_name, dtype policies. */
    static ObjectNode layerConfig(String className, ObjectNode spelled) {
        ObjectNode c = spelled.deepCopy();
        Set<String> accepted = Keras3Classes.get().keys(className);
        // Keys every Keras 3 config of the class carries; graft's reader drops them, their values are the defaults.
        if (accepted.contains("quantization_config") && !c.has("quantization_config")) c.putNull("quantization_config");
        if ("InputLayer".equals(className) && !c.has("optional")) c.put("optional", false);
        if (!"InputLayer".equals(className)) {
            String dtype = c.path("dtype").isTextual() ? c.get("dtype").asText() : "float32";
            if (accepted.contains("dtype")) c.set("dtype", dtypePolicy(dtype));
        }
        Iterator<Map.Entry<String, JsonNode>> it = c.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (key.endsWith("_initializer")) e.setValue(object("initializers", key, e.getValue()));
            else if (key.endsWith("_regularizer")) e.setValue(object("regularizers", key, e.getValue()));
            else if (key.endsWith("_constraint")) e.setValue(object("constraints", key, e.getValue()));
            else if (("layer".equals(key) || "backward_layer".equals(key)) && e.getValue().has("class_name")) {
                String inner = e.getValue().path("class_name").asText();
                ObjectNode o = Json.object();
                o.put("module", Keras3Classes.get().module(inner));
                o.put("class_name", inner);
                o.set("config", layerConfig(inner, (ObjectNode) e.getValue().path("config")));
                o.putNull("registered_name");
                e.setValue(o);
            }
        }
        return c;
    }

    static ObjectNode dtypePolicy(String name) {
        ObjectNode d = Json.object();
        d.put("module", "keras");
        d.put("class_name", "DTypePolicy");
        d.putObject("config").put("name", name);
        d.putNull("registered_name");
        return d;
    }

    /**
     * An initializer, regularizer or constraint as Keras 3 writes it. Keras 3 has no class for a few
     * Keras 2 ones; they only matter when someone re-initialises or re-trains the layer, so an
     * initializer becomes Keras's default for that weight and a regularizer or constraint is dropped.
     */
    private static JsonNode object(String kind, String key, JsonNode value) {
        if (value == null || !value.isObject() || !value.has("class_name")) return value;
        Keras3Classes k3 = Keras3Classes.get();
        String cls = k3.objectClass(kind, value.path("class_name").asText());
        if (cls == null) {
            if (!"initializers".equals(kind)) return Json.MAPPER.nullNode();
            cls = defaultInitializer(key);
        }
        ObjectNode config = Json.object();
        Set<String> accepted = k3.objectKeys(kind, cls);
        Iterator<Map.Entry<String, JsonNode>> it = value.path("config").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (accepted.contains(e.getKey())) config.set(e.getKey(), e.getValue().deepCopy());
        }
        if ("VarianceScaling".equals(cls) && "normal".equals(config.path("distribution").asText())) {
            config.put("distribution", "truncated_normal"); // what Keras 2's "normal" drew
        }
        ObjectNode o = Json.object();
        o.put("module", "keras." + kind);
        o.put("class_name", cls);
        o.set("config", config);
        o.putNull("registered_name");
        return o;
    }

    private static String defaultInitializer(String key) {
        if (key.startsWith("gamma") || key.startsWith("moving_variance")) return "Ones";
        if (key.startsWith("bias") || key.startsWith("beta") || key.startsWith("moving_mean")) return "Zeros";
        if (key.startsWith("recurrent")) return "Orthogonal";
        return "GlorotUniform";
    }

    /**
     * One call: {@code {"args": [tensor or [tensors]], "kwargs": {...}}} with each tensor a
     * {@code __keras_tensor__} naming its history. Keras needs each tensor's shape; where graft
     * cannot infer one, the call is written in the list form Keras 3 still reads.
     */
    /** A recurrent layer, whose extra inputs are its initial states. */
    static boolean isRecurrent(String className) {
        return "cell/vars".equals(Keras3Classes.get().varsLayout(className));
    }

    static JsonNode node(LayerCall call, GraphShapes shapes, String className) {
        boolean recurrent = isRecurrent(className);
        List<ObjectNode> tensors = new ArrayList<>();
        for (TensorRef r : call.inputs()) {
            Shape s = shapes.shape(r);
            if (s == null) return legacyNode(call);
            tensors.add(kerasTensor(r, s, shapes.dtype(r).kerasName()));
        }
        ObjectNode n = Json.object();
        ArrayNode args = n.putArray("args");
        ObjectNode kwargs = Json.object();
        java.util.Set<Integer> byKeyword = new java.util.HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> kw = call.kwargs().fields();
        while (kw.hasNext()) {
            Map.Entry<String, JsonNode> e = kw.next();
            JsonNode index = e.getValue().path(KerasGraphParser.TENSOR_INDEX);
            if (index.isInt() && index.asInt() < tensors.size()) {
                kwargs.set(e.getKey(), tensors.get(index.asInt()));
                byKeyword.add(index.asInt());
            }
        }
        if (tensors.size() == 1 || POSITIONAL_INPUTS.contains(className)) {
            for (int i = 0; i < tensors.size(); i++) if (!byKeyword.contains(i)) args.add(tensors.get(i));
        } else if (recurrent) {
            // A recurrent layer's extra inputs are its initial states, which Keras 3 passes by keyword.
            args.add(tensors.get(0));
            ArrayNode states = kwargs.putArray("initial_state");
            tensors.subList(1, tensors.size()).forEach(states::add);
        } else {
            ArrayNode list = args.addArray();
            tensors.forEach(list::add);
        }
        n.set("kwargs", kwargs);
        Iterator<Map.Entry<String, JsonNode>> it = call.kwargs().fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().has(KerasGraphParser.TENSOR_INDEX)) continue;   // written above, as the tensor
            if (KERAS_TENSOR_FREE_KWARGS.contains(e.getKey()) && !e.getValue().isContainerNode()) kwargs.set(e.getKey(), e.getValue().deepCopy());
            else if (!e.getValue().isContainerNode()) kwargs.set(e.getKey(), e.getValue().deepCopy());
            else return legacyNode(call); // tensors passed by keyword: the list form carries them as Keras 2 wrote them
        }
        return n;
    }

    private static ObjectNode kerasTensor(TensorRef r, Shape s, String dtype) {
        ObjectNode t = Json.object();
        t.put("class_name", "__keras_tensor__");
        ObjectNode c = t.putObject("config");
        ArrayNode shape = c.putArray("shape");
        for (Long d : s.dims()) {
            if (d == null) shape.addNull();
            else shape.add(d);
        }
        c.put("dtype", dtype);
        c.putArray("keras_history").add(r.layer()).add(r.node()).add(r.tensor());
        return t;
    }

    private static ArrayNode legacyNode(LayerCall call) {
        ArrayNode node = Json.array();
        for (TensorRef r : call.inputs()) node.addArray().add(r.layer()).add(r.node()).add(r.tensor()).add(call.kwargs().deepCopy());
        return node;
    }

    private static JsonNode inputShape(LayerCall call, GraphShapes shapes) {
        List<JsonNode> out = new ArrayList<>();
        for (TensorRef r : call.inputs()) {
            Shape s = shapes.shape(r);
            if (s == null) return null;
            ArrayNode a = Json.array();
            for (Long d : s.dims()) {
                if (d == null) a.addNull();
                else a.add(d);
            }
            out.add(a);
        }
        if (out.size() == 1) return out.get(0);
        ArrayNode all = Json.array();
        out.forEach(all::add);
        return all;
    }

    /** {@code [layer, node, tensor]} for one endpoint, a list of them for several (as Keras writes). */
    private static JsonNode endpoints(List<TensorRef> refs) {
        ArrayNode a = Json.array();
        for (TensorRef r : refs) a.addArray().add(r.layer()).add(r.node()).add(r.tensor());
        return refs.size() == 1 ? a.get(0) : a;
    }

    /** Keras 3's {@code compile_config} from the training configuration (Keras 2's {@code training_config} form). */
    static ObjectNode compileConfig(ObjectNode trainingConfig) {
        ObjectNode tc = KerasCompat.trainingConfig(trainingConfig);
        ObjectNode c = Json.object();
        JsonNode opt = tc.get("optimizer_config");
        if (opt != null) {
            ObjectNode o = c.putObject("optimizer");
            String cls = opt.path("class_name").asText("Adam");
            if (cls.startsWith("Custom>")) cls = cls.substring("Custom>".length());
            o.put("module", "keras.optimizers");
            o.put("class_name", cls);
            ObjectNode oc = ((ObjectNode) opt.path("config")).deepCopy();
            if (!oc.has("name")) oc.put("name", cls.toLowerCase(java.util.Locale.ROOT));
            o.set("config", oc);
            o.putNull("registered_name");
        }
        for (String key : new String[] {"loss", "loss_weights", "metrics", "weighted_metrics"}) {
            JsonNode v = tc.get(key);
            c.set(key, v == null ? Json.MAPPER.nullNode() : v.deepCopy());
        }
        c.put("run_eagerly", false);
        c.put("steps_per_execution", 1);
        c.put("jit_compile", false);
        return c;
    }
}
