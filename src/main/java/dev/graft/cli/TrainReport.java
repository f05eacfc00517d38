package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.train.EpochRecord;
import dev.graft.engine.train.TrainJob;
import dev.graft.engine.train.TrainingResult;
import dev.graft.format.Json;
import dev.graft.surgery.OutputTarget;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The end of {@code train}: final metrics as a table (stderr), or one JSON document (stdout). */
final class TrainReport {
    private TrainReport() {
    }

    static String text(TrainJob.Outcome o, OutputTarget target) {
        TrainingResult r = o.result();
        EpochRecord best = r.best();
        Set<String> cols = new LinkedHashSet<>(best.train().keySet());
        cols.addAll(best.validation().keySet());
        StringBuilder sb = new StringBuilder("\n");
        sb.append(String.format("%-12s", ""));
        for (String c : cols) sb.append(String.format(Locale.ROOT, "%" + width(c) + "s", c));
        sb.append('\n');
        row(sb, "train", best.train(), cols);
        if (!best.validation().isEmpty()) row(sb, "validation", best.validation(), cols);
        sb.append(r.stoppedEarly() ? "stopped early after epoch " + r.history().size() + "; kept epoch " + r.bestEpoch() + "'s weights\n"
                : "epochs " + r.history().size() + (r.bestEpoch() != r.history().size() ? "; kept epoch " + r.bestEpoch() + "'s weights" : "") + "\n");
        sb.append(String.format(Locale.ROOT, "trained %s (%s, learning rate %s, loss %s), %.0f samples/s\n",
                String.join(", ", o.trained()), o.optimizer(), Formatting.number(o.learningRate()), lossText(o), r.samplesPerSecond()));
        sb.append("wrote ").append(target.path()).append('\n');
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, Map<String, Double> values, Set<String> cols) {
        sb.append(String.format("%-12s", name));
        for (String c : cols) {
            Double v = values.get(c);
            sb.append(v == null ? String.format("%" + width(c) + "s", "") : String.format(Locale.ROOT, "%" + width(c) + ".4f", v));
        }
        sb.append('\n');
    }

    /** A column wide enough for its name ({@code positive_accuracy}) and a space. */
    private static int width(String column) {
        return Math.max(14, column.length() + 2);
    }

    /** The loss as --loss takes it: one name, or OUTPUT=NAME for each of several outputs. */
    private static String lossText(TrainJob.Outcome o) {
        var l = o.trainingConfig() == null ? null : o.trainingConfig().get("loss");
        if (l == null || !l.isObject() || l.has("class_name")) return o.loss().kerasName();
        java.util.List<String> parts = new java.util.ArrayList<>();
        l.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + (e.getValue().isTextual() ? e.getValue().asText()
                : e.getValue().path("config").path("name").asText(e.getValue().path("class_name").asText()))));
        return String.join(",", parts);
    }

    static String json(TrainJob.Outcome o, OutputTarget target, double seconds) {
        TrainingResult r = o.result();
        ObjectNode j = Json.object();
        j.put("output", target.path().toString());
        j.put("format", target.format().name().toLowerCase(Locale.ROOT));
        j.put("epochs", r.history().size());
        j.put("best_epoch", r.bestEpoch());
        j.put("stopped_early", r.stoppedEarly());
        j.put("loss", lossText(o));
        j.put("optimizer", o.optimizer());
        j.put("learning_rate", o.learningRate());
        ArrayNode trained = j.putArray("trained_layers");
        o.trained().forEach(trained::add);
        j.set("train", values(r.best().train()));
        j.set("validation", r.best().validation().isEmpty() ? null : values(r.best().validation()));
        ArrayNode h = j.putArray("history");
        for (EpochRecord e : r.history()) {
            ObjectNode eo = h.addObject();
            eo.put("epoch", e.epoch());
            e.train().forEach(eo::put);
            e.validation().forEach((k, v) -> eo.put("val_" + k, v));
        }
        j.put("samples_per_second", r.samplesPerSecond());
        j.put("seconds", seconds);
        return Json.compact(j) + "\n";
    }

    private static ObjectNode values(Map<String, Double> m) {
        ObjectNode o = Json.object();
        m.forEach(o::put);
        return o;
    }

}
