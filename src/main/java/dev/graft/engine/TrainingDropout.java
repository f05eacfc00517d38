package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.engine.layers.ChannelAxisDropout;
import dev.graft.engine.layers.KerasGaussianDropout;
import dev.graft.engine.layers.NoiseShapeDropout;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;

/**
 * Keras's {@code Dropout(rate)} in a network built for training: DL4J's Keras import leaves the {@link DropoutLayer} keeping
 * every value (p = 1) whatever the rate, so training would pass everything on where Keras's fit drops. Each gets DL4J's
 * inverted dropout keeping a value with probability 1 - rate (scaling the kept ones by 1 / (1 - rate), as Keras). Only in
 * training: inference passes everything on either way. A {@code SpatialDropout1D/2D/3D} drops whole channels along the
 * axis the engine holds them in; a {@code noise_shape} draws one factor per element of its mask ({@code NoiseShapeDropout});
 * a {@code GaussianDropout} multiplies by Keras's N(1, sqrt(rate / (1 - rate))) factors; a recurrent layer's
 * {@code dropout} where Keras draws one mask for every step ({@link RecurrentInputDropout}) and a MultiHeadAttention's on
 * its attention weights are put on the engine's layers. {@code dev.graft.engine.train.TrainingNoise} checks them there and
 * refuses what this does not cover.
 */
final class TrainingDropout {
    private TrainingDropout() {
    }

    /**
     * @param model       the model as the engine imported it (normalized, layer names as the engine's vertices)
     * @param outputTypes each layer's output type as the engine's import inferred it (a SpatialDropout's is its input's)
     */
    static void apply(ComputationGraphConfiguration conf, ModelGraph model, java.util.Map<String, InputType> outputTypes) {
        for (Layer l : model.layers()) {
            recurrent(conf, l);
            attention(conf, l);
            if (l.className().startsWith("SpatialDropout")) {
                spatial(conf, l, outputTypes);
                continue;
            }
            if ("GaussianDropout".equals(l.className())) {
                gaussian(conf, l);
                continue;
            }
            if (!"Dropout".equals(l.className())) continue;
            double rate = rate(l.config(), l.config().has("rate") ? "rate" : "p"); // (Keras 1: p)
            DropoutLayer d = dropoutLayer(conf, l);
            if (rate < 0 || d == null) continue;
            JsonNode noise = l.config().get("noise_shape");
            if (noise == null || noise.isNull()) {
                d.setIDropout(new Dropout(1 - rate));
            } else {
                long[] shape = kerasShape(outputTypes == null ? null : outputTypes.get(l.name()));
                long[] ns = NoiseShapeDropout.parse(noise);
                // left as the import's (which TrainingNoise refuses) where Keras's shape or the noise shape cannot be read
                if (shape != null && ns != null && NoiseShapeDropout.broadcasts(ns, shape)) d.setIDropout(new NoiseShapeDropout(1 - rate, ns, shape));
            }
        }
    }

    /** Keras's shape of an array of this type, batch first (-1 where unknown), as the engine holds it; null when not known. */
    private static long[] kerasShape(InputType type) {
        long[] sample;
        if (type instanceof InputType.InputTypeFeedForward f) {
            sample = new long[] {f.getSize()};
        } else if (type instanceof InputType.InputTypeRecurrent r) {
            dev.graft.engine.layers.KerasSequenceAxes a = dev.graft.engine.layers.KerasSequenceAxes.of(r);
            sample = new long[] {a.axis1(), a.axis2()};
        } else {
            sample = dev.graft.engine.layers.KerasArrayAxes.of(type);
        }
        if (sample == null) return null;
        long[] out = new long[sample.length + 1];
        out[0] = -1;
        for (int i = 0; i < sample.length; i++) out[i + 1] = sample[i] > 0 ? sample[i] : -1;
        return out;
    }

    /**
     * A SpatialDropout's whole channels dropped along the axis the engine holds them in ({@link ChannelAxisDropout}), read
     * from the type of the tensor the layer passes on; left as DL4J's (which {@code TrainingNoise} refuses) where it is unknown.
     */
    private static void spatial(ComputationGraphConfiguration conf, Layer l, java.util.Map<String, InputType> outputTypes) {
        double rate = rate(l.config(), "rate");
        DropoutLayer d = dropoutLayer(conf, l);
        if (rate < 0 || d == null) return;
        int axis = channelAxis(outputTypes == null ? null : outputTypes.get(l.name()));
        if (axis > 0) d.setIDropout(new ChannelAxisDropout(1 - rate, axis));
    }

    /**
     * A recurrent layer's {@code dropout} (or its Bidirectional's inner layer's), where Keras draws one mask for every
     * step: {@link RecurrentInputDropout}. Left as the import's otherwise (which TrainingNoise refuses).
     */
    private static void recurrent(ComputationGraphConfiguration conf, Layer l) {
        JsonNode config = l.config();
        // (the engine's model hands DL4J some SimpleRNNs under graft's own class)
        String cls = dev.graft.engine.keras.KerasSimpleRnnImport.KERAS_CLASS.equals(l.className()) ? "SimpleRNN" : l.className();
        if ("Bidirectional".equals(cls) && config.path("layer").isObject()) {
            cls = config.path("layer").path("class_name").asText();
            config = config.path("layer").path("config");
            JsonNode back = l.config().path("backward_layer").path("config");
            if (!back.isMissingNode() && !back.path("dropout").equals(config.path("dropout"))) return;
        }
        double rate = rate(config, "dropout");
        if (rate < 0 || RecurrentInputDropout.oneMask(cls, config) != null) return;
        GraphVertex v = conf.getVertices().get(l.name());
        if (v != null) RecurrentInputDropout.apply(v, rate);
    }

    /** A MultiHeadAttention's {@code dropout} on its attention weights ({@link dev.graft.engine.layers.AttentionDropoutVertexRuntime}). */
    private static void attention(ComputationGraphConfiguration conf, Layer l) {
        if (!"MultiHeadAttention".equals(l.className()) && !dev.graft.engine.keras.KerasMultiHeadAttentionImport.KERAS_CLASS.equals(l.className())) return;
        double rate = rate(l.config(), "dropout");
        if (rate > 0 && conf.getVertices().get(l.name()) instanceof dev.graft.engine.layers.KerasMultiHeadAttentionVertex v) v.setTrainingDropout(rate);
    }

    /** Keras's GaussianDropout: each value times its own N(1, sqrt(rate / (1 - rate))) factor ({@link KerasGaussianDropout}). */
    private static void gaussian(ComputationGraphConfiguration conf, Layer l) {
        double rate = rate(l.config(), "rate");
        DropoutLayer d = dropoutLayer(conf, l);
        if (rate > 0 && d != null) d.setIDropout(new KerasGaussianDropout(rate));
    }

    /** The config's rate under {@code key} when it drops anything, in (0, 1); else -1 (absent, 0, or not a rate). */
    private static double rate(JsonNode config, String key) {
        JsonNode rate = config.get(key);
        return rate != null && rate.isNumber() && rate.asDouble() > 0 && rate.asDouble() < 1 ? rate.asDouble() : -1;
    }

    /** The engine's DropoutLayer for the Keras layer, or null when the engine computes it with another vertex. */
    private static DropoutLayer dropoutLayer(ComputationGraphConfiguration conf, Layer l) {
        return conf.getVertices().get(l.name()) instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof DropoutLayer d ? d : null;
    }

    /** The channel axis of a tensor of this type as the engine holds it (batch 0), or -1 when not known. */
    private static int channelAxis(InputType type) {
        if (type instanceof InputType.InputTypeRecurrent r) return r.getFormat() == RNNFormat.NWC ? 2 : 1;
        if (type instanceof InputType.InputTypeConvolutional c) return c.getFormat() == CNN2DFormat.NHWC ? 3 : 1;
        if (type instanceof InputType.InputTypeConvolutional3D c) return c.getDataFormat() == Convolution3D.DataFormat.NDHWC ? 4 : 1;
        return -1;
    }

}
