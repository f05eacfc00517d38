package dev.graft.format.dl4j;

import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The shape of every vertex's output (network inputs included) of an engine network, in Keras
 * notation, as the reader reports them: DL4J's own type machinery followed from what the
 * configuration records (see {@link OutputTypes}). The engine needs the same shapes the reader
 * shows, so both come from here. Vertices whose shape cannot be known are absent.
 */
public final class Dl4jShapes {
    private Dl4jShapes() {
    }

    public static Map<String, Shape> of(ComputationGraph net) {
        List<String> order = new ArrayList<>();
        for (int idx : net.topologicalSortOrder()) order.add(net.getVertices()[idx].getVertexName());
        Map<String, Shape> shapes = new HashMap<>();
        for (Map.Entry<String, InputType> e : OutputTypes.of(net.getConfiguration(), order).entrySet()) {
            Shape s = KerasShapes.of(e.getValue());
            if (s != null) shapes.put(e.getKey(), s);
        }
        return shapes;
    }
}
