package dev.graft.surgery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * New Keras layers with Keras 2 configurations and Keras's default initial weights: the bridges
 * {@code merge} inserts, and the layers of the sample models.
 */
public final class KerasLayerFactory {
    private KerasLayerFactory() {
    }

    public static Layer input(String name, List<Long> batchShape) {
        ObjectNode c = Json.object();
        var shape = c.putArray("batch_input_shape");
        for (Long d : batchShape) {
            if (d == null) shape.addNull();
            else shape.add(d);
        }
        c.put("dtype", "float32");
        c.put("sparse", false);
        c.put("ragged", false);
        c.put("name", name);
        return new Layer(name, "InputLayer", c, List.of(), List.of(), null);
    }

    /** Dense(units, activation) on an input whose last axis has {@code inputDim} features. */
    public static Layer dense(String name, int units, String activation, long inputDim, TensorRef input, SplittableRandom rng) {
        ObjectNode c = base(name);
        c.put("units", units);
        c.put("activation", activation);
        c.put("use_bias", true);
        c.set("kernel_initializer", initializer("GlorotUniform"));
        c.set("bias_initializer", initializer("Zeros"));
        nullFields(c, "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint");
        List<Weight> w = List.of(
                weight(name, "kernel", new long[] {inputDim, units}, Initializers.glorotUniform(inputDim, units, Math.toIntExact(inputDim * units), rng)),
                weight(name, "bias", new long[] {units}, new float[units]));
        return new Layer(name, "Dense", c, calls(input), w, null);
    }

    /**
     * Keras's Dense applied to every step of a sequence, written as the identical Conv1D with
     * kernel size 1: DL4J's importer turns a Dense on a sequence into a layer that drops the time
     * axis, and a file graft writes must import there too. Its kernel (1, in, units) holds the
     * Dense kernel (in, units) as is, drawn from the same Glorot-uniform limit.
     */
    public static Layer densePerStep(String name, int units, String activation, long inputDim, TensorRef input, SplittableRandom rng) {
        return conv1d(name, units, 1, "valid", activation, inputDim, input, rng);
    }

    /** Conv1D(filters, kernelSize, padding, activation), channels last. */
    public static Layer conv1d(String name, int filters, int kernelSize, String padding, String activation, long channels,
                               TensorRef input, SplittableRandom rng) {
        ObjectNode c = base(name);
        c.put("filters", filters);
        c.putArray("kernel_size").add(kernelSize);
        c.putArray("strides").add(1);
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        c.putArray("dilation_rate").add(1);
        c.put("groups", 1);
        c.put("activation", activation);
        c.put("use_bias", true);
        c.set("kernel_initializer", initializer("GlorotUniform"));
        c.set("bias_initializer", initializer("Zeros"));
        nullFields(c, "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint");
        long fanIn = kernelSize * channels;
        long fanOut = (long) kernelSize * filters;
        int count = Math.toIntExact(kernelSize * channels * filters);
        List<Weight> w = List.of(
                weight(name, "kernel", new long[] {kernelSize, channels, filters}, Initializers.glorotUniform(fanIn, fanOut, count, rng)),
                weight(name, "bias", new long[] {filters}, new float[filters]));
        return new Layer(name, "Conv1D", c, calls(input), w, null);
    }

    public static Layer maxPooling1d(String name, int poolSize, TensorRef input) {
        ObjectNode c = base(name);
        c.putArray("pool_size").add(poolSize);
        c.put("padding", "valid");
        c.putArray("strides").add(poolSize);
        c.put("data_format", "channels_last");
        return new Layer(name, "MaxPooling1D", c, calls(input), List.of(), null);
    }

    /** LSTM(units) as Keras 2 creates it: Glorot kernel, orthogonal recurrent kernel, forget-gate bias 1. */
    public static Layer lstm(String name, int units, boolean returnSequences, long inputDim, TensorRef input, SplittableRandom rng) {
        ObjectNode c = recurrent(name, units, returnSequences);
        c.put("unit_forget_bias", true);
        int gates = 4 * units;
        float[] bias = new float[gates];
        for (int i = units; i < 2 * units; i++) bias[i] = 1f; // gate order i, f, c, o
        List<Weight> w = List.of(
                weight(name, "kernel", new long[] {inputDim, gates}, Initializers.glorotUniform(inputDim, gates, Math.toIntExact(inputDim * gates), rng)),
                weight(name, "recurrent_kernel", new long[] {units, gates}, Initializers.orthogonal(units, gates, rng)),
                weight(name, "bias", new long[] {gates}, bias));
        return new Layer(name, "LSTM", c, calls(input), w, null);
    }

    /** GRU(units) as Keras 2.3+ and Keras 3 create it: reset_after, bias (2, 3 units), Glorot kernel, orthogonal recurrent kernel. */
    public static Layer gru(String name, int units, boolean returnSequences, long inputDim, TensorRef input, SplittableRandom rng) {
        ObjectNode c = recurrent(name, units, returnSequences);
        c.put("reset_after", true);
        int gates = 3 * units;
        List<Weight> w = List.of(
                weight(name, "kernel", new long[] {inputDim, gates}, Initializers.glorotUniform(inputDim, gates, Math.toIntExact(inputDim * gates), rng)),
                weight(name, "recurrent_kernel", new long[] {units, gates}, Initializers.orthogonal(units, gates, rng)),
                weight(name, "bias", new long[] {2, gates}, new float[2 * gates]));
        return new Layer(name, "GRU", c, calls(input), w, null);
    }

    /** Reshape to a per-sample target shape (no weights). */
    public static Layer reshape(String name, List<Long> targetShape, TensorRef input) {
        ObjectNode c = base(name);
        var t = c.putArray("target_shape");
        targetShape.forEach(t::add);
        return new Layer(name, "Reshape", c, calls(input), List.of(), null);
    }

    /** Flatten, channels last: every per-sample dimension into one, row-major (no weights). */
    public static Layer flatten(String name, TensorRef input) {
        ObjectNode c = base(name);
        c.put("data_format", "channels_last");
        return new Layer(name, "Flatten", c, calls(input), List.of(), null);
    }

    /** Concatenate along the last axis of its inputs (no weights). */
    public static Layer concatenate(String name, List<TensorRef> inputs) {
        ObjectNode c = base(name);
        c.put("axis", -1);
        List<LayerCall> calls = new ArrayList<>();
        calls.add(new LayerCall(inputs, Json.object()));
        return new Layer(name, "Concatenate", c, calls, List.of(), null);
    }

    /** Dropout(rate): the identity when predicting (no weights). */
    public static Layer dropout(String name, double rate, TensorRef input) {
        ObjectNode c = base(name);
        c.put("rate", rate);
        c.putNull("noise_shape");
        c.putNull("seed");
        return new Layer(name, "Dropout", c, calls(input), List.of(), null);
    }

    /** GlobalAveragePooling{N}D or GlobalMaxPooling{N}D over the steps or positions, channels last (no weights). */
    public static Layer globalPooling(String name, boolean max, int spatialDims, TensorRef input) {
        ObjectNode c = base(name);
        c.put("data_format", "channels_last");
        c.put("keepdims", false);
        return new Layer(name, (max ? "GlobalMaxPooling" : "GlobalAveragePooling") + spatialDims + "D", c, calls(input), List.of(), null);
    }

    /** What Keras's LSTM and GRU configs share, with Keras's defaults. */
    private static ObjectNode recurrent(String name, int units, boolean returnSequences) {
        ObjectNode c = base(name);
        c.put("return_sequences", returnSequences);
        c.put("return_state", false);
        c.put("go_backwards", false);
        c.put("stateful", false);
        c.put("unroll", false);
        c.put("units", units);
        c.put("activation", "tanh");
        c.put("recurrent_activation", "sigmoid");
        c.put("use_bias", true);
        c.set("kernel_initializer", initializer("GlorotUniform"));
        c.set("recurrent_initializer", initializer("Orthogonal"));
        c.set("bias_initializer", initializer("Zeros"));
        nullFields(c, "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                "kernel_constraint", "recurrent_constraint", "bias_constraint");
        c.put("dropout", 0.0);
        c.put("recurrent_dropout", 0.0);
        c.put("implementation", 2);
        return c;
    }

    private static ObjectNode base(String name) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put("trainable", true);
        c.put("dtype", "float32");
        return c;
    }

    private static ObjectNode initializer(String className) {
        ObjectNode i = Json.object();
        i.put("class_name", className);
        ObjectNode config = i.putObject("config");
        if (!"Zeros".equals(className)) config.putNull("seed");
        if ("Orthogonal".equals(className)) config.put("gain", 1.0);
        return i;
    }

    private static void nullFields(ObjectNode c, String... names) {
        for (String n : names) c.putNull(n);
    }

    private static Weight weight(String layer, String role, long[] shape, float[] values) {
        return Weight.inMemory(layer + "/" + role + ":0", HostArray.ofFloats(shape, values), true);
    }

    private static List<LayerCall> calls(TensorRef input) {
        List<LayerCall> calls = new ArrayList<>();
        calls.add(new LayerCall(List.of(input), Json.object()));
        return calls;
    }
}
