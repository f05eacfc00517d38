package dev.graft.shape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.DType;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of every tensor of a model, inferred call by call from its input layers. Inference
 * never fails as a whole: a layer whose shape cannot be known (Python code, an unknown class) is
 * recorded with the reason, and the layers after it are unknown too.
 */
public final class GraphShapes {
    private final Map<String, List<List<Shape>>> outputsByLayer = new HashMap<>();
    private final Map<String, String> problems = new HashMap<>();
    private final Map<String, DType> dtypes = new HashMap<>();
    private final ModelGraph model;

    private GraphShapes(ModelGraph model) {
        this.model = model;
    }

    public static GraphShapes infer(ModelGraph model) {
        GraphShapes s = new GraphShapes(model);
        s.run(Map.of());
        return s;
    }

    /** Infers a nested model given the shapes its inputs receive from the outer graph. */
    private static GraphShapes infer(ModelGraph model, Map<TensorRef, Shape> inputOverrides) {
        GraphShapes s = new GraphShapes(model);
        s.run(inputOverrides);
        return s;
    }

    /**
     * One pass over the layers in file order; a shared layer (called more than once) can read a tensor made after its
     * first call (its own output, or a layer listed after it), so passes repeat while they learn shapes.
     */
    private void run(Map<TensorRef, Shape> inputOverrides) {
        boolean shared = model.layers().stream().anyMatch(l -> l.calls().size() > 1);
        long known = -1;
        for (int pass = 0; pass < (shared ? model.layers().size() : 1); pass++) {
            problems.clear();
            runOnce(inputOverrides);
            long now = outputsByLayer.values().stream().flatMap(List::stream).flatMap(List::stream).filter(java.util.Objects::nonNull).count();
            if (now == known) break;
            known = now;
        }
    }

    private void runOnce(Map<TensorRef, Shape> inputOverrides) {
        for (Layer layer : model.layers()) {
            dtypes.put(layer.name(), dtypeOf(layer));
            if (layer.isInput()) {
                Shape override = inputOverrides.get(TensorRef.of(layer.name()));
                Shape s = override != null ? override : inputShape(layer.config());
                if (s == null) problems.put(layer.name(), "the model was saved without an input shape");
                outputsByLayer.put(layer.name(), List.of(s == null ? List.of() : List.of(s)));
                continue;
            }
            List<List<Shape>> calls = new ArrayList<>();
            for (int k = 0; k < layer.calls().size(); k++) {
                List<Shape> out = inferCall(layer, k);
                calls.add(out);
                // a later call of the same layer may read this one (a layer applied twice in a row)
                List<List<Shape>> sofar = new ArrayList<>(calls);
                List<List<Shape>> before = outputsByLayer.get(layer.name());
                if (before != null) for (int j = sofar.size(); j < before.size(); j++) sofar.add(before.get(j));
                outputsByLayer.put(layer.name(), sofar);
            }
            outputsByLayer.put(layer.name(), calls);
        }
    }

    private List<Shape> inferCall(Layer layer, int k) {
        if (layer.declaredOutputShapes() != null) return layer.declaredOutputShapes();
        LayerCall call = layer.calls().get(k);
        List<Shape> inputs = new ArrayList<>();
        for (TensorRef r : call.inputs()) {
            Shape s = shape(r);
            if (s == null) {
                problems.putIfAbsent(layer.name(), "its input '" + r.layer() + "' has no known shape");
                return List.of();
            }
            inputs.add(s);
        }
        try {
            if (layer.nested() != null) return nestedOutputs(layer, inputs);
            return ShapeInference.outputShapes(layer.className(), layer.config(), inputs, call.kwargs());
        } catch (ShapeInferenceException e) {
            problems.put(layer.name(), e.getMessage());
            return List.of();
        }
    }

    private List<Shape> nestedOutputs(Layer layer, List<Shape> inputs) {
        ModelGraph inner = layer.nested();
        Map<TensorRef, Shape> overrides = new HashMap<>();
        for (int i = 0; i < inner.inputs().size() && i < inputs.size(); i++) overrides.put(inner.inputs().get(i), inputs.get(i));
        GraphShapes innerShapes = infer(inner, overrides);
        List<Shape> outs = innerShapes.modelOutputShapes();
        if (outs.contains(null)) {
            String why = innerShapes.firstProblem();
            throw new ShapeInferenceException("nested model '" + inner.name() + "': " + (why == null ? "unknown output shape" : why));
        }
        return outs;
    }

    /** Batch input shape an InputLayer config declares (any Keras spelling), or null. */
    static Shape inputShape(JsonNode config) {
        JsonNode bs = config.has("batch_input_shape") ? config.get("batch_input_shape") : config.get("batch_shape");
        if (bs == null || !bs.isArray()) return null;
        List<Long> dims = new ArrayList<>();
        for (JsonNode d : bs) dims.add(d.isNull() ? null : d.asLong());
        // A batch size fixed at save time (stateful models) is not a constraint graft keeps.
        if (!dims.isEmpty()) dims.set(0, null);
        return Shape.of(dims);
    }

    private static DType dtypeOf(Layer layer) {
        JsonNode d = layer.config().get("dtype");
        if (d != null && d.isTextual()) {
            String name = d.asText();
            if (name.startsWith("mixed_")) name = name.equals("mixed_bfloat16") ? "float32" : "float16";
            DType t = DType.fromKeras(name);
            if (t != null) return t;
        }
        return DType.FLOAT32;
    }

    /** The shape of a tensor, or null when unknown. */
    public Shape shape(TensorRef ref) {
        List<List<Shape>> calls = outputsByLayer.get(ref.layer());
        if (calls == null || ref.node() >= calls.size()) return null;
        List<Shape> outs = calls.get(ref.node());
        return ref.tensor() < outs.size() ? outs.get(ref.tensor()) : null;
    }

    /** Output shapes of a layer's first call (what a summary shows); empty when unknown. */
    public List<Shape> outputShapes(String layer) {
        List<List<Shape>> calls = outputsByLayer.get(layer);
        return calls == null || calls.isEmpty() ? List.of() : calls.get(0);
    }

    /** Why a layer's shape is unknown; null when it is known. */
    public String problem(String layer) {
        return problems.get(layer);
    }

    /** The element type a layer computes in (its {@code dtype}, float32 by default). */
    public DType dtype(String layer) {
        return dtypes.getOrDefault(layer, DType.FLOAT32);
    }

    public DType dtype(TensorRef ref) {
        return dtype(ref.layer());
    }

    public List<Shape> modelInputShapes() {
        List<Shape> out = new ArrayList<>();
        for (TensorRef r : model.inputs()) out.add(shape(r));
        return out;
    }

    public List<Shape> modelOutputShapes() {
        List<Shape> out = new ArrayList<>();
        for (TensorRef r : model.outputs()) out.add(shape(r));
        return out;
    }

    private String firstProblem() {
        for (Layer l : model.layers()) if (problems.containsKey(l.name())) return l.name() + ": " + problems.get(l.name());
        return null;
    }
}
