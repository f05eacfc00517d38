package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.inspect.ModelSummarizer;
import dev.graft.inspect.ModelSummary;
import dev.graft.inspect.TrainingInfo;
import dev.graft.model.Layer;
import dev.graft.surgery.AdaptPlan;
import dev.graft.surgery.OutputTarget;
import java.util.Locale;

/** What {@code adapt} built (or would build): as text, or as JSON (schema in the README). */
final class AdaptReport {
    private AdaptReport() {
    }

    static String text(AdaptPlan plan, OutputTarget target) {
        ModelSummary s = ModelSummarizer.summarize(plan.adapted());
        StringBuilder sb = new StringBuilder();
        sb.append(target == null ? "Adapt plan (dry run, nothing written)\n" : "Wrote " + target.path() + " (" + formatName(target) + ")\n");
        sb.append("  source  ").append(plan.source().path()).append(", cut ").append(plan.source().cut()).append('\n');
        sb.append("  kept    ").append(plan.kept().isEmpty() ? "none" : String.join(", ", plan.kept())).append('\n');
        sb.append("  removed ").append(plan.removed().isEmpty() ? "none" : String.join(", ", plan.removed())).append('\n');
        for (AdaptPlan.Addition a : plan.additions()) {
            sb.append("  ").append(a.role()).append(": ").append(a.from()).append(" -> ");
            if (a.layers().isEmpty()) {
                sb.append("direct");
            } else {
                sb.append(a.spec()).append(a.chosenByAuto() ? " (chosen by auto)" : "")
                        .append(" [").append(String.join(", ", a.layers().stream().map(Layer::name).toList())).append("], ")
                        .append(Formatting.count(a.newParameters())).append(" new parameters");
            }
            sb.append(" -> ").append(a.to()).append('\n');
        }
        sb.append("  model: ").append(plan.adapted().layers().size()).append(" layers, ")
                .append(Formatting.count(s.totalParams())).append(" parameters (")
                .append(Formatting.count(plan.newParameters())).append(" new, ").append(Formatting.count(s.trainableParams())).append(" trainable), ")
                .append(s.inputs().get(0).shape()).append(" -> ").append(s.outputs().get(0).shape()).append('\n');
        TrainingInfo t = s.training();
        sb.append("  training: ").append(t == null ? "none recorded" : "loss " + t.loss() + ", optimizer " + t.optimizer()
                + ", metrics " + (t.metrics().isEmpty() ? "none" : String.join(", ", t.metrics()))).append('\n');
        for (String w : s.warnings()) sb.append("  warning: ").append(w).append('\n');
        return sb.toString();
    }

    static String json(AdaptPlan plan, OutputTarget target) {
        ModelSummary s = ModelSummarizer.summarize(plan.adapted());
        ObjectNode o = Json.object();
        o.put("dry_run", target == null);
        o.put("output", target == null ? null : target.path().toString());
        o.put("format", target == null ? null : formatName(target));
        o.set("source", plan.provenance().get("donors").get(0).deepCopy());
        ArrayNode adds = o.putArray("added");
        for (AdaptPlan.Addition a : plan.additions()) {
            ObjectNode ao = adds.addObject();
            ao.put("role", a.role());
            ao.put("spec", a.spec());
            ao.put("chosen_by_auto", a.chosenByAuto());
            ao.set("from", SummaryJson.shape(a.from()));
            ao.set("to", SummaryJson.shape(a.to()));
            ArrayNode ls = ao.putArray("layers");
            a.layers().forEach(l -> ls.add(l.name()));
            ao.put("new_parameters", a.newParameters());
        }
        ObjectNode m = o.putObject("model");
        m.put("layers", plan.adapted().layers().size());
        m.put("params", s.totalParams());
        m.put("trainable_params", s.trainableParams());
        m.put("new_params", plan.newParameters());
        m.set("input_shape", s.inputs().get(0).shape() == null ? null : SummaryJson.shape(s.inputs().get(0).shape()));
        m.set("output_shape", s.outputs().get(0).shape() == null ? null : SummaryJson.shape(s.outputs().get(0).shape()));
        o.set("training", plan.adapted().trainingConfig());
        o.set("provenance", plan.provenance());
        ArrayNode w = o.putArray("warnings");
        s.warnings().forEach(w::add);
        return Json.compact(o) + "\n";
    }

    private static String formatName(OutputTarget t) {
        return t.format().name().toLowerCase(Locale.ROOT);
    }
}
