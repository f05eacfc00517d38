package dev.graft.shape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Attention layers, called on {@code [query, value]} or {@code [query, value, key]}. A call with
 * {@code return_attention_scores=True} (a call argument, kept with the call) has the scores as its second output:
 * {@code (batch, Tq, Tv)} for {@code Attention}/{@code AdditiveAttention}, {@code (batch, heads, Tq, Tv)} (the
 * attention axes of query then key after the heads) for {@code MultiHeadAttention}/{@code GroupedQueryAttention}.
 */
final class AttentionRules {
    private AttentionRules() {}

    static void register(RuleRegistry r) {
        r.add(call -> withScores(call, dotAttention(call)), "Attention", "AdditiveAttention");
        r.add(call -> withScores(call, multiHead(call)), "MultiHeadAttention");
        // GroupedQueryAttention's output projection returns the query's features
        r.add(call -> withScores(call, List.of(queryValue(call).get(0))), "GroupedQueryAttention", "GroupQueryAttention");
        r.add(AttentionRules::einsumDense, "EinsumDense");
    }

    /** One value vector per query position: {@code query[:-1] + value[-1:]}. */
    private static List<Shape> dotAttention(InferenceCall call) {
        List<Shape> in = queryValue(call);
        List<Long> out = new ArrayList<>(in.get(0).dims());
        out.set(out.size() - 1, in.get(1).lastDim());
        return List.of(Shape.of(out));
    }

    /**
     * {@code query[:-1]} followed by {@code output_shape} (an int or a list), or by the query's own
     * feature size when {@code output_shape} is not set.
     */
    private static List<Shape> multiHead(InferenceCall call) {
        Shape query = queryValue(call).get(0);
        JsonNode declared = call.config().get("output_shape");
        if (declared == null) return List.of(query);
        List<Long> out = new ArrayList<>(query.dims().subList(0, query.rank() - 1));
        if (declared.isArray()) {
            out.addAll(call.config().longList("output_shape"));
        } else {
            out.add(call.config().requireLong("output_shape"));
        }
        return List.of(Shape.of(out));
    }

    /** The call's outputs: the attended output, then the scores when the call returns them. */
    private static List<Shape> withScores(InferenceCall call, List<Shape> output) {
        if (!call.callFlag("return_attention_scores")) return output;
        List<Shape> in = queryValue(call);
        Shape query = in.get(0);
        Shape value = in.get(1);
        List<Long> scores = new ArrayList<>();
        if ("Attention".equals(call.className()) || "AdditiveAttention".equals(call.className())) {
            // softmax(query · keyᵀ) over the value's steps: query[:-1] + value[-2:-1]
            scores.addAll(query.dims().subList(0, query.rank() - 1));
            scores.add(value.dim(value.rank() - 2));
        } else {
            List<Integer> axes = attentionAxes(call, query.rank());
            for (int d = 0; d < query.rank() - 1; d++) if (!axes.contains(d)) scores.add(query.dim(d));
            JsonNode heads = call.config().get(call.className().contains("QueryAttention") ? "num_query_heads" : "num_heads");
            scores.add(heads == null || heads.isNull() ? null : heads.asLong());
            for (int a : axes) scores.add(query.dim(a));
            for (int a : axes) scores.add(value.dim(a));
        }
        List<Shape> out = new ArrayList<>(output);
        out.add(Shape.of(scores));
        return out;
    }

    /** {@code attention_axes} as non-negative axes, sorted; every axis between the batch and the features when not set. */
    private static List<Integer> attentionAxes(InferenceCall call, int rank) {
        JsonNode given = call.config().get("attention_axes");
        List<Integer> axes = new ArrayList<>();
        if (given == null || given.isNull()) {
            for (int a = 1; a < rank - 1; a++) axes.add(a);
            return axes;
        }
        Iterable<JsonNode> listed = given.isArray() ? given : List.of(given);
        for (JsonNode a : listed) {
            int axis = a.asInt();
            axes.add(axis < 0 ? axis + rank : axis);
        }
        axes.sort(null);
        return axes;
    }

    /** {@code EinsumDense}: the output axes of its equation, sized by the input or by {@code output_shape}. */
    private static List<Shape> einsumDense(InferenceCall call) {
        Shape in = call.onlyInput();
        String equation = call.config().json() == null ? "" : call.config().json().path("equation").asText("");
        JsonNode declared = call.config().get("output_shape");
        List<Long> partial = new ArrayList<>();
        if (declared != null && declared.isArray()) {
            for (JsonNode d : declared) partial.add(d.isNull() ? null : d.asLong());
        } else if (declared != null && declared.isNumber()) {
            partial.add(declared.asLong());
        }
        try {
            return List.of(Shape.of(EinsumEquation.parse(equation, in.rank()).outputShape(in.dims(), partial, equation)));
        } catch (IllegalArgumentException e) {
            throw call.error(e.getMessage());
        }
    }

    private static List<Shape> queryValue(InferenceCall call) {
        List<Shape> in = call.inputs();
        // MultiHeadAttention's call also takes an attention_mask tensor: query, value, key and mask
        int most = "MultiHeadAttention".equals(call.config().className()) || call.config().className().contains("QueryAttention") ? 4 : 3;
        if (in.size() < 2 || in.size() > most) {
            throw call.error("takes [query, value] or [query, value, key], got " + in.size() + " input"
                    + (in.size() == 1 ? "" : "s"));
        }
        call.requireMinRank(in.get(0), 3, "(batch, query steps, ..., features) for the query");
        call.requireMinRank(in.get(1), 3, "(batch, value steps, ..., features) for the value");
        return in;
    }
}
