package dev.graft.surgery;

import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import dev.graft.shape.GraphShapes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Cutting a model, as small pure functions over a flat graph (nested models already inlined by
 * {@link Flattener}), in the manner of onnx's {@code extract_model}: {@link #extract} keeps exactly
 * the sub-graph that computes a tensor; {@link #until}, {@link #dropLast} and {@link #from} name
 * that tensor the way a user does. Every refusal names the layers involved.
 */
public final class GraphCut {
    private GraphCut() {
    }

    /** The layers that compute {@code output}, in the model's order, with the model inputs they read as inputs. */
    public static ModelGraph extract(ModelGraph g, TensorRef output) {
        Set<String> needed = ancestors(g, output.layer());
        List<Layer> layers = g.layers().stream().filter(l -> needed.contains(l.name())).toList();
        List<TensorRef> inputs = g.inputs().stream().filter(r -> needed.contains(r.layer())).toList();
        return g.withLayers(layers, inputs, List.of(output));
    }

    /** {@code --until LAYER}: the model up to that layer, whose output becomes the model's. */
    public static ModelGraph until(ModelGraph g, String typed) {
        Layer l = Names.require(g, typed, "--until");
        String name = l.name();
        if (l.isInput()) throw new MergeException("--until " + name + ": '" + name + "' is the model's input; a model needs at least one layer");
        if (l.calls().size() != 1) {
            throw new MergeException("--until " + name + ": layer '" + name + "' is called " + l.calls().size()
                    + " times (a shared layer), so it has no single output to cut at");
        }
        List<Shape> outs = GraphShapes.infer(g).outputShapes(name);
        if (outs != null && outs.size() > 1) {
            throw new MergeException("--until " + name + ": layer '" + name + "' (" + l.className() + ") has " + outs.size()
                    + " outputs; a cut keeps one tensor, so cut at a layer with a single output");
        }
        return extract(g, TensorRef.of(name));
    }

    /** {@code --drop-last N}: the model without its last N layers (in the model's order); what is left must end in one layer. */
    public static ModelGraph dropLast(ModelGraph g, int n) {
        List<Layer> computing = g.layers().stream().filter(l -> !l.isInput()).toList();
        if (n < 1) throw new MergeException("--drop-last " + n + ": give a positive number of layers");
        if (n >= computing.size()) {
            throw new MergeException("--drop-last " + n + ": the model has " + computing.size() + " layers, and at least one must stay");
        }
        Set<String> dropped = new LinkedHashSet<>();
        for (int i = computing.size() - n; i < computing.size(); i++) dropped.add(computing.get(i).name());
        List<Layer> kept = g.layers().stream().filter(l -> !dropped.contains(l.name())).toList();
        // The ends of what is left: kept layers nothing kept reads.
        Set<String> read = new HashSet<>();
        for (Layer l : kept) for (LayerCall c : l.calls()) for (TensorRef r : c.inputs()) read.add(r.layer());
        List<String> ends = kept.stream().filter(l -> !l.isInput() && !read.contains(l.name())).map(Layer::name).toList();
        if (ends.size() != 1) {
            throw new MergeException("--drop-last " + n + " removes " + String.join(", ", dropped) + " and leaves " + ends.size()
                    + " branch ends (" + String.join(", ", ends) + "); a cut must leave one output: name it with --until LAYER");
        }
        return until(g, ends.get(0));
    }

    /**
     * {@code --from LAYER}: the model from that layer on, reading a new input with the shape that
     * layer reads. Refused when a kept layer also reads a tensor computed before the cut (a skip
     * connection across it), or when a model output does not depend on the layer.
     */
    public static ModelGraph from(ModelGraph g, String typed, String inputName) {
        Layer l = Names.require(g, typed, "--from");
        String name = l.name();
        if (l.isInput()) return g;
        if (l.calls().size() != 1 || l.calls().get(0).inputs().size() != 1) {
            int n = l.calls().isEmpty() ? 0 : l.calls().get(0).inputs().size();
            throw new MergeException("--from " + name + ": layer '" + name + "' (" + l.className() + ") reads "
                    + (l.calls().size() != 1 ? "from " + l.calls().size() + " calls" : n + " tensors") + "; a new input replaces one tensor");
        }
        TensorRef replaced = l.calls().get(0).inputs().get(0);
        Shape shape = GraphShapes.infer(g).shape(replaced);
        if (shape == null) throw new MergeException("--from " + name + ": the shape layer '" + name + "' reads is unknown");
        Set<String> downstream = descendants(g, name);
        List<String> lost = new ArrayList<>();
        for (TensorRef out : g.outputs()) if (!downstream.contains(out.layer())) lost.add(out.layer());
        if (!lost.isEmpty()) {
            throw new MergeException("--from " + name + ": the model's output" + (lost.size() > 1 ? "s " : " ") + String.join(", ", lost)
                    + (lost.size() > 1 ? " do" : " does") + " not depend on '" + name + "' (a branch beside the cut); cut it off with --until first");
        }
        List<String> across = new ArrayList<>();
        for (Layer k : g.layers()) {
            if (!downstream.contains(k.name()) || k.name().equals(name)) continue;
            for (LayerCall c : k.calls()) {
                for (TensorRef r : c.inputs()) if (!downstream.contains(r.layer())) across.add(k.name() + " reads " + r.layer());
            }
        }
        if (!across.isEmpty()) {
            throw new MergeException("--from " + name + ": layers after the cut also read tensors from before it (" + String.join(", ", across)
                    + "); the new input cannot provide them");
        }
        Layer input = KerasLayerFactory.input(inputName, shape.dims());
        List<Layer> layers = new ArrayList<>();
        layers.add(input);
        for (Layer k : g.layers()) if (downstream.contains(k.name())) layers.add(k);
        layers = GraphEdits.redirect(layers, replaced, TensorRef.of(inputName));
        return g.withLayers(layers, List.of(TensorRef.of(inputName)), g.outputs());
    }

    /** The named layer and every layer it depends on. */
    static Set<String> ancestors(ModelGraph g, String name) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(name));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (!seen.add(n)) continue;
            Layer l = g.layer(n);
            if (l == null) continue;
            for (LayerCall c : l.calls()) for (TensorRef r : c.inputs()) todo.push(r.layer());
        }
        return seen;
    }

    /** The named layer and every layer that depends on it. */
    static Set<String> descendants(ModelGraph g, String name) {
        Set<String> seen = new HashSet<>();
        seen.add(name);
        for (Layer l : g.layers()) { // file order is topological
            for (LayerCall c : l.calls()) for (TensorRef r : c.inputs()) if (seen.contains(r.layer())) seen.add(l.name());
        }
        return seen;
    }
}
