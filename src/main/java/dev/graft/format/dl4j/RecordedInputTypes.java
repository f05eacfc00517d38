package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The DL4J input types of a zip graft wrote, from the Keras shapes it records ({@code graft_tensors.json}): graft
 * configures its networks' layers directly and records no DL4J input type, so without these nothing past the inputs
 * would have a known shape ({@code inspect} showed "?", and the zip's Keras translation, a merge or adapt donor, could
 * not declare its input). Only inputs recorded channels last with every sample dimension known are read; any other
 * keeps what DL4J's configuration implies.
 */
final class RecordedInputTypes {
    private RecordedInputTypes() {
    }

    static Map<String, InputType> of(JsonNode record) {
        Map<String, InputType> types = new HashMap<>();
        if (record == null || !record.path("inputs").isArray()) return types;
        for (JsonNode t : record.path("inputs")) {
            JsonNode dims = t.get("shape");
            if (!"channels_last".equals(t.path("layout").asText()) || dims == null || !dims.isArray()) continue;
            long[] d = new long[dims.size() - 1];
            boolean known = dims.size() >= 2;
            for (int i = 1; known && i < dims.size(); i++) {
                known = dims.get(i).isIntegralNumber() && dims.get(i).asLong() > 0;
                d[i - 1] = dims.get(i).asLong();
            }
            if (!known) continue;
            InputType type = switch (d.length) {
                case 1 -> InputType.feedForward(d[0]);
                case 2 -> InputType.recurrent(d[1], d[0], RNNFormat.NWC);
                case 3 -> InputType.convolutional(d[0], d[1], d[2], CNN2DFormat.NHWC);
                default -> null;
            };
            if (type != null) types.put(t.path("name").asText(), type);
        }
        return types;
    }
}
