package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.inspect.JoinReport;
import dev.graft.inspect.LayerRow;
import dev.graft.inspect.ModelSummary;
import dev.graft.inspect.TensorInfo;
import dev.graft.model.Shape;
import dev.graft.model.SourceInfo;
import java.util.List;
import java.util.Locale;

/** {@code graft inspect --json}: the schema is documented in the README ("JSON output"). */
final class SummaryJson {
    private SummaryJson() {
    }

    static String render(ModelSummary s) {
        return Json.compact(summary(s)) + "\n";
    }

    static String render(ModelSummary a, ModelSummary b, JoinReport join) {
        ObjectNode root = Json.object();
        root.set("first", summary(a));
        root.set("second", summary(b));
        root.set("join", join(join));
        return Json.compact(root) + "\n";
    }

    static ObjectNode summary(ModelSummary s) {
        ObjectNode o = Json.object();
        SourceInfo src = s.source();
        o.put("file", src.path().toString());
        o.put("format", formatId(src));
        o.put("format_description", src.format().description());
        o.put("producer", src.producer());
        o.put("producer_version", src.producerVersion());
        o.put("backend", src.backend());
        o.put("size_bytes", src.sizeBytes());
        o.put("model_class", s.modelClass());
        o.put("name", s.name());
        ArrayNode layers = o.putArray("layers");
        for (LayerRow r : s.layers()) {
            ObjectNode l = layers.addObject();
            l.put("name", r.name());
            l.put("class", r.className());
            l.put("depth", r.depth());
            ArrayNode shapes = l.putArray("output_shapes");
            r.outputShapes().forEach(sh -> shapes.add(shape(sh)));
            l.put("shape_problem", r.shapeProblem());
            l.put("params", r.params());
            if (r.trainable() == null) l.putNull("trainable");
            else l.put("trainable", r.trainable());
            l.put("computable", r.notComputable() == null);
            l.put("not_computable_reason", r.notComputable());
            ArrayNode from = l.putArray("connected_to");
            r.connectedTo().forEach(from::add);
            l.put("bridge", r.bridge());
        }
        ObjectNode params = o.putObject("params");
        params.put("total", s.totalParams());
        params.put("trainable", s.trainableParams());
        params.put("non_trainable", s.nonTrainableParams());
        params.put("bytes", s.paramBytes());
        o.set("inputs", tensors(s.inputs()));
        o.set("outputs", tensors(s.outputs()));
        if (s.training() == null) {
            o.putNull("training");
        } else {
            ObjectNode t = o.putObject("training");
            t.put("loss", s.training().loss());
            t.put("optimizer", s.training().optimizer());
            if (s.training().learningRate() == null) t.putNull("learning_rate");
            else t.put("learning_rate", s.training().learningRate());
            ArrayNode m = t.putArray("metrics");
            s.training().metrics().forEach(m::add);
        }
        o.set("provenance", s.provenance());
        ArrayNode w = o.putArray("warnings");
        s.warnings().forEach(w::add);
        o.put("computable", s.computable());
        return o;
    }

    private static ObjectNode join(JoinReport j) {
        ObjectNode o = Json.object();
        o.put("verdict", j.result().verdict().name().toLowerCase(Locale.ROOT));
        o.put("joinable", j.result().joinable());
        o.put("bridge", j.result().bridge());
        o.put("reason", j.result().reason());
        o.set("from", j.from() == null ? null : tensor(j.from()));
        o.set("to", j.to() == null ? null : tensor(j.to()));
        return o;
    }

    private static String formatId(SourceInfo src) {
        switch (src.format()) {
            case KERAS_H5: return "keras-h5";
            case KERAS_ZIP: return "keras-zip";
            default: return "dl4j-zip";
        }
    }

    private static ArrayNode tensors(List<TensorInfo> ts) {
        ArrayNode a = Json.array();
        ts.forEach(t -> a.add(tensor(t)));
        return a;
    }

    private static ObjectNode tensor(TensorInfo t) {
        ObjectNode o = Json.object();
        o.put("name", t.name());
        o.set("shape", t.shape() == null ? null : shape(t.shape()));
        o.put("dtype", t.dtype().kerasName());
        return o;
    }

    /** A shape as a JSON array, unknown dimensions as null: {@code [null, 32]}. */
    static ArrayNode shape(Shape s) {
        ArrayNode a = Json.array();
        for (Long d : s.dims()) {
            if (d == null) a.addNull();
            else a.add(d);
        }
        return a;
    }
}
