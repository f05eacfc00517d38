package dev.graft.engine.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Recurrent output layers of zips written before DL4J recorded a data format hold none: DL4J 1.0.0-M2.1 computes them
 * forward as NCW (what they were trained with) but its backward pass takes a missing format for NWC and refuses the
 * labels ("Sequence lengths do not match for RnnOutputLayer input and labels"). Training states NCW, the format
 * they compute with.
 */
final class UnsetRnnFormats {
    private UnsetRnnFormats() {
    }

    static void apply(ComputationGraph graph) {
        for (Layer layer : graph.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            while (conf instanceof FrozenLayer f) conf = f.getLayer();
            if (conf instanceof RnnOutputLayer o && o.getRnnDataFormat() == null) o.setRnnDataFormat(RNNFormat.NCW);
            if (conf instanceof RnnLossLayer l && l.getRnnDataFormat() == null) l.setRnnDataFormat(RNNFormat.NCW);
        }
    }
}
