package dev.graft.format.dl4j;

import dev.graft.format.ModelFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;

/**
 * The flatten between images and a layer that takes rows, which a zip's configuration can get wrong in ways no input
 * fixes (DL4J's own regression zips of 0.5 and 0.8 do): refused before computing, naming the layer and the numbers,
 * instead of DL4J's failure at the first batch. DL4J's regression tests load these zips and check their configuration
 * and parameters, never an output.
 * <ul>
 * <li>no flatten at all: a dense or output layer right after a convolution or pooling, without the
 * {@code CnnToFeedForwardPreProcessor} DL4J adds when a network is built with an input type (0.5's
 * {@code 050_ModelSerializer_Regression_CNN_1} has none); DL4J feeds the layer images and fails;</li>
 * <li>a flatten whose recorded image size is not what the layer takes: the preprocessor rejects any other image size,
 * and the layer rejects this one (0.8's CNN records 3 x 28 x 28 = 2352 from its {@code ConvolutionMode.Same}, its
 * output layer takes 2028 = 3 x 26 x 26, the truncated arithmetic).</li>
 * </ul>
 */
public final class Dl4jFlattens {
    private Dl4jFlattens() {
    }

    /** @throws ModelFileException naming the first layer whose flatten cannot be computed */
    public static void check(Path file, ComputationGraphConfiguration conf) {
        Map<String, GraphVertex> vertices = conf.getVertices();
        for (Map.Entry<String, GraphVertex> e : vertices.entrySet()) {
            if (!(e.getValue() instanceof LayerVertex lv) || lv.getLayerConf() == null) continue;
            Layer layer = lv.getLayerConf().getLayer();
            if (!takesRows(layer)) continue;
            long nIn = ((FeedForwardLayer) layer).getNIn();
            String name = "layer '" + e.getKey() + "' (" + layer.getClass().getSimpleName() + ") takes rows of " + nIn + " values";
            if (lv.getPreProcessor() instanceof CnnToFeedForwardPreProcessor p) {
                long flat = p.getNumChannels() * p.getInputHeight() * p.getInputWidth();
                if (flat > 0 && flat != nIn) {
                    throw new ModelFileException(file, name + " but the flatten before it records images of " + p.getNumChannels() + " x "
                            + p.getInputHeight() + " x " + p.getInputWidth() + " = " + flat
                            + ": the configuration contradicts itself, and DL4J cannot compute it either (for any image size)");
                }
                continue;
            }
            List<String> inputs = conf.getVertexInputs().get(e.getKey());
            if (lv.getPreProcessor() != null || inputs == null || inputs.size() != 1) continue;
            if (vertices.get(inputs.get(0)) instanceof LayerVertex before && before.getLayerConf() != null
                    && givesImages(before.getLayerConf().getLayer())) {
                throw new ModelFileException(file, name + " but '" + inputs.get(0) + "' ("
                        + before.getLayerConf().getLayer().getClass().getSimpleName() + ") before it gives images, and the zip records no flatten"
                        + " between them (a CnnToFeedForwardPreProcessor): DL4J cannot compute it either");
            }
        }
    }

    private static boolean takesRows(Layer layer) {
        boolean rows = layer instanceof DenseLayer || layer instanceof BaseOutputLayer && !(layer instanceof RnnOutputLayer);
        return rows && ((FeedForwardLayer) layer).getNIn() > 0;
    }

    /** Layers whose output is always a 2-d image batch (the 1-d and 3-d subclasses give sequences and volumes). */
    private static boolean givesImages(Layer layer) {
        if (layer instanceof Convolution1DLayer || layer instanceof Convolution3D || layer instanceof Subsampling1DLayer) return false;
        return layer instanceof ConvolutionLayer || layer instanceof SubsamplingLayer;
    }
}
