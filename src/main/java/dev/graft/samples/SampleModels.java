package dev.graft.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import dev.graft.surgery.KerasLayerFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seed examples as Keras models: the pairs of the Keras recipe graft automates, and a
 * time-series pair (a Conv1D feature extractor and an LSTM model whose input does not match the
 * extractor's output). Weights are Keras's default initial weights from fixed seeds.
 */
public final class SampleModels {
    private SampleModels() {
    }

    /** File name (without extension) to model, in a fixed order. */
    public static Map<String, ModelGraph> all() {
        Map<String, ModelGraph> m = new LinkedHashMap<>();
        m.put("example1_first", mlp("example1_first", 10, 1, new int[] {64, 32}, new String[] {"relu", "relu"}, false));
        m.put("example1_second", mlp("example1_second", 32, 2, new int[] {16, 1}, new String[] {"relu", "sigmoid"}, true));
        m.put("example2_first", mlp("example2_first", 10, 3, new int[] {64, 8}, new String[] {"relu", "relu"}, false));
        m.put("example2_second", mlp("example2_second", 8, 4, new int[] {1}, new String[] {"sigmoid"}, true));
        m.put("example3_first", mlp("example3_first", 10, 5, new int[] {128, 64}, new String[] {"relu", "relu"}, false));
        m.put("example3_second", mlp("example3_second", 32, 6, new int[] {16, 1}, new String[] {"relu", "sigmoid"}, true));
        m.put("ts_extractor", tsExtractor());
        m.put("ts_lstm", tsLstm("ts_lstm", 16, 8));
        m.put("ts_lstm32", tsLstm("ts_lstm32", 32, 9));
        m.put("ts_gru", tsGru());
        m.put("two_heads", twoHeads());
        return m;
    }

    /** A Dense chain; names are prefixed by the model so that hybrids of samples never collide by accident... except where they should. */
    static ModelGraph mlp(String name, long inputs, long seed, int[] units, String[] activations, boolean compiled) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, inputs));
        layers.add(in);
        TensorRef prev = TensorRef.of(in.name());
        long width = inputs;
        for (int i = 0; i < units.length; i++) {
            Layer d = KerasLayerFactory.dense("dense" + (i == 0 ? "" : "_" + i), units[i], activations[i], width, prev, rng);
            layers.add(d);
            prev = TensorRef.of(d.name());
            width = units[i];
        }
        return model(name, layers, prev, compiled ? classifierTraining() : null);
    }

    /** Conv1D(16, 3, same, relu) + MaxPooling1D(2) on 32 steps x 4 channels: output (16, 16). */
    static ModelGraph tsExtractor() {
        SplittableRandom rng = new SplittableRandom(7);
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, 32L, 4L));
        Layer conv = KerasLayerFactory.conv1d("conv1d", 16, 3, "same", "relu", 4, TensorRef.of(in.name()), rng);
        Layer pool = KerasLayerFactory.maxPooling1d("max_pooling1d", 2, TensorRef.of(conv.name()));
        return model("ts_extractor", List.of(in, conv, pool), TensorRef.of(pool.name()), null);
    }

    /**
     * LSTM(32) reading {@code steps} x 8 features, then Dense(1, sigmoid). Neither fits the
     * extractor's (16, 16) directly: 16 steps need a {@code dense:8} bridge, 32 steps a {@code reshape}.
     */
    static ModelGraph tsLstm(String name, long steps, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, steps, 8L));
        Layer lstm = KerasLayerFactory.lstm("lstm", 32, false, 8, TensorRef.of(in.name()), rng);
        Layer out = KerasLayerFactory.dense("dense", 1, "sigmoid", 32, TensorRef.of(lstm.name()), rng);
        return model(name, List.of(in, lstm, out), TensorRef.of(out.name()), classifierTraining());
    }

    /** GRU(16) reading the extractor's (16, 16) directly, then Dense(1, sigmoid): the GRU donor of the samples. */
    static ModelGraph tsGru() {
        SplittableRandom rng = new SplittableRandom(10);
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, 16L, 16L));
        Layer gru = KerasLayerFactory.gru("gru", 16, false, 16, TensorRef.of(in.name()), rng);
        Layer out = KerasLayerFactory.dense("dense", 1, "sigmoid", 16, TensorRef.of(gru.name()), rng);
        return model("ts_gru", List.of(in, gru, out), TensorRef.of(out.name()), classifierTraining());
    }

    /**
     * Two inputs and two outputs, as a Keras functional model: {@code numbers} (6 values) and {@code flags}
     * (4 values) concatenated, a shared Dense(16, relu), then {@code positive} (Dense(1, sigmoid)) and
     * {@code kind} (Dense(3, softmax)); compiled with a loss per output (binary and categorical cross-entropy).
     */
    static ModelGraph twoHeads() {
        SplittableRandom rng = new SplittableRandom(11);
        Layer numbers = KerasLayerFactory.input("numbers", Arrays.asList(null, 6L));
        Layer flags = KerasLayerFactory.input("flags", Arrays.asList(null, 4L));
        Layer both = KerasLayerFactory.concatenate("concatenate", List.of(TensorRef.of("numbers"), TensorRef.of("flags")));
        Layer shared = KerasLayerFactory.dense("shared", 16, "relu", 10, TensorRef.of(both.name()), rng);
        Layer positive = KerasLayerFactory.dense("positive", 1, "sigmoid", 16, TensorRef.of(shared.name()), rng);
        Layer kind = KerasLayerFactory.dense("kind", 3, "softmax", 16, TensorRef.of(shared.name()), rng);
        ObjectNode tc = classifierTraining();
        ObjectNode loss = tc.putObject("loss");
        loss.put("positive", "binary_crossentropy");
        loss.put("kind", "categorical_crossentropy");
        ObjectNode metrics = tc.putObject("metrics");
        metrics.putArray("positive").add("accuracy");
        metrics.putArray("kind").add("accuracy");
        tc.putNull("loss_weights");
        SourceInfo src = new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1);
        return new ModelGraph("two_heads", "Model", List.of(numbers, flags, both, shared, positive, kind),
                List.of(TensorRef.of("numbers"), TensorRef.of("flags")), List.of(TensorRef.of("positive"), TensorRef.of("kind")), tc, null, src);
    }

    private static ModelGraph model(String name, List<Layer> layers, TensorRef output, ObjectNode training) {
        SourceInfo src = new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1);
        return new ModelGraph(name, "Model", layers, List.of(TensorRef.of("input")), List.of(output), training, null, src);
    }

    /** What {@code model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])} records. */
    static ObjectNode classifierTraining() {
        ObjectNode tc = Json.object();
        tc.put("loss", "binary_crossentropy");
        tc.putArray("metrics").add("accuracy");
        ObjectNode opt = tc.putObject("optimizer_config");
        opt.put("class_name", "Adam");
        ObjectNode c = opt.putObject("config");
        c.put("name", "Adam");
        c.put("learning_rate", 0.001);
        c.put("beta_1", 0.9);
        c.put("beta_2", 0.999);
        c.put("epsilon", 1e-07);
        c.put("amsgrad", false);
        return tc;
    }
}
