package dev.graft.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.Computability;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import dev.graft.shape.GraphShapes;
import java.util.ArrayList;
import java.util.List;

/** Builds the summary of a model: layers with shapes and parameters, inputs, outputs, training. */
public final class ModelSummarizer {
    private ModelSummarizer() {
    }

    public static ModelSummary summarize(ModelGraph model) {
        GraphShapes shapes = GraphShapes.infer(model);
        List<LayerRow> rows = new ArrayList<>();
        boolean keras = model.source() == null || model.source().format() == null || model.source().format().isKeras();
        addRows(model, shapes, 0, keras, bridges(model.provenance()), rows);
        List<String> warnings = new ArrayList<>(SemanticsWarnings.of(model));
        long bytes = model.weights().stream().mapToLong(w -> w.size() * w.dtype().bytes()).sum();
        long trainableBytes = model.weights().stream().filter(Weight::trainable).mapToLong(w -> w.size() * w.dtype().bytes()).sum();
        return new ModelSummary(model.source(), model.modelClass(), model.name(), rows, model.parameterCount(),
                model.trainableParameterCount(), bytes, trainableBytes, inputs(model, shapes), tensors(model.outputs(), shapes),
                training(model.trainingConfig()), model.provenance(), warnings);
    }

    /** @param keras whether the layers are Keras's (DL4J restores every layer of its own zips, so computes them all) */
    private static void addRows(ModelGraph model, GraphShapes shapes, int depth, boolean keras, java.util.Map<String, String> bridges,
                                List<LayerRow> rows) {
        // Keras's summary of a Sequential leaves out the implicit input layer; a functional one lists it.
        boolean showInputs = !"Sequential".equals(model.modelClass()) && !"MultiLayerNetwork".equals(model.modelClass());
        for (Layer layer : model.layers()) {
            if (layer.isInput() && !showInputs) continue;
            Boolean trainable = layer.weights().isEmpty() ? null : layer.weights().stream().anyMatch(Weight::trainable);
            rows.add(new LayerRow(layer.name(), layer.className(), depth, shapes.outputShapes(layer.name()),
                    shapes.problem(layer.name()), layer.parameterCount(), trainable,
                    keras ? withoutClass(layer.className(), Computability.whyNot(layer, model, shapes)) : null,
                    connectedTo(layer), depth == 0 ? bridges.get(layer.name()) : null));
            if (layer.nested() != null) addRows(layer.nested(), GraphShapes.infer(layer.nested()), depth + 1, keras, java.util.Map.of(), rows);
        }
    }

    /**
     * The reason without a leading {@code (Class)} or {@code (Class):}: the engine's refusals name the class after the layer
     * ("layer 'a' (Attention) is called ..."), and a summary row shows the class already.
     */
    public static String withoutClass(String className, String why) {
        if (why == null) return null;
        String prefix = "(" + className + ")";
        if (!why.startsWith(prefix)) return why;
        String rest = why.substring(prefix.length());
        if (rest.startsWith(":")) rest = rest.substring(1);
        return rest.strip();
    }

    /** The model's inputs, each marked when an Embedding reads it (directly, or through a nested model's input). */
    private static List<TensorInfo> inputs(ModelGraph model, GraphShapes shapes) {
        List<TensorInfo> out = new ArrayList<>();
        for (TensorRef r : model.inputs()) out.add(new TensorInfo(r.toString(), shapes.shape(r), shapes.dtype(r), dev.graft.shape.IndexInputs.feedsEmbedding(model, r)));
        return out;
    }

    /** Keras's "Connected to": every tensor of every call, as {@code layer[node][tensor]}. */
    private static List<String> connectedTo(Layer layer) {
        List<String> out = new ArrayList<>();
        for (dev.graft.model.LayerCall c : layer.calls()) {
            for (TensorRef t : c.inputs()) out.add(t.layer() + "[" + t.node() + "][" + t.tensor() + "]");
        }
        return out;
    }

    /** The layers a graft merge added as bridges, with the {@code --bridge} spec each came from. */
    private static java.util.Map<String, String> bridges(ObjectNode provenance) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        if (provenance == null) return out;
        for (JsonNode b : provenance.path("bridges")) {
            for (JsonNode l : b.path("layers")) out.put(l.asText(), b.path("spec").asText());
        }
        return out;
    }

    private static List<TensorInfo> tensors(List<TensorRef> refs, GraphShapes shapes) {
        List<TensorInfo> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(new TensorInfo(r.toString(), shapes.shape(r), shapes.dtype(r)));
        return out;
    }

    static TrainingInfo training(ObjectNode tc) {
        if (tc == null) return null;
        JsonNode opt = tc.path("optimizer_config");
        String optimizer = opt.path("class_name").asText(null);
        JsonNode lr = opt.path("config").has("learning_rate") ? opt.path("config").get("learning_rate") : opt.path("config").get("lr");
        Double learningRate = lr != null && lr.isNumber() ? lr.asDouble() : null;
        List<String> metrics = new ArrayList<>();
        collectNames(tc.get("metrics"), metrics);
        return new TrainingInfo(name(tc.get("loss")), optimizer, learningRate, metrics);
    }

    /** A loss as text under Keras's name: a name, a Keras 3 loss object or function, or per-output losses. */
    private static String name(JsonNode n) {
        if (n == null || n.isNull()) return null;
        String single = dev.graft.model.TrainingVocabulary.recordedLoss(n);
        if (single != null) return single;
        List<String> parts = new ArrayList<>(); // one loss per output
        if (n.isObject()) n.fields().forEachRemaining(e -> parts.add(name(e.getValue())));
        else if (n.isArray()) n.forEach(e -> parts.add(name(e)));
        return String.join(", ", parts);
    }

    private static void collectNames(JsonNode n, List<String> out) {
        if (n == null || n.isNull()) return;
        if (n.isTextual()) out.add(n.asText());
        else if (n.isObject() && n.has("class_name")) out.add(n.path("config").path("name").asText(n.get("class_name").asText()));
        else if (n.isObject()) n.fields().forEachRemaining(e -> collectNames(e.getValue(), out));
        else if (n.isArray()) n.forEach(e -> collectNames(e, out));
    }
}
