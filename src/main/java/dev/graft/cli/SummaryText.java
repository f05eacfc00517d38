package dev.graft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.inspect.JoinReport;
import dev.graft.inspect.LayerRow;
import dev.graft.inspect.ModelSummary;
import dev.graft.inspect.TensorInfo;
import dev.graft.inspect.TrainingInfo;
import dev.graft.model.Shape;
import dev.graft.model.SourceInfo;
import dev.graft.shape.Compatibility.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** {@code graft inspect} as text: a header, a Keras-style summary table, inputs, outputs, training. */
final class SummaryText {
    private SummaryText() {
    }

    static String render(ModelSummary s) {
        StringBuilder sb = new StringBuilder();
        header(s, sb);
        table(s, sb);
        tensors(s, sb);
        notes(s, sb);
        return sb.toString();
    }

    static String render(ModelSummary a, ModelSummary b, JoinReport join) {
        StringBuilder sb = new StringBuilder(render(a)).append('\n').append(render(b)).append('\n');
        sb.append("Join: ").append(a.source().path()).append(" -> ").append(b.source().path()).append('\n');
        sb.append("  output  ").append(tensor(join.from())).append('\n');
        sb.append("  input   ").append(tensor(join.to())).append('\n');
        Verdict v = join.result().verdict();
        sb.append("  verdict ").append(v.name().toLowerCase(java.util.Locale.ROOT)).append(": ").append(join.result().reason()).append('\n');
        if (join.result().fitsDirectly()) sb.append("  merge with no --bridge\n");
        else if (join.result().bridge() != null) sb.append("  merge with --bridge ").append(join.result().bridge()).append('\n');
        return sb.toString();
    }

    private static void header(ModelSummary s, StringBuilder sb) {
        SourceInfo src = s.source();
        sb.append(src.path()).append('\n');
        sb.append("  format    ").append(src.format().description());
        if (src.producerVersion() != null) sb.append(", written by ").append(producer(src)).append(' ').append(src.producerVersion());
        else if (src.producer() != null) sb.append(", written by ").append(producer(src));
        if (src.backend() != null) sb.append(" (backend ").append(src.backend()).append(')');
        sb.append('\n');
        sb.append("  model     ").append(s.modelClass()).append(" '").append(s.name()).append("'\n");
        if (src.sizeBytes() >= 0) sb.append("  size      ").append(Formatting.bytes(src.sizeBytes())).append('\n');
        sb.append('\n');
    }

    private static String producer(SourceInfo src) {
        switch (src.producer() == null ? "" : src.producer()) {
            case "keras": return "Keras";
            case "dl4j": return "DL4J";
            default: return src.producer();
        }
    }

    private static void table(ModelSummary s, StringBuilder sb) {
        boolean connections = !sequentialLike(s);
        List<String[]> rows = new ArrayList<>();
        for (LayerRow r : s.layers()) {
            String indent = "  ".repeat(r.depth());
            String shape = r.outputShapes().isEmpty() ? "?" : r.outputShapes().stream().map(Shape::toString).collect(Collectors.joining(", "));
            String trainable = r.trainable() == null ? "" : r.trainable() ? "yes" : "no";
            // A bridge is named as what it is; the class it is written as (Conv1D for a per-step dense:N) follows.
            String type = r.bridge() != null ? "bridge " + r.bridge() + ", as " + r.className() : r.className();
            String name = indent + r.name() + " (" + type + ")" + (r.notComputable() != null ? " *" : "");
            String from = String.join(", ", r.connectedTo());
            rows.add(connections ? new String[] {name, shape, Formatting.count(r.params()), trainable, from}
                    : new String[] {name, shape, Formatting.count(r.params()), trainable});
        }
        String[] head = connections ? new String[] {"Layer (type)", "Output Shape", "Param #", "Trainable", "Connected to"}
                : new String[] {"Layer (type)", "Output Shape", "Param #", "Trainable"};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) w[i] = head[i].length();
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        int total = head.length * 2 - 2;
        for (int x : w) total += x;
        String rule = "─".repeat(total) + "\n";
        sb.append(row(head, w)).append(rule);
        for (String[] r : rows) sb.append(row(r, w));
        sb.append(rule);
        sb.append("Total params: ").append(Formatting.count(s.totalParams())).append(" (").append(Formatting.bytes(s.paramBytes())).append(")\n");
        sb.append("Trainable params: ").append(Formatting.count(s.trainableParams()))
                .append(" (").append(Formatting.bytes(s.trainableParamBytes())).append(")\n");
        sb.append("Non-trainable params: ").append(Formatting.count(s.nonTrainableParams()))
                .append(" (").append(Formatting.bytes(s.paramBytes() - s.trainableParamBytes())).append(")\n\n");
    }

    private static String row(String[] r, int[] w) {
        String line = String.format("%-" + w[0] + "s  %-" + w[1] + "s  %" + w[2] + "s  ", r[0], r[1], r[2])
                + (r.length > 4 ? String.format("%-" + w[3] + "s  %s", r[3], r[4]) : r[3]);
        return line.stripTrailing() + System.lineSeparator();
    }

    /**
     * Whether the model's own layers form one chain, each reading only the layer listed before it:
     * then, as in Keras's summary, the "Connected to" column says nothing and is left out.
     */
    static boolean sequentialLike(ModelSummary s) {
        String previous = null;
        for (LayerRow r : s.layers()) {
            if (r.depth() > 0) continue;
            if (r.connectedTo().size() > 1) return false;
            if (r.connectedTo().size() == 1 && previous != null && !r.connectedTo().get(0).equals(previous + "[0][0]")) return false;
            if (r.connectedTo().isEmpty() && previous != null) return false; // a second input
            previous = r.name();
        }
        return true;
    }

    private static void tensors(ModelSummary s, StringBuilder sb) {
        for (TensorInfo t : s.inputs()) sb.append("Input     ").append(tensor(t)).append('\n');
        for (TensorInfo t : s.outputs()) sb.append("Output    ").append(tensor(t)).append('\n');
        TrainingInfo tr = s.training();
        if (tr != null) {
            sb.append("Training  loss ").append(tr.loss() == null ? "none" : tr.loss());
            if (tr.optimizer() != null) {
                sb.append(", optimizer ").append(tr.optimizer());
                if (tr.learningRate() != null) sb.append(" (learning rate ").append(Formatting.number(tr.learningRate())).append(')');
            }
            sb.append(", metrics ").append(tr.metrics().isEmpty() ? "none" : String.join(", ", tr.metrics())).append('\n');
        } else {
            sb.append("Training  none recorded\n");
        }
        if (s.provenance() != null) provenance(s.provenance(), sb);
    }

    private static String tensor(TensorInfo t) {
        if (t == null) return "none";
        return t.name() + "  " + (t.shape() == null ? "shape unknown" : t.shape().toString()) + "  " + t.dtype().kerasName();
    }

    private static void provenance(JsonNode p, StringBuilder sb) {
        sb.append("Provenance  written by graft ").append(p.path("graft_version").asText("?"));
        if (p.hasNonNull("created")) sb.append(" on ").append(p.get("created").asText());
        sb.append('\n');
        for (JsonNode d : p.path("donors")) {
            sb.append("  donor ").append(d.path("role").asText("")).append("  ").append(d.path("file").asText())
                    .append("  sha256 ").append(d.path("sha256").asText()).append('\n');
            sb.append("        layers ").append(joinText(d.path("layers"))).append('\n');
            if (d.hasNonNull("cut") && !"none".equals(d.get("cut").asText())) {
                sb.append("        cut ").append(d.get("cut").asText());
                if (d.path("removed").size() > 0) sb.append(", removed ").append(joinText(d.path("removed")));
                sb.append('\n');
            }
        }
        for (JsonNode b : p.path("bridges")) {
            sb.append("  bridge ").append(b.path("spec").asText()).append("  layers ").append(joinText(b.path("layers"))).append('\n');
        }
        if (p.hasNonNull("command")) sb.append("  command ").append(p.get("command").asText()).append('\n');
    }

    private static String joinText(JsonNode arr) {
        List<String> parts = new ArrayList<>();
        arr.forEach(n -> parts.add(n.asText()));
        return String.join(", ", parts);
    }

    private static void notes(ModelSummary s, StringBuilder sb) {
        List<String> lines = new ArrayList<>();
        for (LayerRow r : s.layers()) {
            if (r.notComputable() != null) lines.add("  * " + r.name() + " (" + r.className() + ") " + r.notComputable() + "; graft cannot compute it");
        }
        for (LayerRow r : s.layers()) {
            if (r.outputShapes().isEmpty() && r.shapeProblem() != null) {
                lines.add("  ? " + r.name() + ": output shape unknown: " + r.shapeProblem());
            }
        }
        for (String w : s.warnings()) lines.add("  ! " + w);
        if (lines.isEmpty()) return;
        sb.append("\nNotes\n");
        lines.forEach(l -> sb.append(l).append('\n'));
    }
}
