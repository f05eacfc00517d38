package dev.graft.engine.layers;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;

/**
 * The layers of a network whose input gradient nothing reads while it trains: those fed by network inputs only (the
 * optimizer updates parameters, never the data). graft's channels-last Conv2D and Conv1D ({@link SkipsInputGradient}) then
 * skip computing it; on the MNIST CNN that is the first convolution's third product and its scatter onto 28×28 pixels, every batch.
 */
public final class UnusedInputGradients {
    private final List<SkipsInputGradient> marked;

    private UnusedInputGradients(List<SkipsInputGradient> marked) {
        this.marked = marked;
    }

    /** Marks the layers of {@code graph} that take network inputs only, until {@link #restore}. */
    public static UnusedInputGradients skipWhileTraining(ComputationGraph graph) {
        List<SkipsInputGradient> marked = new ArrayList<>();
        GraphVertex[] vertices = graph.getVertices();
        for (GraphVertex v : vertices) {
            if (!v.hasLayer() || !(v.getLayer() instanceof SkipsInputGradient conv)) continue;
            VertexIndices[] in = v.getInputVertices();
            boolean networkInputsOnly = in != null && in.length > 0;
            for (int i = 0; networkInputsOnly && i < in.length; i++) networkInputsOnly = vertices[in[i].getVertexIndex()].isInputVertex();
            if (networkInputsOnly) {
                conv.setInputGradientUnused(true);
                marked.add(conv);
            }
        }
        return new UnusedInputGradients(marked);
    }

    /** The marked layers compute their input gradient again (the graph may be asked for it after training). */
    public void restore() {
        for (SkipsInputGradient conv : marked) conv.setInputGradientUnused(false);
    }

    /** How many layers skip their input gradient. */
    public int count() {
        return marked.size();
    }
}
