package dev.graft.shape;

import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;

/** Model inputs and the densely connected layers: InputLayer, Dense, Embedding and Keras 1 variants. */
final class CoreRules {
    private CoreRules() {}

    static void register(RuleRegistry r) {
        r.add(CoreRules::inputLayer, "InputLayer");
        r.add(CoreRules::dense, "Dense");
        r.add(CoreRules::timeDistributedDense, "TimeDistributedDense");
        r.add(CoreRules::maxoutDense, "MaxoutDense");
        r.add(CoreRules::embedding, "Embedding");
    }

    /**
     * The model input's declared shape: {@code batch_shape} (Keras 3), {@code batch_input_shape}
     * (Keras 1/2), or {@code input_shape} without the batch (a hand-written Keras 3 config).
     */
    private static List<Shape> inputLayer(InferenceCall call) {
        LayerConfig c = call.config();
        List<Long> batchShape = c.longList("batch_shape");
        if (batchShape == null) batchShape = c.longList("batch_input_shape");
        if (batchShape == null && c.has("input_shape")) {
            batchShape = new ArrayList<>();
            batchShape.add(c.optLong("batch_size"));
            batchShape.addAll(c.longList("input_shape"));
        }
        if (batchShape != null) return List.of(Shape.of(batchShape));
        if (call.inputs().size() == 1) return call.inputs();
        throw c.missing("batch_shape", "batch_input_shape", "input_shape");
    }

    /** Dense acts on the last axis only, so any leading axes pass through (Keras 2+). */
    private static List<Shape> dense(InferenceCall call) {
        Shape in = call.requireMinRank(call.onlyInput(), 2, "(batch, ..., features)");
        call.requireKnown(in.lastDim(), "last (features)", in);
        long units = call.config().requireLong("units", "output_dim");
        return List.of(in.withLastDim(units));
    }

    /** Keras 1's per-time-step Dense, which Keras 2 replaced by TimeDistributed(Dense). */
    private static List<Shape> timeDistributedDense(InferenceCall call) {
        Shape in = call.requireRank(call.onlyInput(), 3, "(batch, timesteps, features)");
        call.requireKnown(in.lastDim(), "last (features)", in);
        return List.of(in.withLastDim(call.config().requireLong("output_dim", "units")));
    }

    /** Keras 1's MaxoutDense: a 2D (batch, features) layer. */
    private static List<Shape> maxoutDense(InferenceCall call) {
        Shape in = call.requireRank(call.onlyInput(), 2, "(batch, features)");
        call.requireKnown(in.lastDim(), "last (features)", in);
        return List.of(in.withLastDim(call.config().requireLong("output_dim")));
    }

    /**
     * Appends the embedding axis. Keras 1/2 may fix the sequence length in {@code input_length}
     * (an int, or a list for inputs of rank 3+); it fills unknown input axes and must agree with
     * known ones. Keras 3 dropped the key and takes the input shape as it is.
     */
    private static List<Shape> embedding(InferenceCall call) {
        Shape in = call.requireMinRank(call.onlyInput(), 1, "(batch, ...)");
        LayerConfig c = call.config();
        long outputDim = c.requireLong("output_dim");
        List<Long> sample = new ArrayList<>(in.sampleDims());
        if (c.has("input_length")) {
            List<Long> lengths = c.get("input_length").isArray()
                    ? c.longList("input_length") : List.of(c.requireLong("input_length"));
            if (lengths.size() != sample.size()) {
                throw call.error("input_length is " + c.get("input_length") + ", but the input has shape " + in);
            }
            for (int i = 0; i < lengths.size(); i++) {
                Long declared = lengths.get(i);
                Long actual = sample.get(i);
                if (declared != null && actual != null && !declared.equals(actual)) {
                    throw call.error("input_length is " + c.get("input_length") + ", but the input has shape " + in);
                }
                if (actual == null) sample.set(i, declared);
            }
        }
        List<Long> out = new ArrayList<>();
        out.add(in.dim(0));
        out.addAll(sample);
        out.add(outputDim);
        return List.of(Shape.of(out));
    }
}
