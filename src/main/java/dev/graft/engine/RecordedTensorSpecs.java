package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.format.ModelFileException;
import dev.graft.model.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The Keras shape and layout of each input and output of a network graft writes as a zip, kept in
 * the zip beside DL4J's entries. A restored graph does not say everything: a Keras-imported
 * {@code Masking → LSTM} or a hybrid ending in a sequence declares no data format at its edges,
 * so read from the layers alone its edges would look channels first, and the zip would want
 * (batch, features, steps) where its {@code .h5} twin takes and gives (batch, steps, features).
 * What the network was built with is written down instead, and read back as it was.
 */
final class RecordedTensorSpecs {
    private RecordedTensorSpecs() {
    }

    /** The record of a model's inputs and outputs, as written into its zip. */
    static ObjectNode of(EngineModel model) {
        ObjectNode o = Json.object();
        o.set("inputs", specs(model.inputs()));
        o.set("outputs", specs(model.outputs()));
        return o;
    }

    private static ArrayNode specs(List<TensorSpec> specs) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (TensorSpec s : specs) {
            ObjectNode o = a.addObject();
            o.put("name", s.name());
            // the Keras tensor a vertex of graft's own computes (older zips hold none: their vertices were the Keras names)
            if (!s.kerasName().equals(s.name())) o.put("keras_name", s.kerasName());
            if (s.kerasShape() == null) {
                o.putNull("shape");
            } else {
                ArrayNode dims = o.putArray("shape");
                for (Long d : s.kerasShape().dims()) {
                    if (d == null) dims.addNull();
                    else dims.add(d);
                }
            }
            o.put("layout", s.layout().name().toLowerCase(Locale.ROOT));
        }
        return a;
    }

    /**
     * The graph with the inputs and outputs the record describes.
     *
     * @throws ModelFileException when the record does not describe this graph's inputs and outputs
     */
    static EngineModel apply(ComputationGraph graph, JsonNode record, Path file) {
        List<TensorSpec> inputs = read(record.get("inputs"), graph.getConfiguration().getNetworkInputs(), "inputs", file);
        List<TensorSpec> outputs = read(record.get("outputs"), graph.getConfiguration().getNetworkOutputs(), "outputs", file);
        return EngineModel.of(graph, inputs, outputs);
    }

    private static List<TensorSpec> read(JsonNode specs, List<String> names, String what, Path file) {
        if (specs == null || !specs.isArray() || specs.size() != names.size()) throw damaged(file, what + " do not match the network's " + names);
        List<TensorSpec> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode s = specs.get(i);
            if (!names.get(i).equals(s.path("name").asText(null))) throw damaged(file, what + " do not match the network's " + names);
            JsonNode kerasName = s.get("keras_name");
            if (kerasName != null && (!kerasName.isTextual() || kerasName.asText().isBlank())) throw damaged(file, "a keras_name is not a name");
            out.add(new TensorSpec(names.get(i), shape(s.get("shape"), file), layout(s.path("layout").asText(""), file),
                    kerasName == null ? null : kerasName.asText()));
        }
        return out;
    }

    private static Shape shape(JsonNode dims, Path file) {
        if (dims == null || dims.isNull()) return null;
        if (!dims.isArray() || dims.isEmpty()) throw damaged(file, "a shape is not a list of dimensions");
        List<Long> out = new ArrayList<>();
        for (JsonNode d : dims) {
            if (d.isNull()) out.add(null);
            else if (d.canConvertToLong() && d.isIntegralNumber() && d.asLong() > 0) out.add(d.asLong());
            else throw damaged(file, "a shape holds " + d + ", not a positive dimension");
        }
        return Shape.of(out);
    }

    private static Layout layout(String name, Path file) {
        for (Layout l : Layout.values()) if (l.name().toLowerCase(Locale.ROOT).equals(name)) return l;
        throw damaged(file, "unknown layout '" + name + "'");
    }

    private static ModelFileException damaged(Path file, String why) {
        return new ModelFileException(file, "graft_tensors.json is damaged: " + why);
    }
}
