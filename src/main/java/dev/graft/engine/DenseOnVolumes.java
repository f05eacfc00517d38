package dev.graft.engine;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras applies a {@code Dense} to the last axis of any rank; DL4J's import takes (batch, features) and (batch, steps,
 * features) only and fails on an image-shaped input ("expected FeedForward input type"). A Dense reading a rank-4 or
 * higher tensor of fixed size computes here as its rank-3 self between two {@code Reshape}s: the positions become steps
 * ({@code <layer>_graft_rows}), the Dense keeps its name and weights (training writes back to it), and every reader of
 * the layer, the model's outputs included, reads {@code <layer>_graft_back}, the result in Keras's shape again.
 */
final class DenseOnVolumes {
    private DenseOnVolumes() {
    }

    static ModelGraph apply(ModelGraph flat) {
        GraphShapes shapes = null;
        Map<String, Shape[]> rewritten = new HashMap<>();
        for (Layer l : flat.layers()) {
            if (!"Dense".equals(l.className()) || l.calls().size() != 1 || l.calls().get(0).inputs().size() != 1) continue;
            if (shapes == null) shapes = GraphShapes.infer(flat);
            Shape in = shapes.shape(l.calls().get(0).inputs().get(0));
            Shape out = shapes.shape(TensorRef.of(l.name()));
            if (in == null || out == null || in.rank() < 4 || in.dims().subList(1, in.rank()).contains(null)
                    || out.dims().subList(1, out.rank()).contains(null)) {
                continue;
            }
            rewritten.put(l.name(), new Shape[] {in, out});
        }
        if (rewritten.isEmpty()) return flat;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : flat.layers()) {
            List<LayerCall> calls = new ArrayList<>();
            for (LayerCall call : l.calls()) calls.add(new LayerCall(redirect(call.inputs(), rewritten), call.kwargs()));
            Layer redirected = l.calls().isEmpty() ? l : l.withCalls(calls);
            Shape[] io = rewritten.get(l.name());
            if (io == null) {
                layers.add(redirected);
                continue;
            }
            Shape in = io[0];
            long positions = 1;
            for (int axis = 1; axis < in.rank() - 1; axis++) positions *= in.dim(axis);
            String rows = l.name() + "_graft_rows";
            layers.add(reshape(rows, redirected.calls().get(0).inputs().get(0), positions, in.dim(in.rank() - 1)));
            layers.add(redirected.withCalls(List.of(new LayerCall(List.of(TensorRef.of(rows)), redirected.calls().get(0).kwargs()))));
            Shape out = io[1];
            long[] back = new long[out.rank() - 1];
            for (int axis = 1; axis < out.rank(); axis++) back[axis - 1] = out.dim(axis);
            layers.add(reshape(backName(l.name()), TensorRef.of(l.name()), back));
        }
        return flat.withLayers(layers, flat.inputs(), redirect(flat.outputs(), rewritten));
    }

    private static Layer reshape(String name, TensorRef from, long... target) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put("trainable", false);
        c.put("dtype", "float32");
        ArrayNode t = c.putArray("target_shape");
        for (long d : target) t.add(d);
        return new Layer(name, "Reshape", c, List.of(new LayerCall(List.of(from), Json.object())), List.of(), null);
    }

    private static String backName(String layer) {
        return layer + "_graft_back";
    }

    private static List<TensorRef> redirect(List<TensorRef> refs, Map<String, Shape[]> rewritten) {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(rewritten.containsKey(r.layer()) ? TensorRef.of(backName(r.layer())) : r);
        return out;
    }
}
