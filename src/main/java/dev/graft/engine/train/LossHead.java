package dev.graft.engine.train;

import dev.graft.engine.TensorSpec;
import dev.graft.model.HostArray;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The loss put after a model output that is not a Dense layer (a convolution, a recurrent layer, an
 * activation, a normalisation, ...): the output in Keras's layout, one row per position (a sequence
 * step, a pixel) holding the last axis, as Keras's losses reduce it, and a loss-only layer. The
 * engine averages that layer's loss and gradient over its rows, which is Keras's mean over the batch
 * and the positions ({@code LossHeadGradientTest} checks the gradient). The head has no parameters; training adds it and {@link #strip} takes it off before the model is
 * written, so the written model is the model that was read.
 */
final class LossHead {
    static final String NAME = "graft_loss_head";
    private static final String LAYOUT = NAME + "_keras_layout";
    private static final String ROWS = NAME + "_rows";

    private LossHead() {
    }

    /**
     * Appends the head after {@code out}, whose Keras shape and layout {@code spec} gives; the head takes
     * {@code out}'s place among the network's outputs (a model with several outputs gets one head per output
     * that needs one: {@code graft_loss_head}, {@code graft_loss_head_1}, ...).
     */
    static void append(ComputationGraphConfiguration conf, String out, ILossFunction loss, TensorSpec spec) {
        String name = NAME;
        for (int k = 1; conf.getVertices().containsKey(name); k++) name = NAME + "_" + k;
        int rank = spec == null || spec.kerasShape() == null ? 2 : spec.kerasShape().rank();
        String last = out;
        if (rank > 2) {
            InputPreProcessor toKeras = spec.layout().toKerasPreprocessor(rank);
            if (toKeras != null) last = add(conf, name + LAYOUT.substring(NAME.length()), new PreprocessorVertex(toKeras), last);
            last = add(conf, name + ROWS.substring(NAME.length()), new ReshapeVertex('c', new int[] {-1, Math.toIntExact(spec.kerasShape().lastDim())}, null), last);
        }
        LossLayer layer = new LossLayer.Builder(loss).activation(Activation.IDENTITY).build();
        layer.setLayerName(name);
        NeuralNetConfiguration nnc = conf.getDefaultConfiguration().clone();
        nnc.setLayer(layer);
        add(conf, name, new LayerVertex(nnc, null), last);
        List<String> outputs = new ArrayList<>(conf.getNetworkOutputs());
        outputs.set(outputs.indexOf(out), name);
        conf.setNetworkOutputs(outputs);
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
    }

    /** The rows a sample's labels make in the head of an output of this shape: its positions (1 for a vector). */
    static long positions(TensorSpec spec) {
        if (spec == null || spec.kerasShape() == null || spec.kerasShape().rank() <= 2) return 1;
        long n = 1;
        for (int d = 1; d < spec.kerasShape().rank() - 1; d++) {
            Long size = spec.kerasShape().dims().get(d);
            if (size == null) return -1;
            n *= size;
        }
        return n;
    }

    private static String add(ComputationGraphConfiguration conf, String name, org.deeplearning4j.nn.conf.graph.GraphVertex v, String input) {
        conf.getVertices().put(name, v);
        conf.getVertexInputs().put(name, new ArrayList<>(List.of(input)));
        return name;
    }

    static boolean has(ComputationGraph graph) {
        return graph.getConfiguration().getNetworkOutputs().stream().anyMatch(LossHead::isHead);
    }

    /** Whether a network output is a head (its labels are one row per position). */
    static boolean isHead(String output) {
        return output.equals(NAME) || output.matches(NAME + "_[0-9]+");
    }

    /** The head's own vertices and those it adds before it. */
    private static boolean partOfHead(String vertex) {
        return vertex.startsWith(NAME) && isHead(vertex.replaceFirst("(_keras_layout|_rows)$", ""));
    }

    /**
     * Labels as the head takes them: Keras layout, one row per position ({@code (batch x positions, width)});
     * class indices one per row.
     */
    static HostArray rows(HostArray labels, boolean classIndices) {
        long[] s = labels.shape();
        long width = classIndices || s.length == 1 ? 1 : s[s.length - 1];
        return labels.reshape(labels.size() / width, width);
    }

    /** The network without the head, with the same parameters: what was trained, as it was read. */
    static ComputationGraph strip(ComputationGraph graph, List<String> outputs) {
        if (!has(graph)) return graph;
        ComputationGraphConfiguration conf = dev.graft.engine.MergeAxes.cloned(graph.getConfiguration());
        conf.getVertices().keySet().removeIf(LossHead::partOfHead);
        conf.getVertexInputs().keySet().removeIf(LossHead::partOfHead);
        conf.setNetworkOutputs(new ArrayList<>(outputs));
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        ComputationGraph g = new ComputationGraph(conf);
        g.init(graph.params().dup(), false);
        java.util.Set<String> names = new java.util.HashSet<>(conf.getVertices().keySet());
        FrozenPrefix.copyParams(graph, g, names); // by name: the flat parameter order is not relied on
        return g;
    }
}
