package dev.graft.cli;

import dev.graft.inspect.JoinReport;
import dev.graft.inspect.ModelSummary;
import dev.graft.inspect.TensorInfo;
import dev.graft.model.SourceInfo;
import dev.graft.shape.Compatibility.Result;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code inspect --brief}: one line a shell loop can print per model, or the join's verdict with
 * its bridge, e.g. {@code a.h5 -> b.h5: dense, merge with --bridge dense:32 ((None, 64) -> (None, 32))}.
 */
final class BriefText {
    private BriefText() {
    }

    /** {@code a.h5: Keras 2.15.0 Model 'a', 3 layers, 2,784 params, (None, 10) float32 -> (None, 32) float32}. */
    static String model(ModelSummary s) {
        SourceInfo src = s.source();
        StringBuilder sb = new StringBuilder();
        sb.append(src.path()).append(": ");
        if (src.producer() != null) sb.append(producer(src.producer())).append(src.producerVersion() == null ? "" : " " + src.producerVersion()).append(' ');
        sb.append(s.modelClass()).append(" '").append(s.name()).append("', ")
                .append(s.layers().stream().filter(l -> l.depth() == 0).count()).append(" layers, ")
                .append(Formatting.count(s.totalParams())).append(" params, ")
                .append(tensors(s.inputs())).append(" -> ").append(tensors(s.outputs()));
        if (!s.computable()) sb.append(", not computable");
        return sb.toString();
    }

    static String join(ModelSummary a, ModelSummary b, JoinReport join) {
        Result r = join.result();
        StringBuilder sb = new StringBuilder();
        sb.append(a.source().path()).append(" -> ").append(b.source().path()).append(": ")
                .append(r.verdict().name().toLowerCase(Locale.ROOT));
        if (r.fitsDirectly()) sb.append(", merge with no --bridge");
        else if (r.bridge() != null) sb.append(", merge with --bridge ").append(r.bridge());
        else sb.append(", no bridge graft builds joins them");
        sb.append(" (").append(shape(join.from())).append(" -> ").append(shape(join.to())).append(')');
        if (!r.fitsDirectly() && r.bridge() == null) sb.append(": ").append(r.reason());
        return sb.toString();
    }

    private static String tensors(List<TensorInfo> ts) {
        return ts.stream().map(t -> shape(t) + " " + t.dtype().kerasName()).collect(Collectors.joining(", "));
    }

    private static String shape(TensorInfo t) {
        return t == null ? "none" : t.shape() == null ? "?" : t.shape().toString();
    }

    private static String producer(String p) {
        switch (p) {
            case "keras": return "Keras";
            case "dl4j": return "DL4J";
            default: return p;
        }
    }
}
