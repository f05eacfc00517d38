package dev.graft.format.dl4j;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Corrections to {@code getOutputType} where DL4J 1.0.0-M2.1 declares a type its own layer does
 * not produce, so declared shapes match what the network computes.
 */
final class OutputTypeFixes {
    private OutputTypeFixes() {
    }

    static InputType apply(Layer layer, InputType in, InputType declared) {
        // M2.1's GlobalPoolingLayer returns a sequence input type unchanged, but the layer pools over
        // time: [batch, size] with collapseDimensions (the default), else [batch, size, 1].
        if (layer instanceof GlobalPoolingLayer g && in instanceof InputType.InputTypeRecurrent r
                && declared instanceof InputType.InputTypeRecurrent) {
            return g.isCollapseDimensions() ? InputType.feedForward(r.getSize()) : InputType.recurrent(r.getSize(), 1, r.getFormat());
        }
        return declared;
    }
}
