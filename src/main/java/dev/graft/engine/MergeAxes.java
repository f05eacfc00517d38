package dev.graft.engine;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Copies of a network configuration that keep each merge's axis. DL4J M2.1's {@code MergeVertex.clone()} returns a
 * merge along axis 1, whatever the configuration held: a copied network joined two channels-last sequences along their
 * steps and two channels-last images along their rows (training a model with a {@code Concatenate} of sequences or
 * images failed with "Indices are out of range", and a {@code Bidirectional} concatenating its halves' sequences had to
 * be refused). Every copy of a configuration made for training goes through here.
 */
public final class MergeAxes {
    private MergeAxes() {
    }

    /**
     * Each merge along a negative axis (Keras's {@code axis=-1}, as DL4J's Keras import keeps it) as the same axis counted
     * from the front: DL4J's merge computes forward with either, but its backward pass indexes the inputs' shapes with the
     * axis as it is ("Index -1 out of bounds"). The rank is that of the Keras layer of the vertex's name in the model before
     * the engine's rewrites (whose own layers shape inference does not know; a Bidirectional computed as its halves merges
     * them under its own name): the engine holds every tensor of a merge with its Keras rank. A merge whose shape graft
     * does not know keeps its axis.
     */
    static void countedFromTheFront(ComputationGraphConfiguration conf, dev.graft.model.ModelGraph flat) {
        dev.graft.shape.GraphShapes shapes = null;
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (!(e.getValue() instanceof MergeVertex m) || m.getMergeAxis() >= 0) continue;
            if (shapes == null) shapes = dev.graft.shape.GraphShapes.infer(flat);
            java.util.List<dev.graft.model.Shape> out = shapes.outputShapes(e.getKey());
            if (out == null || out.isEmpty() || out.get(0) == null) continue;
            m.setMergeAxis(out.get(0).rank() + m.getMergeAxis());
        }
    }

    /** {@code conf.clone()} with every merge vertex's axis as in {@code conf}. */
    public static ComputationGraphConfiguration cloned(ComputationGraphConfiguration conf) {
        ComputationGraphConfiguration copy = conf.clone();
        restore(conf, copy);
        return copy;
    }

    /** Sets the axis of each merge vertex of {@code copy} to that of the vertex of the same name in {@code original}. */
    public static void restore(ComputationGraphConfiguration original, ComputationGraphConfiguration copy) {
        for (Map.Entry<String, GraphVertex> e : original.getVertices().entrySet()) {
            GraphVertex c = copy.getVertices().get(e.getKey());
            if (e.getValue() instanceof MergeVertex m && c instanceof MergeVertex mc && mc != m) mc.setMergeAxis(m.getMergeAxis());
        }
    }

    /**
     * {@code graph.clone()} (configuration, parameters, updater state) with the merge axes kept: the axes are set before
     * the copy is initialised, which is when the network's merge vertices take them.
     */
    public static ComputationGraph cloned(ComputationGraph graph) {
        ComputationGraph copy = new ComputationGraph(cloned(graph.getConfiguration()));
        copy.init(graph.params().dup(), false);
        if (graph.getUpdater(false) != null && graph.getUpdater(false).getStateViewArray() != null) {
            copy.getUpdater().setStateViewArray(graph.getUpdater().getStateViewArray().dup());
        }
        return copy;
    }
}
