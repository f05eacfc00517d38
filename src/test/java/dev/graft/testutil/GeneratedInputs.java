package dev.graft.testutil;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.shape.GraphShapes;
import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random inputs of a model's declared input shapes, for sweeps over fixture files: Gaussian floats, or token ids
 * (0 and 1, which every embedding accepts) for an integer input or one an {@code Embedding} reads.
 */
public final class GeneratedInputs {
    private GeneratedInputs() {
    }

    /**
     * @param model    the model in Keras form, to tell token-id inputs apart; null for a DL4J zip (floats only)
     * @param declared the engine's input shapes (batch first)
     * @param known    sizes of the per-sample dimensions to use instead of the declared ones (a file that records none), or null
     * @return one array per input of {@code rows} rows, open dimensions {@code openSize}; null when an input's shape is unknown
     */
    public static List<HostArray> of(ModelGraph model, List<Shape> declared, long rows, long openSize, long[] known) {
        GraphShapes shapes = model == null ? null : GraphShapes.infer(model);
        Random rnd = new Random(7);
        List<HostArray> out = new ArrayList<>();
        for (int i = 0; i < declared.size(); i++) {
            Shape s = declared.get(i);
            if (s == null) return null;
            long[] dims = new long[s.rank()];
            dims[0] = rows;
            for (int d = 1; d < dims.length; d++) {
                dims[d] = known != null && known.length == dims.length - 1 ? known[d - 1] : s.dim(d) == null ? openSize : s.dim(d);
            }
            int n = Math.toIntExact(HostArray.size(dims));
            if (model != null && i < model.inputs().size() && readsIds(model, shapes, i)) {
                long[] v = new long[n];
                for (int k = 0; k < n; k++) v[k] = rnd.nextInt(2);
                out.add(HostArray.ofLongs(DType.INT32, dims, v));
            } else {
                float[] v = new float[n];
                for (int k = 0; k < n; k++) v[k] = (float) rnd.nextGaussian();
                out.add(HostArray.ofFloats(dims, v));
            }
        }
        return out;
    }

    /** An integer input, or one an Embedding reads: token ids. */
    private static boolean readsIds(ModelGraph model, GraphShapes shapes, int input) {
        DType type = shapes.dtype(model.inputs().get(input));
        if (type != null && !type.isFloating()) return true;
        String name = model.inputs().get(input).layer();
        for (Layer l : model.layers()) {
            if ("Embedding".equals(l.className()) && l.calls().stream().anyMatch(c -> c.inputs().stream().anyMatch(r -> r.layer().equals(name)))) {
                return true;
            }
        }
        return false;
    }
}
