package dev.graft.shape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Layers that wrap another layer's config under {@code layer}: Bidirectional and TimeDistributed. */
final class WrapperRules {
    private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "SimpleRNN", "CuDNNLSTM", "CuDNNGRU",
            "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D");

    private WrapperRules() {}

    static void register(RuleRegistry r) {
        r.add(WrapperRules::bidirectional, "Bidirectional");
        r.add(WrapperRules::timeDistributed, "TimeDistributed");
    }

    /**
     * Runs the wrapped recurrent layer forwards and backwards and merges the two outputs:
     * {@code concat} joins them on the last axis (for channels-first ConvLSTM too, as Keras does),
     * {@code sum}/{@code mul}/{@code ave} keep one output's shape, {@code null} returns both.
     * States follow: the forward layer's, then the backward layer's.
     */
    private static List<Shape> bidirectional(InferenceCall call) {
        LayerConfig c = call.config();
        LayerConfig forward = c.wrapped("layer");
        if (!RECURRENT.contains(forward.className())) {
            throw call.error("wraps '" + forward.className() + "', which is not a recurrent layer");
        }
        // Initial states passed to the call are split between the two directions; only the
        // sequence input shapes the output.
        List<Shape> sequence = List.of(call.firstInput());
        List<Shape> fwd = inner(call, forward, sequence, "");
        List<Shape> bwd = c.has("backward_layer") ? inner(call, c.wrapped("backward_layer"), sequence, "") : fwd;
        List<Shape> out = new ArrayList<>();
        JsonNode mode = c.json().get("merge_mode");
        String merge = mode == null ? "concat" : mode.isNull() ? null : mode.asText();
        if (merge == null) {
            out.add(fwd.get(0));
            out.add(bwd.get(0));
        } else if (merge.equals("concat")) {
            Long f = fwd.get(0).lastDim();
            Long b = bwd.get(0).lastDim();
            out.add(fwd.get(0).withLastDim(f == null || b == null ? null : f + b));
        } else if (Set.of("sum", "mul", "ave").contains(merge)) {
            out.add(fwd.get(0));
        } else {
            throw call.error("has unknown merge_mode '" + merge + "' (expected concat, sum, mul, ave or null)");
        }
        out.addAll(fwd.subList(1, fwd.size()));
        out.addAll(bwd.subList(1, bwd.size()));
        return out;
    }

    /**
     * Applies the wrapped layer to each time step: the wrapped layer sees {@code (batch, ...)}
     * without the time axis, and the time axis is put back after the batch in every output.
     */
    private static List<Shape> timeDistributed(InferenceCall call) {
        Shape in = call.requireMinRank(call.onlyInput(), 3, "(batch, timesteps, ...)");
        List<Long> step = new ArrayList<>(in.dims());
        Long time = step.remove(1);
        List<Shape> out = new ArrayList<>();
        List<Shape> stepOutputs = inner(call, call.config().wrapped("layer"), List.of(Shape.of(step)),
                " applied to each time step of " + in);
        for (Shape s : stepOutputs) {
            List<Long> d = new ArrayList<>(s.dims());
            d.add(1, time);
            out.add(Shape.of(d));
        }
        return out;
    }

    /** The wrapped layer's shapes; its errors are prefixed with the wrapper so the user sees both. */
    private static List<Shape> inner(InferenceCall call, LayerConfig inner, List<Shape> inputs, String context) {
        try {
            return ShapeInference.inner(inner, inputs);
        } catch (ShapeInferenceException e) {
            throw new ShapeInferenceException(call.className() + context + ": " + e.getMessage());
        }
    }
}
