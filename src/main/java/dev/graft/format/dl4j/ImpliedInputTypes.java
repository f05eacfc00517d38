package dev.graft.format.dl4j;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToCnnPreProcessor;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;

/**
 * What a saved configuration itself says about the tensor entering a layer, for when it cannot be
 * followed from the network's input. DL4J zips do not store the network's input type, so these
 * are the only sources: a preprocessor that records the image size it reshapes, and the
 * {@code nIn} of a layer whose input kind is unambiguous.
 *
 * <p>Deliberately conservative: a layer not listed here (convolutions, whose image size is not
 * stored; batch normalization, which takes either kind; anything unknown) implies nothing.
 */
final class ImpliedInputTypes {
    private ImpliedInputTypes() {
    }

    /** The input type a layer's {@code nIn} implies, or null when it implies none. */
    static InputType fromLayer(Layer layer) {
        if (layer instanceof FrozenLayer f) return fromLayer(f.getLayer());
        if (layer instanceof FrozenLayerWithBackprop f) return fromLayer(f.getUnderlying());
        if (layer instanceof LastTimeStep l) return recurrentOnly(fromLayer(l.getUnderlying()));
        if (layer instanceof MaskZeroLayer m) return recurrentOnly(fromLayer(m.getUnderlying()));
        if (layer instanceof TimeDistributed t) {
            // Applies a feed-forward layer to every step of a sequence.
            InputType inner = fromLayer(t.getUnderlying());
            return inner instanceof InputType.InputTypeFeedForward ff ? InputType.recurrent(ff.getSize()) : null;
        }
        if (layer instanceof Bidirectional b) return b.getNIn() > 0 ? InputType.recurrent(b.getNIn()) : null;
        if (layer instanceof BaseRecurrentLayer || layer instanceof RnnOutputLayer) {
            long nIn = ((FeedForwardLayer) layer).getNIn();
            return nIn > 0 ? InputType.recurrent(nIn) : null;
        }
        // An embedding's nIn is its vocabulary; its input is one index per example.
        if (layer instanceof EmbeddingLayer) return InputType.feedForward(1);
        boolean feedForward = layer instanceof DenseLayer || layer instanceof BaseOutputLayer || layer instanceof AutoEncoder
                || layer instanceof VariationalAutoencoder || layer instanceof ElementWiseMultiplicationLayer;
        if (feedForward) {
            long nIn = ((FeedForwardLayer) layer).getNIn();
            return nIn > 0 ? InputType.feedForward(nIn) : null;
        }
        return null;
    }

    /** The input type a preprocessor's recorded sizes imply for the tensor it receives, or null. */
    static InputType enteringPreProcessor(InputPreProcessor p) {
        if (p instanceof CnnToFeedForwardPreProcessor c && positive(c.getInputHeight(), c.getInputWidth(), c.getNumChannels())) {
            return InputType.convolutional(c.getInputHeight(), c.getInputWidth(), c.getNumChannels(), c.getFormat());
        }
        if (p instanceof CnnToRnnPreProcessor c && positive(c.getInputHeight(), c.getInputWidth(), c.getNumChannels())) {
            return InputType.convolutional(c.getInputHeight(), c.getInputWidth(), c.getNumChannels());
        }
        if (p instanceof FeedForwardToCnnPreProcessor f && positive(f.getInputHeight(), f.getInputWidth(), f.getNumChannels())) {
            return InputType.feedForward(f.getInputHeight() * f.getInputWidth() * f.getNumChannels());
        }
        if (p instanceof RnnToCnnPreProcessor r && positive(r.getInputHeight(), r.getInputWidth(), r.getNumChannels())) {
            return InputType.recurrent((long) r.getInputHeight() * r.getInputWidth() * r.getNumChannels());
        }
        return null;
    }

    /**
     * False when a type computed for a layer's input contradicts the layer's own {@code nIn}. Old
     * zips can disagree with themselves (a preprocessor recording one image size, the next layer's
     * nIn another); the layer's nIn is what its weights were made for, so it wins.
     */
    static boolean agrees(InputType computed, Layer layer) {
        InputType own = fromLayer(layer);
        if (own == null || computed == null) return true;
        if (own instanceof InputType.InputTypeRecurrent r) {
            return computed instanceof InputType.InputTypeRecurrent c && c.getSize() == r.getSize();
        }
        InputType.InputTypeFeedForward ff = (InputType.InputTypeFeedForward) own;
        boolean flat = computed instanceof InputType.InputTypeFeedForward || computed instanceof InputType.InputTypeConvolutionalFlat;
        return flat && computed.arrayElementsPerExample() == ff.getSize();
    }

    private static InputType recurrentOnly(InputType t) {
        return t instanceof InputType.InputTypeRecurrent ? t : null;
    }

    private static boolean positive(long... dims) {
        for (long d : dims) {
            if (d <= 0) return false;
        }
        return true;
    }
}
