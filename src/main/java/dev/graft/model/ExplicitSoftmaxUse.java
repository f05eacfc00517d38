package dev.graft.model;

/**
 * Where a model has a {@code MultiHeadAttention}/{@code GroupedQueryAttention} whose numbers depend on the Keras that wrote
 * the file: Keras 3 computes a call that returns its scores or has {@code dropout} > 0 with its explicit softmax, which
 * zeroes masked positions (a query step the masks let see nothing gets zeros), where Keras 2 spreads that step evenly.
 * Writers ask it which Keras a file must say, as {@link HardSigmoidUse}.
 */
public final class ExplicitSoftmaxUse {
    private ExplicitSoftmaxUse() {
    }

    /** The first such layer (nested models searched), or null. */
    public static String firstLayer(ModelGraph model) {
        for (Layer l : model.layers()) {
            if (l.nested() != null) {
                String inner = firstLayer(l.nested());
                if (inner != null) return inner;
            } else if (isAttention(l.className()) && (l.config() != null && l.config().path("dropout").asDouble(0.0) > 0.0 || returnsScores(l))) {
                return l.name();
            }
        }
        return null;
    }

    private static boolean isAttention(String className) {
        return "MultiHeadAttention".equals(className) || "GroupedQueryAttention".equals(className) || "GroupQueryAttention".equals(className);
    }

    private static boolean returnsScores(Layer l) {
        for (LayerCall c : l.calls()) if (c.kwargs() != null && c.kwargs().path("return_attention_scores").asBoolean(false)) return true;
        return false;
    }
}
