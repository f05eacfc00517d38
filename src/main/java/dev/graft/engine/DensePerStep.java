package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasDensePerStepImport;
import dev.graft.model.Layer;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands the engine's import plug-in ({@link KerasDensePerStepImport}) the layers that apply one
 * Dense to every step of a sequence: Keras's {@code Dense} on a {@code (batch, steps, features)}
 * input, and the identical channels-last {@code Conv1D} with kernel size 1 and stride 1 (the form
 * {@code graft merge} writes a per-step bridge in, so that DL4J's own import reads the file too).
 *
 * <p>Both used to be computed as DL4J's channels-last Conv1D, whose backward pass is broken in
 * DL4J 1.0.0-M2.1 ("CONV1D_BP OP: wrong shape of output gradients"): such a layer could predict but
 * not train. The plug-in computes them as {@code TimeDistributed(DenseLayer)}.
 */
final class DensePerStep {
    private DensePerStep() {
    }

    /** Keras's Dense whose input has rank 3. */
    static boolean appliesToDense(Layer layer, int inputRank) {
        return "Dense".equals(layer.className()) && inputRank == 3;
    }

    /**
     * A Conv1D that is a Dense on every step: channels last, one kernel tap, stride 1, no groups.
     * Padding and dilation change nothing with a single tap (valid, same and causal all keep every step).
     */
    static boolean appliesToConv1D(Layer layer) {
        ObjectNode c = layer.config();
        return "Conv1D".equals(layer.className())
                && "channels_last".equals(c.path("data_format").asText("channels_last"))
                && single(c, "kernel_size") && single(c, "strides")
                && c.path("groups").asInt(1) == 1;
    }

    /** A size field (a number or a one-element list) equal to 1. */
    private static boolean single(ObjectNode c, String field) {
        var v = c.path(field);
        if (v.isArray()) return v.size() == 1 && v.get(0).asInt(-1) == 1;
        return v.isInt() && v.asInt() == 1;
    }

    /** A Dense on a sequence, under the plug-in's class name; configuration and weights stay Keras's. */
    static Layer fromDense(Layer dense) {
        return new Layer(dense.name(), KerasDensePerStepImport.KERAS_CLASS, dense.config(), dense.calls(), dense.weights(), null,
                dense.declaredOutputShapes());
    }

    /**
     * A Dense on a sequence as the identical Conv1D with kernel size 1, in DL4J's stock classes: what
     * the engine computes when nothing trains, so that zips of the network open without graft. Its
     * kernel (1, in, units) holds the Dense kernel (in, units) as it is.
     */
    static Layer asConv1D(Layer dense) {
        ObjectNode d = dense.config();
        ObjectNode c = d.objectNode();
        c.put("name", dense.name());
        c.put("trainable", dense.trainable());
        c.put("dtype", d.path("dtype").asText("float32"));
        c.put("filters", d.path("units").asInt());
        c.putArray("kernel_size").add(1);
        c.putArray("strides").add(1);
        c.put("padding", "valid");
        c.put("data_format", "channels_last");
        c.putArray("dilation_rate").add(1);
        c.put("activation", d.path("activation").asText("linear"));
        c.put("use_bias", d.path("use_bias").asBoolean(true));
        for (String k : new String[] {"kernel_initializer", "bias_initializer"}) {
            ObjectNode z = c.putObject(k);
            z.put("class_name", "Zeros");
            z.putObject("config");
        }
        List<dev.graft.model.Weight> weights = new java.util.ArrayList<>();
        for (dev.graft.model.Weight w : dense.weights()) {
            if (!"kernel".equals(w.role())) {
                weights.add(w);
                continue;
            }
            long[] s = w.shape();
            weights.add(new dev.graft.model.Weight(w.name(), new long[] {1, s[0], s[1]}, w.dtype(), w.trainable(),
                    () -> w.read().reshape(1, s[0], s[1])));
        }
        return new Layer(dense.name(), "Conv1D", c, dense.calls(), weights, null);
    }

    /**
     * The Dense that a kernel-size-1 Conv1D is: units = filters, the same activation, bias,
     * regularisers and constraints, and the kernel {@code (1, in, units)} read as {@code (in, units)}.
     */
    static Layer fromConv1D(Layer conv) {
        ObjectNode k = conv.config();
        ObjectNode c = k.objectNode();
        c.put("name", conv.name());
        c.put("trainable", conv.trainable());
        c.set("dtype", k.has("dtype") ? k.get("dtype").deepCopy() : c.textNode("float32"));
        c.put("units", k.path("filters").asInt());
        c.put("activation", k.path("activation").asText("linear"));
        c.put("use_bias", k.path("use_bias").asBoolean(true));
        for (String f : new String[] {"kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
                "activity_regularizer", "kernel_constraint", "bias_constraint"}) {
            if (k.has(f)) c.set(f, k.get(f).deepCopy());
        }
        List<Weight> weights = new ArrayList<>();
        for (Weight w : conv.weights()) {
            long[] s = w.shape();
            if (!"kernel".equals(w.role()) || s.length != 3 || s[0] != 1) {
                weights.add(w);
                continue;
            }
            weights.add(new Weight(w.name(), new long[] {s[1], s[2]}, w.dtype(), w.trainable(), () -> w.read().reshape(s[1], s[2])));
        }
        return new Layer(conv.name(), KerasDensePerStepImport.KERAS_CLASS, c, conv.calls(), weights, null, conv.declaredOutputShapes());
    }
}
