package dev.graft.engine;

import dev.graft.format.dl4j.Dl4jShapes;
import dev.graft.model.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The inputs and outputs of a DL4J-native graph (restored from a zip, or built with DL4J) in
 * Keras terms, read from its configuration: shapes as the zip reader reports them, layouts as the
 * layers next to each input or output declare them. Where a layer declares nothing, DL4J's own
 * default holds: channels first.
 *
 * <p>An image network built as a MultiLayerNetwork often takes flat rows that a
 * FeedForwardToCnnPreProcessor reshapes to NCHW; its input is described as the image it is,
 * (h, w, channels), held channels first (that preprocessor passes 4-d input through unchanged).
 */
final class NativeTensorSpecs {
    private final ComputationGraphConfiguration conf;
    private final Map<String, Shape> shapes;

    private NativeTensorSpecs(ComputationGraph graph) {
        this.conf = graph.getConfiguration();
        this.shapes = Dl4jShapes.of(graph);
    }

    static List<TensorSpec> inputs(ComputationGraph graph) {
        NativeTensorSpecs s = new NativeTensorSpecs(graph);
        List<TensorSpec> out = new ArrayList<>();
        for (String name : s.conf.getNetworkInputs()) out.add(s.input(name));
        return out;
    }

    static List<TensorSpec> outputs(ComputationGraph graph) {
        NativeTensorSpecs s = new NativeTensorSpecs(graph);
        List<TensorSpec> out = new ArrayList<>();
        for (String name : s.conf.getNetworkOutputs()) out.add(s.output(name));
        return out;
    }

    private TensorSpec input(String name) {
        Reader reader = readerOf(name);
        Layer layer = reader.layer();
        Object pre = reader.preprocessor();
        if (pre instanceof FeedForwardToCnnPreProcessor f && f.getInputHeight() > 0 && f.getInputWidth() > 0 && f.getNumChannels() > 0) {
            return new TensorSpec(name, Shape.batchOf(f.getInputHeight(), f.getInputWidth(), f.getNumChannels()), Layout.CHANNELS_FIRST);
        }
        Shape shape = shapes.containsKey(name) ? shapes.get(name) : shapeFromLayer(layer);
        Layout layout = null;
        if (shape != null) {
            layout = LayerFormats.declared(pre, shape.rank());
            if (layout == null) layout = LayerFormats.declared(layer, shape.rank());
        } else {
            layout = anyDeclared(pre);
            if (layout == null) layout = anyDeclared(layer);
        }
        return new TensorSpec(name, shape, layout == null ? Layout.CHANNELS_FIRST : layout);
    }

    private TensorSpec output(String name) {
        Layer layer = lastLayerWriting(name);
        Shape shape = shapes.get(name);
        Layout layout = shape != null ? LayerFormats.declared(layer, shape.rank()) : anyDeclared(layer);
        return new TensorSpec(name, shape, layout == null ? Layout.CHANNELS_FIRST : layout);
    }

    private static Layout anyDeclared(Object config) {
        Layout l = LayerFormats.declared(config, 3);
        return l != null ? l : LayerFormats.declared(config, 4);
    }

    /**
     * The input's shape when DL4J's type machinery cannot follow it (convolutions do not record
     * the image size; an LSTM does not record the sequence length): the rank and channels the
     * first layer implies, the rest unknown.
     */
    private static Shape shapeFromLayer(Layer layer) {
        Layer inner = unwrap(layer);
        if (!(inner instanceof FeedForwardLayer ff) || ff.getNIn() <= 0) return null;
        Long channels = ff.getNIn();
        boolean sequence = inner instanceof BaseRecurrentLayer || inner instanceof RnnOutputLayer || inner instanceof Convolution1DLayer;
        if (sequence) return Shape.of(null, null, channels);
        if (inner instanceof ConvolutionLayer) return Shape.of(null, null, null, channels);
        return null;
    }

    private static Layer unwrap(Layer layer) {
        if (layer instanceof Bidirectional b) return unwrap(b.getFwd());
        if (layer instanceof BaseWrapperLayer w) return unwrap(w.getUnderlying());
        if (layer instanceof FrozenLayer f) return unwrap(f.getLayer());
        return layer;
    }

    /** The first layer that reads a tensor, and the first preprocessing step the tensor meets on the way. */
    private record Reader(Object preprocessor, Layer layer) {
    }

    /** Breadth first through vertices without layers; a preprocessor vertex on the way counts as the layer's own preprocessor. */
    private Reader readerOf(String tensor) {
        Deque<String> queue = new ArrayDeque<>(List.of(tensor));
        Set<String> seen = new HashSet<>();
        Object pre = null;
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
                if (!e.getValue().contains(current) || !seen.add(e.getKey())) continue;
                GraphVertex v = conf.getVertices().get(e.getKey());
                LayerVertex lv = layerVertex(v);
                if (lv != null) return new Reader(pre != null ? pre : lv.getPreProcessor(), lv.getLayerConf().getLayer());
                if (pre == null && v instanceof PreprocessorVertex p) pre = p.getPreProcessor();
                queue.add(e.getKey());
            }
        }
        return new Reader(pre, null);
    }

    /** The layer that computes the tensor, or the nearest one before it through vertices without layers. */
    private Layer lastLayerWriting(String tensor) {
        String current = tensor;
        Set<String> seen = new HashSet<>();
        while (current != null && seen.add(current)) {
            LayerVertex lv = layerVertex(conf.getVertices().get(current));
            if (lv != null) return lv.getLayerConf().getLayer();
            List<String> in = conf.getVertexInputs().get(current);
            current = in == null || in.isEmpty() ? null : in.get(0);
        }
        return null;
    }

    private static LayerVertex layerVertex(GraphVertex v) {
        if (v instanceof FrozenVertex f) return layerVertex(f.getUnderlying());
        return v instanceof LayerVertex lv ? lv : null;
    }
}
