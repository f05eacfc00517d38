package dev.graft.shape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: walks a saved Keras model config (Sequential or functional, Keras 1 to 3, nested
 * models included) and infers every layer call with {@link ShapeInference}. Where the file itself
 * records shapes Keras computed (Keras 3's {@code __keras_tensor__} shapes on every functional
 * edge, {@code build_config.input_shape} on Sequential layers), the walker compares them with the
 * inferred ones and collects each disagreement.
 */
final class KerasModelWalker {
    /** One layer call: where it is, and the shapes that went in and came out. */
    record Call(String path, String className, JsonNode config, List<Shape> inputs, List<Shape> outputs) {}

    final List<Call> calls = new ArrayList<>();
    final List<String> mismatches = new ArrayList<>();
    /** Number of shapes recorded by Keras in the file that were compared with inferred ones. */
    int recordedShapesChecked;

    /** Walks the model ({@code {"class_name": ..., "config": ...}}) from its declared input shapes. */
    List<Shape> walk(JsonNode model) {
        return walkModel(model, null, "");
    }

    private List<Shape> walkModel(JsonNode model, List<Shape> inputs, String path) {
        String cls = model.path("class_name").asText();
        JsonNode config = model.get("config");
        String name = config.isObject() ? config.path("name").asText(cls) : cls;
        String here = path.isEmpty() ? name : path + "/" + name;
        boolean sequential = cls.equals("Sequential");
        return sequential ? walkSequential(config, inputs, here) : walkFunctional(config, inputs, here);
    }

    private List<Shape> walkSequential(JsonNode config, List<Shape> inputs, String path) {
        JsonNode layers = config.isArray() ? config : config.get("layers");
        Shape current = inputs == null ? null : single(inputs, path);
        if (current == null && config.isObject() && config.has("build_input_shape")) {
            current = shapeOf(config.get("build_input_shape"));
        }
        for (JsonNode layer : layers) {
            String cls = layer.path("class_name").asText();
            JsonNode lc = layer.get("config");
            if (cls.equals("InputLayer")) {
                if (current == null) current = ShapeInference.outputShapes(cls, lc, List.of()).get(0);
                continue;
            }
            if (current == null && lc.has("batch_input_shape")) current = shapeOf(lc.get("batch_input_shape"));
            if (current == null) throw new IllegalStateException(path + ": model has no input shape (unbuilt?)");
            if (layer.has("build_config")) {
                compare(path + "/" + lc.path("name").asText() + " build_config.input_shape",
                        shapeOf(layer.path("build_config").path("input_shape")), current);
            }
            current = single(callLayer(layer, List.of(current), path), path);
        }
        return List.of(current);
    }

    private List<Shape> walkFunctional(JsonNode config, List<Shape> inputs, String path) {
        Map<String, List<List<Shape>>> produced = new HashMap<>();
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode layer : config.get("layers")) byName.put(layer.path("name").asText(), layer);
        List<JsonNode> inputRefs = refs(config.get("input_layers"));
        for (int i = 0; i < inputRefs.size(); i++) {
            String n = inputRefs.get(i).get(0).asText();
            JsonNode layer = byName.get(n);
            Shape s = inputs != null ? inputs.get(i)
                    : ShapeInference.outputShapes("InputLayer", layer.get("config"), List.of()).get(0);
            produced.computeIfAbsent(n, k -> new ArrayList<>()).add(List.of(s));
        }
        Map<String, Integer> nextNode = new HashMap<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (JsonNode layer : byName.values()) {
                String n = layer.path("name").asText();
                if (layer.path("class_name").asText().equals("InputLayer")) continue;
                JsonNode nodes = layer.path("inbound_nodes");
                int k = nextNode.getOrDefault(n, 0);
                while (k < nodes.size()) {
                    List<Shape> in = resolveNode(nodes.get(k), produced, path);
                    if (in == null) break;
                    produced.computeIfAbsent(n, x -> new ArrayList<>()).add(callLayer(layer, in, path));
                    k++;
                    progress = true;
                }
                nextNode.put(n, k);
            }
        }
        List<Shape> outputs = new ArrayList<>();
        for (JsonNode ref : refs(config.get("output_layers"))) {
            Shape s = resolve(ref.get(0).asText(), ref.get(1).asInt(), ref.get(2).asInt(), produced);
            if (s == null) throw new IllegalStateException(path + ": output " + ref + " was never computed");
            outputs.add(s);
        }
        return outputs;
    }

    /** {@code [[name, node, tensor], ...]}, or Keras 3's bare {@code [name, node, tensor]} for one. */
    private static List<JsonNode> refs(JsonNode list) {
        List<JsonNode> out = new ArrayList<>();
        if (list.size() > 0 && list.get(0).isTextual()) {
            out.add(list);
        } else {
            list.forEach(out::add);
        }
        return out;
    }

    /** The input shapes of one inbound node, or null while a producer has not run yet. */
    private List<Shape> resolveNode(JsonNode node, Map<String, List<List<Shape>>> produced, String path) {
        List<Shape> in = new ArrayList<>();
        if (node.isObject()) {
            // Keras 3: {"args": [...], "kwargs": {...}} holding __keras_tensor__ objects.
            List<JsonNode> tensors = new ArrayList<>();
            collectKerasTensors(node.get("args"), tensors);
            collectKerasTensors(node.get("kwargs"), tensors);
            List<String> pending = new ArrayList<>();
            for (JsonNode t : tensors) {
                JsonNode h = t.path("config").path("keras_history");
                Shape s = resolve(h.get(0).asText(), h.get(1).asInt(), h.get(2).asInt(), produced);
                if (s == null) return null;
                pending.add(h + " recorded shape");
                in.add(s);
            }
            for (int i = 0; i < tensors.size(); i++) {
                compare(path + " " + pending.get(i), shapeOf(tensors.get(i).path("config").path("shape")), in.get(i));
            }
            return in;
        }
        List<JsonNode> refs = new ArrayList<>();
        if (node.size() > 0 && node.get(0).isTextual()) {
            refs.add(node); // tf.keras 2.4+ writes a single-tensor node flat
        } else {
            node.forEach(refs::add);
        }
        for (JsonNode r : refs) {
            Shape s = resolve(r.get(0).asText(), r.get(1).asInt(), r.get(2).asInt(), produced);
            if (s == null) return null;
            in.add(s);
        }
        return in;
    }

    private static void collectKerasTensors(JsonNode v, List<JsonNode> out) {
        if (v == null) return;
        if (v.isObject() && "__keras_tensor__".equals(v.path("class_name").asText())) {
            out.add(v);
        } else if (v.isContainerNode()) {
            v.forEach(x -> collectKerasTensors(x, out));
        }
    }

    /**
     * tf.keras sometimes numbers a nested model's node as it was numbered outside this model
     * (node 1 of a Sequential that has one call here); a layer with one call then means that call.
     */
    private static Shape resolve(String layer, int node, int tensor, Map<String, List<List<Shape>>> produced) {
        List<List<Shape>> nodes = produced.get(layer);
        if (nodes == null || nodes.isEmpty()) return null;
        if (node >= nodes.size()) {
            if (nodes.size() != 1) return null;
            node = 0;
        }
        return nodes.get(node).get(tensor);
    }

    private List<Shape> callLayer(JsonNode layer, List<Shape> in, String path) {
        String cls = layer.path("class_name").asText();
        JsonNode config = layer.get("config");
        List<Shape> out;
        if (cls.equals("Sequential") || cls.equals("Functional") || cls.equals("Model")) {
            out = walkModel(layer, in, path);
        } else {
            out = ShapeInference.outputShapes(cls, config, in);
        }
        String name = config.isObject() ? config.path("name").asText() : cls;
        calls.add(new Call(path + "/" + name, cls, config, in, out));
        return out;
    }

    private void compare(String what, Shape recorded, Shape inferred) {
        recordedShapesChecked++;
        if (!recorded.equals(inferred)) mismatches.add(what + ": Keras recorded " + recorded + ", inferred " + inferred);
    }

    private static Shape single(List<Shape> shapes, String path) {
        if (shapes.size() != 1) throw new IllegalStateException(path + ": expected one tensor, got " + shapes);
        return shapes.get(0);
    }

    static Shape shapeOf(JsonNode dims) {
        List<Long> d = new ArrayList<>();
        for (JsonNode x : dims) d.add(x.isNull() ? null : x.asLong());
        return Shape.of(d);
    }
}
