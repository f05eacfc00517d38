package dev.graft.engine;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code BatchNormalization} over any axis computes as the engine's BatchNormalization over the last axis of a
 * channels-last image: the normalised axis is moved last ({@code Permute}, {@code <layer>_graft_axis}), every other position
 * becomes a pixel ({@code Reshape} to (batch, positions, 1, features), {@code <layer>_graft_rows}), and the way back restores Keras's
 * shape ({@code <layer>_graft_unrows}, {@code <layer>_graft_back}; every reader of the layer, model outputs included, reads
 * the last of them). The statistics are per feature over the batch and every position, as Keras computes them, so
 * inference, training and the moving statistics' update are Keras's; the layer keeps its name and weights, so training
 * writes back to it. DL4J's own layer takes (batch, features), an image over its last axis (NHWC) and, through graft's
 * plug-in, over axis 1 (NCHW): those stay as they are, and so does a sequence's last axis when its length is open or a
 * mask reaches it (DL4J's layer computes that forward, but cannot train on a sequence). Sizes must be fixed (Keras needs the
 * normalised axis fixed anyway); a Keras mask reaching such a layer is refused, since the reordering would not carry it.
 */
final class BatchNormOnAxis {
    /** Marks the engine's own Permutes, which restore Keras's layout before any other layer reads it. */
    static final String RESTORES_LAYOUT = "graft_restores_layout";

    private BatchNormOnAxis() {
    }

    /** The normalised axis (0-based, batch included) of a single-axis BatchNormalization on a rank-{@code rank} input, or -1. */
    static int axis(JsonNode config, int rank) {
        JsonNode axis = config.path("axis");
        if (axis.isMissingNode() || axis.isNull()) return rank - 1;
        if (axis.isArray() && axis.size() == 1) axis = axis.get(0);
        if (!axis.isIntegralNumber() || rank <= 0) return -1;
        int a = axis.asInt() < 0 ? axis.asInt() + rank : axis.asInt();
        return a >= 1 && a < rank ? a : -1;
    }

    /**
     * Whether the engine's layer takes this axis as it is: the last of rank 2 or 4, or axis 1 of an image. DL4J's layer
     * computes a sequence's last axis forward but cannot train on a sequence ("the layer prior to BatchNorm ... is not
     * currently supported"), so a sequence takes the rows form too.
     */
    private static boolean engineTakes(int axis, int rank) {
        return rank == 2 || rank == 4 && (axis == 3 || axis == 1);
    }

    /**
     * @param training whether the network will train: Keras then takes a masked input's batch statistics over the
     *                 unmasked positions only, which the engine's layer does not, so that is refused
     */
    static ModelGraph apply(ModelGraph flat, boolean training) {
        GraphShapes shapes = null;
        Map<String, Shape> rewritten = new HashMap<>();
        for (Layer l : flat.layers()) {
            if (!"BatchNormalization".equals(l.className()) || l.calls().size() != 1 || l.calls().get(0).inputs().size() != 1) continue;
            if (shapes == null) shapes = GraphShapes.infer(flat);
            TensorRef input = l.calls().get(0).inputs().get(0);
            Shape in = shapes.shape(input);
            if (in == null) continue;
            int axis = axis(l.config(), in.rank());
            Layer mask = in.rank() >= 3 ? MaskFlow.maskSource(flat, input, 0) : null;
            if (training && mask != null && l.config().path("trainable").asBoolean(true)) {
                throw new EngineException("layer '" + l.name() + "' (BatchNormalization) reads the mask of layer '" + mask.name()
                        + "' and cannot train in graft's engine: Keras takes its batch statistics over the unmasked steps only,"
                        + " which graft's does not");
            }
            if (axis < 0 || engineTakes(axis, in.rank())) continue;
            String why = whyNot(l, flat, shapes);
            if (why != null) throw new EngineException("layer '" + l.name() + "' (BatchNormalization) " + why + "; graft cannot compute this model");
            // a sequence's last axis: DL4J's layer computes it forward whatever the length and passes a mask on; only training needs the rows
            if (in.rank() == 3 && axis == 2 && (open(in) || mask != null)) continue;
            rewritten.put(l.name(), in);
        }
        if (rewritten.isEmpty()) return flat;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : flat.layers()) {
            List<LayerCall> calls = new ArrayList<>();
            for (LayerCall call : l.calls()) calls.add(new LayerCall(redirect(call.inputs(), rewritten), call.kwargs()));
            Layer redirected = l.calls().isEmpty() ? l : l.withCalls(calls);
            Shape in = rewritten.get(l.name());
            if (in == null) {
                layers.add(redirected);
                continue;
            }
            layers.addAll(chain(redirected, in));
        }
        return flat.withLayers(layers, flat.inputs(), redirect(flat.outputs(), rewritten));
    }

    /**
     * Why graft cannot compute this BatchNormalization over its axis (inspect asks it too, so that what it calls computable
     * computes): another axis than the engine's layer takes, over an input of open size or under a Keras mask, which the
     * rows form cannot hold; null when it computes (or is not such a layer).
     */
    static String whyNot(Layer l, ModelGraph model, GraphShapes shapes) {
        if (!"BatchNormalization".equals(l.className()) || l.calls().size() != 1 || l.calls().get(0).inputs().size() != 1) return null;
        TensorRef input = l.calls().get(0).inputs().get(0);
        Shape in = shapes.shape(input);
        if (in == null) return null;
        int axis = axis(l.config(), in.rank());
        if (axis < 0 || engineTakes(axis, in.rank())) return null;
        Layer mask = in.rank() >= 3 ? MaskFlow.maskSource(model, input, 0) : null;
        if (in.rank() == 3 && axis == 2 && (open(in) || mask != null)) return null;
        if (open(in)) return "normalises axis " + axis + " of an input of open size " + in + "; graft computes it over that axis on fixed sizes only";
        if (mask != null) {
            return "normalises axis " + axis + " and reads the mask of layer '" + mask.name() + "', which graft's engine does not carry over that axis";
        }
        return null;
    }

    private static boolean open(Shape in) {
        return in.dims().subList(1, in.rank()).contains(null);
    }

    /** Permute (when the axis is not last), Reshape to rows (when the input is not a sequence), the layer, and the way back. */
    private static List<Layer> chain(Layer bn, Shape in) {
        int rank = in.rank();
        int axis = axis(bn.config(), rank);
        List<Layer> out = new ArrayList<>();
        TensorRef current = bn.calls().get(0).inputs().get(0);
        // Keras's Permute numbers the sample axes from 1: the others in order, then the normalised one
        int[] dims = new int[rank - 1];
        int k = 0;
        for (int a = 1; a < rank; a++) if (a != axis) dims[k++] = a;
        dims[k] = axis;
        boolean permute = axis != rank - 1;
        long[] permuted = new long[rank - 1];
        for (int i = 0; i < dims.length; i++) permuted[i] = in.dim(dims[i]);
        if (permute) {
            out.add(permute(bn.name() + "_graft_axis", current, dims));
            current = TensorRef.of(bn.name() + "_graft_axis");
        }
        boolean rows = rank != 4;
        if (rows) {
            long positions = 1;
            for (int i = 0; i < permuted.length - 1; i++) positions *= permuted[i];
            out.add(reshape(bn.name() + "_graft_rows", current, positions, 1, permuted[permuted.length - 1]));
            current = TensorRef.of(bn.name() + "_graft_rows");
        }
        ObjectNode c = bn.config().deepCopy();
        c.put("axis", -1);
        out.add(bn.withConfig(c).withCalls(List.of(new LayerCall(List.of(current), bn.calls().get(0).kwargs()))));
        current = TensorRef.of(bn.name());
        if (rows) {
            String name = permute ? bn.name() + "_graft_unrows" : backName(bn.name());
            out.add(reshape(name, current, permuted));
            current = TensorRef.of(name);
        }
        if (permute) {
            int[] back = new int[dims.length];
            for (int i = 0; i < dims.length; i++) back[dims[i] - 1] = i + 1;
            out.add(permute(backName(bn.name()), current, back));
        }
        return out;
    }

    private static Layer permute(String name, TensorRef from, int[] dims) {
        ObjectNode c = common(name);
        ArrayNode d = c.putArray("dims");
        for (int v : dims) d.add(v);
        c.put(RESTORES_LAYOUT, true);
        return new Layer(name, "Permute", c, List.of(new LayerCall(List.of(from), Json.object())), List.of(), null);
    }

    private static Layer reshape(String name, TensorRef from, long... target) {
        ObjectNode c = common(name);
        ArrayNode t = c.putArray("target_shape");
        for (long d : target) t.add(d);
        c.put(RESTORES_LAYOUT, true);
        return new Layer(name, "Reshape", c, List.of(new LayerCall(List.of(from), Json.object())), List.of(), null);
    }

    private static ObjectNode common(String name) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put("trainable", false);
        c.put("dtype", "float32");
        return c;
    }

    private static String backName(String layer) {
        return layer + "_graft_back";
    }

    private static List<TensorRef> redirect(List<TensorRef> refs, Map<String, Shape> rewritten) {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : refs) out.add(rewritten.containsKey(r.layer()) ? TensorRef.of(backName(r.layer())) : r);
        return out;
    }
}
