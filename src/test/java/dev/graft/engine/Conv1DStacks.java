package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.format.ModelFiles;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import dev.graft.surgery.KerasLayerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small Keras models of Conv1D layers, in the Keras 2 configuration form {@link KerasLayerFactory}
 * writes, with random weights and random (non-zero) biases, so that a mix-up of axes, of kernel
 * taps or of the bias shows in the numbers.
 */
final class Conv1DStacks {
    private final SplittableRandom rng;
    private final List<Layer> layers = new ArrayList<>();

    /** A chain that starts with an input of the given per-sample shape; null is a size Keras leaves open. */
    Conv1DStacks(long seed, Long axis1, Long axis2) {
        rng = new SplittableRandom(seed);
        layers.add(KerasLayerFactory.input("input", Arrays.asList(null, axis1, axis2)));
    }

    /** Appends Conv1D; {@code inChannels} is what Keras takes as channels of the current output. */
    Conv1DStacks conv1d(String name, String dataFormat, long inChannels, int filters, int k, int stride, int dilation,
                        String padding, String activation, boolean useBias) {
        ObjectNode c = base(name);
        c.put("filters", filters);
        c.putArray("kernel_size").add(k);
        c.putArray("strides").add(stride);
        c.put("padding", padding);
        c.put("data_format", dataFormat);
        c.putArray("dilation_rate").add(dilation);
        c.put("activation", activation);
        c.put("use_bias", useBias);
        c.set("kernel_initializer", glorot(c));
        c.set("bias_initializer", zeros(c));
        List<Weight> w = new ArrayList<>();
        w.add(random(name + "/kernel:0", new long[] {k, inChannels, filters}));
        if (useBias) w.add(random(name + "/bias:0", new long[] {filters}));
        return append(new Layer(name, "Conv1D", c, call(), w, null));
    }

    /** Appends Keras's MaxPooling1D or AveragePooling1D ({@code className}), channels last. */
    Conv1DStacks pool1d(String name, String className, int poolSize, int stride, String padding) {
        ObjectNode c = base(name);
        c.putArray("pool_size").add(poolSize);
        c.putArray("strides").add(stride);
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        return append(new Layer(name, className, c, call(), List.of(), null));
    }

    /** Appends Keras's Reshape to the given per-sample shape. */
    Conv1DStacks reshape(String name, long... targetShape) {
        ObjectNode c = base(name);
        var t = c.putArray("target_shape");
        for (long d : targetShape) t.add(d);
        return append(new Layer(name, "Reshape", c, call(), List.of(), null));
    }

    /** Keras's Flatten with its default data_format (channels_last): row-major, no transposition. */
    Conv1DStacks flatten(String name) {
        ObjectNode c = base(name);
        c.put("data_format", "channels_last");
        return append(new Layer(name, "Flatten", c, call(), List.of(), null));
    }

    Conv1DStacks dense(String name, long inputDim, int units, String activation) {
        ObjectNode c = base(name);
        c.put("units", units);
        c.put("activation", activation);
        c.put("use_bias", true);
        c.set("kernel_initializer", glorot(c));
        c.set("bias_initializer", zeros(c));
        return append(new Layer(name, "Dense", c, call(),
                List.of(random(name + "/kernel:0", new long[] {inputDim, units}), random(name + "/bias:0", new long[] {units})), null));
    }

    ModelGraph model() {
        Layer last = layers.get(layers.size() - 1);
        return new ModelGraph("stack", "Model", layers, List.of(TensorRef.of("input")), List.of(TensorRef.of(last.name())), null, null, null);
    }

    /** The layers after the input, in order. */
    List<Layer> computing() {
        return layers.subList(1, layers.size());
    }

    /** The model as a file would bring it: written as Keras 2 .h5 by graft and read back. */
    ModelGraph writtenAndRead(Path dir) throws IOException {
        Path file = dir.resolve("stack.h5");
        KerasH5Writer.write(model(), file);
        return ModelFiles.read(file);
    }

    /** Uniform random input in [-1, 1) of shape (batch, axis1, axis2); sizes the input layer leaves open are {@code open}. */
    HostArray input(long batch, long open) {
        var dims = layers.get(0).config().path("batch_input_shape");   // [null, axis1, axis2]
        long a1 = dims.get(1).isNull() ? open : dims.get(1).asLong();
        long a2 = dims.get(2).isNull() ? open : dims.get(2).asLong();
        return randomArray(new long[] {batch, a1, a2});
    }

    /** Keras's result, computed layer by layer by {@link ReferenceKeras}. */
    HostArray reference(HostArray x) {
        HostArray y = x;
        for (Layer l : computing()) y = ReferenceKeras.apply(l, y);
        return y;
    }

    private Conv1DStacks append(Layer layer) {
        layers.add(layer);
        return this;
    }

    private List<LayerCall> call() {
        return List.of(new LayerCall(List.of(TensorRef.of(layers.get(layers.size() - 1).name())), Json.object()));
    }

    private Weight random(String name, long[] shape) {
        return Weight.inMemory(name, randomArray(shape), true);
    }

    private HostArray randomArray(long[] shape) {
        float[] v = new float[Math.toIntExact(HostArray.size(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return HostArray.ofFloats(shape, v);
    }

    private static ObjectNode base(String name) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put("trainable", true);
        c.put("dtype", "float32");
        return c;
    }

    private static ObjectNode glorot(ObjectNode c) {
        ObjectNode i = c.objectNode();
        i.put("class_name", "GlorotUniform");
        i.putObject("config").putNull("seed");
        return i;
    }

    private static ObjectNode zeros(ObjectNode c) {
        ObjectNode i = c.objectNode();
        i.put("class_name", "Zeros");
        i.putObject("config");
        return i;
    }
}
