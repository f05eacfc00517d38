package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.batch.Plan;
import dev.graft.batch.StepResult;
import dev.graft.batch.StepResult.Status;
import dev.graft.format.Json;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code graft run} did: a one-line summary on stderr, or one JSON document (schema in the README). */
final class RunReport {
    private RunReport() {
    }

    static String summary(List<StepResult> results, double seconds) {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (StepResult r : results) counts.merge(r.status(), 1, Integer::sum);
        StringBuilder sb = new StringBuilder("graft run: ").append(results.size()).append(" steps");
        counts.forEach((s, n) -> sb.append(", ").append(n).append(' ').append(s.text()));
        return sb.append(String.format(Locale.ROOT, " (%.2f s)%n", seconds)).toString();
    }

    static String json(Plan plan, List<StepResult> results, boolean dryRun, double seconds) {
        ObjectNode o = Json.object();
        o.put("plan", plan.file().toString());
        o.put("dry_run", dryRun);
        o.put("ok", results.stream().noneMatch(r -> r.status() == Status.FAILED));
        ArrayNode steps = o.putArray("steps");
        for (StepResult r : results) {
            ObjectNode s = steps.addObject();
            s.put("step", r.step().index());
            s.put("name", r.step().name());
            s.put("command", r.step().kind());
            s.put("status", r.status().text());
            s.put("reason", r.reason());
            s.put("message", r.message());
            ArrayNode outs = s.putArray("outputs");
            for (Path p : r.step().outputs()) outs.add(p.toString());
            ArrayNode deps = s.putArray("after");
            plan.dependsOn().get(r.step().index()).forEach(deps::add);
            s.put("exit_code", r.exitCode() < 0 ? null : r.exitCode());
            s.put("seconds", r.seconds());
            if (!r.stdout().isEmpty()) s.put("stdout", r.stdout());
            s.put("shell", r.step().shellLine());
        }
        o.put("seconds", Math.round(seconds * 1000) / 1000.0);
        return Json.compact(o) + "\n";
    }
}
