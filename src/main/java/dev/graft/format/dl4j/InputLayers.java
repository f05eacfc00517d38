package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.Shape;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The {@code InputLayer} graft puts where a DL4J network takes input (DL4J has no input layer
 * object), configured as Keras configures one so the rest of graft treats both alike.
 */
final class InputLayers {
    private InputLayers() {
    }

    static Layer of(String name, InputType type, DataType dataType) {
        return of(name, KerasShapes.of(type), dataType);
    }

    /** An input of a known Keras shape (batch first), or of an unknown one (null). */
    static Layer of(String name, Shape shape, DataType dataType) {
        ObjectNode config = Json.object();
        config.put("name", name);
        if (shape != null) {
            ArrayNode batchShape = config.putArray("batch_input_shape");
            for (Long d : shape.dims()) {
                if (d == null) batchShape.addNull(); else batchShape.add(d);
            }
        }
        config.put("dtype", NdArrays.dtypeOf(dataType).kerasName());
        return new Layer(name, "InputLayer", config, List.of(), List.of(), null, shape == null ? null : List.of(shape));
    }
}
