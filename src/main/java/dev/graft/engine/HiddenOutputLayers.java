package dev.graft.engine;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;

/**
 * A donor's output layer that the splice puts in the middle of the hybrid, turned into the layer
 * that computes the same thing without a loss. An output layer must stay the network's output:
 * in the middle, DL4J would backpropagate its loss against labels it never gets instead of the
 * error arriving from the layers after it. The forward computation (weights, bias, activation) is
 * kept exactly, with the same parameter names and shapes, so the donor's values copy over as they are.
 */
final class HiddenOutputLayers {
    private HiddenOutputLayers() {
    }

    /** The vertex unchanged unless its layer is an output layer. */
    static GraphVertex asHidden(GraphVertex vertex, String donor) {
        if (!(vertex instanceof LayerVertex lv)) return vertex;
        Layer layer = lv.getLayerConf().getLayer();
        Layer hidden = asHidden(layer, donor);
        if (hidden == layer) return vertex;
        NeuralNetConfiguration conf = lv.getLayerConf().clone();
        conf.setLayer(hidden);
        return new LayerVertex(conf, lv.getPreProcessor() == null ? null : lv.getPreProcessor().clone());
    }

    static Layer asHidden(Layer layer, String donor) {
        if (layer instanceof FrozenLayerWithBackprop f) {
            Layer inner = asHidden(f.getUnderlying(), donor);
            return inner == f.getUnderlying() ? layer : named(new FrozenLayerWithBackprop(inner), layer);
        }
        if (layer instanceof FrozenLayer f) {
            Layer inner = asHidden(f.getLayer(), donor);
            return inner == f.getLayer() ? layer : named(new FrozenLayer(inner), layer);
        }
        // Exact classes: subclasses may compute something else (center loss, one-class NN...).
        if (layer.getClass() == OutputLayer.class) return dense((OutputLayer) layer);
        if (layer.getClass() == RnnOutputLayer.class) {
            RnnOutputLayer r = (RnnOutputLayer) layer;
            // Same weights (nIn, nOut) applied at every step, in the layer's own sequence layout.
            RNNFormat format = r.getRnnDataFormat() == null ? RNNFormat.NCW : r.getRnnDataFormat();
            return named(new TimeDistributed(dense(r), format), layer);
        }
        if (layer.getClass() == LossLayer.class) {
            return named(new ActivationLayer.Builder().activation(((LossLayer) layer).getActivationFn()).build(), layer);
        }
        boolean isOutput = layer instanceof BaseOutputLayer || layer instanceof LossLayer || layer instanceof RnnLossLayer
                || layer instanceof CnnLossLayer || layer instanceof Cnn3DLossLayer || layer instanceof Yolo2OutputLayer;
        if (isOutput) {
            throw new EngineException(donor + " ends in a " + layer.getClass().getSimpleName() + " ('" + layer.getLayerName()
                    + "'), which graft cannot place in the middle of a hybrid; supported there: OutputLayer, RnnOutputLayer, LossLayer");
        }
        return layer;
    }

    /** A DenseLayer with every property of the output layer except its loss. */
    private static DenseLayer dense(BaseOutputLayer o) {
        DenseLayer d = new DenseLayer();
        d.setLayerName(o.getLayerName());
        d.setNIn(o.getNIn());
        d.setNOut(o.getNOut());
        d.setHasBias(o.hasBias());
        d.setActivationFn(o.getActivationFn());
        d.setWeightInitFn(o.getWeightInitFn());
        d.setBiasInit(o.getBiasInit());
        d.setGainInit(o.getGainInit());
        d.setRegularization(o.getRegularization());
        d.setRegularizationBias(o.getRegularizationBias());
        d.setIUpdater(o.getIUpdater());
        d.setBiasUpdater(o.getBiasUpdater());
        d.setWeightNoise(o.getWeightNoise());
        d.setGradientNormalization(o.getGradientNormalization());
        d.setGradientNormalizationThreshold(o.getGradientNormalizationThreshold());
        d.setIDropout(o.getIDropout());
        d.setConstraints(o.getConstraints());
        return d;
    }

    private static Layer named(Layer l, Layer like) {
        l.setLayerName(like.getLayerName());
        return l;
    }
}
