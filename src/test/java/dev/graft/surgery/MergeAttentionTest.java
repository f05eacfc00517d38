package dev.graft.surgery;

import static dev.graft.surgery.HybridChecks.predict;
import static dev.graft.surgery.HybridChecks.randomInput;
import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.cli.Cli;
import dev.graft.data.NpyWriter;
import dev.graft.format.ModelFiles;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras-made models with graft's attention and bidirectional layers (an LSTM into self-Attention; a Bidirectional(GRU)
 * averaging its halves into a causal AdditiveAttention: {@code keras-reference/attention}; a MultiHeadAttention whose output
 * and returned scores both feed the head: {@code keras-reference/attention-scores}) merged behind a frozen Conv1D
 * extractor: the hybrid computes the chained donors, and {@code graft train} teaches the attention model's layers a
 * regression target while the extractor stays bit for bit.
 */
class MergeAttentionTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"attention/lstm_attention.h5, 10, 4, 'lstm,attention,score', 1",
            "attention/bigru_ave_additive.keras, 6, 3, 'bigru,additive,head', 2",
            "attention-scores/mha_scores_head.keras, 10, 4, 'mha,head_out,head_scores', 2"})
    void attentionModelTrainsBehindAFrozenExtractor(String file, long steps, long features, String trainable, long outputs) throws Exception {
        Path extractor = dir.resolve("extractor.h5");
        SplittableRandom rng = new SplittableRandom(21);
        Layer in = KerasLayerFactory.input("signal", Arrays.asList(null, steps + 2, 3L));
        Layer conv = KerasLayerFactory.conv1d("features", (int) features, 3, "valid", "tanh", 3, TensorRef.of("signal"), rng);
        KerasH5Writer.write(new ModelGraph("extractor", "Model", List.of(in, conv), List.of(TensorRef.of("signal")), List.of(TensorRef.of("features")),
                null, null, new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1)), extractor);
        Path model = Paths.get(MergeAttentionTest.class.getResource("/keras-reference/" + file).toURI());
        Path hybrid = dir.resolve("hybrid.h5");
        Cli m = Cli.run("merge", extractor.toString(), model.toString(), "-o", hybrid.toString());
        assertEquals(0, m.exitCode(), m.err());

        HostArray x = randomInput(64, new long[] {steps + 2, 3}, 8);
        // the hybrid is the chained donors
        assertClose(predict(model, predict(extractor, x)), predict(hybrid, x), 1e-5);

        long rowSize = (steps + 2) * 3;
        float[] xv = x.toFloatArray();
        float[] t = new float[(int) (64 * outputs)];
        for (int i = 0; i < 64; i++) {
            for (int o = 0; o < outputs; o++) t[(int) (i * outputs + o)] = xv[(int) (i * rowSize + o)] - xv[(int) (i * rowSize + rowSize - 1 - o)];
        }
        NpyWriter.write(dir.resolve("x.npy"), x);
        NpyWriter.write(dir.resolve("y.npy"), HostArray.ofFloats(new long[] {64, outputs}, t));
        Path trained = dir.resolve("trained.h5");
        Cli r = Cli.run("train", hybrid.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(), "--loss", "mse",
                "--epochs", "12", "--learning-rate", "0.02", "--trainable", trainable, "-o", trained.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode h = r.json().path("history");
        double first = h.get(0).path("loss").asDouble(), last = h.get(h.size() - 1).path("loss").asDouble();
        assertTrue(last < first * 0.8, "loss " + first + " -> " + last);

        Set<String> trainedLayers = Set.of(trainable.split(","));
        ModelGraph before = ModelFiles.read(hybrid), after = ModelFiles.read(trained);
        for (Layer l : before.layers()) {
            for (int i = 0; i < l.weights().size(); i++) {
                boolean same = l.weights().get(i).read().bitEquals(after.layer(l.name()).weights().get(i).read());
                assertEquals(!trainedLayers.contains(l.name()), same, "weight " + l.weights().get(i).name() + (same ? " unchanged" : " changed"));
            }
        }
    }
}
