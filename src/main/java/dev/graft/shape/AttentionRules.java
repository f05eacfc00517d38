package dev.graft.shape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Attention layers, called on {@code [query, value]} or {@code [query, value, key]}. Attention
 * scores ({@code return_attention_scores}) are a call argument, not saved in the config, so only
 * the attended output is described.
 */
final class AttentionRules {
    private AttentionRules() {}

    static void register(RuleRegistry r) {
        r.add(AttentionRules::dotAttention, "Attention", "AdditiveAttention");
        r.add(AttentionRules::multiHead, "MultiHeadAttention");
        // GroupedQueryAttention's output projection returns the query's features
        r.add(call -> List.of(queryValue(call).get(0)), "GroupedQueryAttention", "GroupQueryAttention");
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
