package dev.graft.engine;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * DL4J 1.0.0-M2.1's Keras import builds UpSampling2D with its default NCHW format, while every other 2-d layer it
 * imports computes channels last (NHWC): the layer then repeats the wrong axes (the zoo's upsampling2d_2 came out
 * (4, 3, 6, 4) instead of (4, 6, 6, 2)). The layer reads its format at every forward pass, so setting it on the
 * built network is enough.
 */
final class ChannelsLastUpsampling {
    private ChannelsLastUpsampling() {
    }

    static void apply(ComputationGraph graph) {
        for (Layer layer : graph.getLayers()) {
            if (layer.conf() != null && layer.conf().getLayer() instanceof Upsampling2D up) up.setFormat(CNN2DFormat.NHWC);
        }
    }
}
