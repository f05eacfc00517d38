package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.inspect.JoinMatrix;
import dev.graft.inspect.JoinReport;
import dev.graft.inspect.ModelSummary;
import dev.graft.inspect.TensorInfo;
import dev.graft.shape.Compatibility.Verdict;
import java.util.Locale;

/** {@code inspect --matrix}: which models chain, as a grid with the joinable pairs listed, or as JSON (schema in the README). */
final class MatrixReport {
    private MatrixReport() {
    }

    static String text(JoinMatrix m) {
        int n = m.files().size();
        int w = Math.max(2, String.valueOf(n).length() + 1);
        StringBuilder sb = new StringBuilder("Join matrix of ").append(n).append(" models (row feeds column):\n");
        for (int i = 0; i < n; i++) {
            sb.append(String.format(Locale.ROOT, "%" + w + "d  ", i + 1)).append(m.files().get(i));
            ModelSummary s = m.summaries().get(i);
            if (s == null) sb.append("  unreadable: ").append(m.problems().get(i));
            else sb.append("  ").append(io(s.inputs())).append(" -> ").append(io(s.outputs()));
            sb.append('\n');
        }
        sb.append('\n').append(" ".repeat(w + 1));
        for (int j = 0; j < n; j++) sb.append(String.format(Locale.ROOT, "%" + w + "d", j + 1));
        sb.append('\n');
        for (int i = 0; i < n; i++) {
            sb.append(String.format(Locale.ROOT, "%" + w + "d ", i + 1));
            for (int j = 0; j < n; j++) sb.append(" ".repeat(w - 1)).append(cell(m, i, j));
            sb.append('\n');
        }
        sb.append("  = direct, R reshape, D dense bridge, x no bridge joins them, ? unreadable\n");
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                JoinReport r = m.joins()[i][j];
                if (r == null || r.result().verdict() == Verdict.INCOMPATIBLE) continue;
                pairs.append(String.format(Locale.ROOT, "  %d -> %d  %s%n", i + 1, j + 1,
                        r.result().fitsDirectly() ? "direct" : "--bridge " + r.result().bridge()));
            }
        }
        sb.append(pairs.length() == 0 ? "No pair joins.\n" : "Pairs that join:\n" + pairs);
        return sb.toString();
    }

    private static char cell(JoinMatrix m, int i, int j) {
        if (i == j) return '.';
        JoinReport r = m.joins()[i][j];
        if (r == null) return '?';
        Verdict v = r.result().verdict();
        if (v == Verdict.DIRECT) return '=';
        if (v == Verdict.INCOMPATIBLE) return 'x';
        return Character.toUpperCase(v.name().charAt(0));
    }

    private static String io(java.util.List<TensorInfo> ts) {
        if (ts.size() != 1) return ts.size() + " tensors";
        return ts.get(0).shape() == null ? "?" : ts.get(0).shape().toString();
    }

    static String json(JoinMatrix m) {
        ObjectNode o = Json.object();
        ArrayNode models = o.putArray("models");
        for (int i = 0; i < m.files().size(); i++) {
            ObjectNode x = models.addObject();
            x.put("index", i + 1);
            x.put("file", m.files().get(i).toString());
            ModelSummary s = m.summaries().get(i);
            x.set("input", s == null || s.inputs().size() != 1 ? null : tensor(s.inputs().get(0)));
            x.set("output", s == null || s.outputs().size() != 1 ? null : tensor(s.outputs().get(0)));
            x.put("error", m.problems().get(i));
        }
        ArrayNode pairs = o.putArray("pairs");
        for (int i = 0; i < m.files().size(); i++) {
            for (int j = 0; j < m.files().size(); j++) {
                JoinReport r = m.joins()[i][j];
                if (r == null) continue;
                ObjectNode p = pairs.addObject();
                p.put("from", i + 1);
                p.put("to", j + 1);
                p.put("verdict", r.result().verdict().name().toLowerCase(Locale.ROOT));
                p.put("bridge", r.result().bridge());
                p.put("reason", r.result().reason());
            }
        }
        return Json.compact(o) + "\n";
    }

    private static ObjectNode tensor(TensorInfo t) {
        ObjectNode o = Json.object();
        o.put("name", t.name());
        o.set("shape", t.shape() == null ? null : SummaryJson.shape(t.shape()));
        o.put("dtype", t.dtype().kerasName());
        return o;
    }
}
