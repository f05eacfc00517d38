package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.inspect.ModelSummarizer;
import dev.graft.inspect.ModelSummary;
import dev.graft.inspect.TrainingInfo;
import dev.graft.model.Layer;
import dev.graft.surgery.Junction;
import dev.graft.surgery.MergePlan;
import dev.graft.surgery.MergePlanner;
import dev.graft.surgery.OutputTarget;
import java.util.Locale;
import java.util.Map;

/** What {@code merge} built (or would build): as text, or as JSON (schema in the README). */
final class MergeReport {
    private MergeReport() {
    }

    static String text(MergePlan plan, OutputTarget target) {
        ModelSummary s = ModelSummarizer.summarize(plan.hybrid());
        StringBuilder sb = new StringBuilder();
        sb.append(target == null ? "Merge plan (dry run, nothing written)\n" : "Wrote " + target.path() + " (" + formatName(target) + ")\n");
        for (int i = 0; i < plan.donors().size(); i++) {
            if (i > 0) junction(plan.junctions().get(i - 1), sb);
            sb.append("  ").append(String.format("%-7s", MergePlanner.role(i))).append(plan.donors().get(i).path())
                    .append(": ").append(String.join(", ", plan.layersByDonor().get(i))).append('\n');
            for (Map.Entry<String, String> r : plan.renames().get(i).entrySet()) {
                sb.append("          renamed ").append(r.getKey()).append(" -> ").append(r.getValue()).append('\n');
            }
        }
        long added = plan.junctions().stream().mapToLong(Junction::newParameters).sum();
        sb.append("  hybrid: ").append(plan.hybrid().layers().size()).append(" layers, ")
                .append(Formatting.count(s.totalParams())).append(" parameters (")
                .append(Formatting.count(added)).append(" new, ").append(Formatting.count(s.trainableParams())).append(" trainable), ")
                .append(s.inputs().get(0).shape()).append(" -> ").append(s.outputs().get(0).shape()).append('\n');
        TrainingInfo t = s.training();
        sb.append("  training: ").append(t == null ? "none recorded" : "loss " + t.loss() + ", optimizer " + t.optimizer()
                + ", metrics " + (t.metrics().isEmpty() ? "none" : String.join(", ", t.metrics()))).append('\n');
        for (String w : s.warnings()) sb.append("  warning: ").append(w).append('\n');
        return sb.toString();
    }

    private static void junction(Junction j, StringBuilder sb) {
        sb.append("  junction ").append(j.index()).append(": ").append(j.fromLayer()).append(' ').append(j.fromShape())
                .append(" -> ");
        if (j.layers().isEmpty()) {
            sb.append("direct");
        } else {
            sb.append("bridge ").append(j.bridge()).append(j.chosenByAuto() ? " (chosen by auto)" : "")
                    .append(" [").append(String.join(", ", j.layers().stream().map(Layer::name).toList())).append("], ")
                    .append(Formatting.count(j.newParameters())).append(" new parameters");
        }
        sb.append(" -> ").append(j.toLayer()).append(' ').append(j.toShape()).append('\n');
    }

    static String json(MergePlan plan, OutputTarget target) {
        ModelSummary s = ModelSummarizer.summarize(plan.hybrid());
        ObjectNode o = Json.object();
        o.put("dry_run", target == null);
        o.put("output", target == null ? null : target.path().toString());
        o.put("format", target == null ? null : formatName(target));
        ArrayNode donors = o.putArray("donors");
        for (int i = 0; i < plan.donors().size(); i++) {
            ObjectNode d = donors.addObject();
            d.put("path", plan.donors().get(i).path().toString()); // as given; the provenance keeps only the file name
            d.setAll((ObjectNode) plan.provenance().get("donors").get(i));
        }
        ArrayNode junctions = o.putArray("junctions");
        for (Junction j : plan.junctions()) {
            ObjectNode jo = junctions.addObject();
            jo.put("index", j.index());
            jo.set("from", tensor(j.fromLayer(), j.fromShape(), j.fromType().kerasName()));
            jo.set("to", tensor(j.toLayer(), j.toShape(), j.toType().kerasName()));
            jo.put("bridge", j.bridge());
            jo.put("chosen_by_auto", j.chosenByAuto());
            ArrayNode ls = jo.putArray("layers");
            j.layers().forEach(l -> ls.add(l.name()));
            jo.put("new_parameters", j.newParameters());
        }
        ObjectNode h = o.putObject("hybrid");
        h.put("layers", plan.hybrid().layers().size());
        h.put("params", s.totalParams());
        h.put("trainable_params", s.trainableParams());
        h.put("new_params", plan.junctions().stream().mapToLong(Junction::newParameters).sum());
        h.set("input_shape", s.inputs().get(0).shape() == null ? null : SummaryJson.shape(s.inputs().get(0).shape()));
        h.set("output_shape", s.outputs().get(0).shape() == null ? null : SummaryJson.shape(s.outputs().get(0).shape()));
        o.set("training", plan.hybrid().trainingConfig());
        ArrayNode w = o.putArray("warnings");
        s.warnings().forEach(w::add);
        return Json.compact(o) + "\n";
    }

    private static ObjectNode tensor(String layer, dev.graft.model.Shape shape, String dtype) {
        ObjectNode t = Json.object();
        t.put("layer", layer);
        t.set("shape", SummaryJson.shape(shape));
        t.put("dtype", dtype);
        return t;
    }

    private static String formatName(OutputTarget t) {
        return t.format().name().toLowerCase(Locale.ROOT);
    }
}
