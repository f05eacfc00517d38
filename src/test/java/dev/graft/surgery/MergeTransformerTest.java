package dev.graft.surgery;

import static dev.graft.surgery.HybridChecks.assertDonorWeightsIdentical;
import static dev.graft.surgery.HybridChecks.dense;
import static dev.graft.surgery.HybridChecks.predict;
import static dev.graft.surgery.HybridChecks.randomInput;
import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.data.NpyWriter;

import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import dev.graft.format.ModelFiles;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Keras 3 transformer encoder block from the zoo (MultiHeadAttention, residual Add, LayerNormalization, Dense
 * feed-forward) merged behind a Conv1D feature extractor through a per-step {@code dense:8} bridge computes exactly the
 * chained donors, and keeps their weights bit for bit.
 */
class MergeTransformerTest {
    @TempDir
    Path dir;

    @Test
    void conv1dExtractorIntoATransformerBlockThroughDense() throws Exception {
        Path extractor = dir.resolve("extractor.h5");
        SplittableRandom rng = new SplittableRandom(21);
        Layer in = KerasLayerFactory.input("signal", Arrays.asList(null, 7L, 3L));
        Layer conv = KerasLayerFactory.conv1d("features", 4, 3, "valid", "relu", 3, TensorRef.of("signal"), rng);   // (None, 5, 4)
        KerasH5Writer.write(new ModelGraph("extractor", "Model", List.of(in, conv), List.of(TensorRef.of("signal")), List.of(TensorRef.of("features")),
                null, null, new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1)), extractor);
        Path block = Fixtures.file("keras3-zoo/transformer_postnorm_relu.keras");

        Path out = dir.resolve("hybrid.h5");
        Cli r = Cli.run("merge", extractor.toString(), block.toString(), "--bridge", "dense:8", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        ModelGraph hybrid = ModelFiles.read(out);
        Layer bridge = hybrid.layer("bridge1_dense");

        HostArray x = randomInput(6, new long[] {7, 3}, 5);
        HostArray chained = predict(block, dense(predict(extractor, x), bridge.weights().get(0), bridge.weights().get(1), "relu"));
        assertClose(chained, predict(hybrid, x), 1e-5);

        for (int i = 0; i < 2; i++) {
            Map<String, String> renames = new HashMap<>();
            hybrid.provenance().path("donors").get(i).path("renamed").fields().forEachRemaining(e -> renames.put(e.getKey(), e.getValue().asText()));
            assertDonorWeightsIdentical(ModelFiles.read(i == 0 ? extractor : block), renames, hybrid);
        }
    }

    /**
     * The hybrid trains with the extractor frozen: the transformer block's attention, normalisation and feed-forward
     * layers (and the bridge) learn a regression target, the extractor stays bit for bit, and the trained block is
     * written back into the .h5.
     */
    @Test
    void transformerBlockTrainsBehindAFrozenExtractor() throws Exception {
        Path extractor = dir.resolve("extractor.h5");
        SplittableRandom rng = new SplittableRandom(21);
        Layer in = KerasLayerFactory.input("signal", Arrays.asList(null, 7L, 3L));
        Layer conv = KerasLayerFactory.conv1d("features", 4, 3, "valid", "relu", 3, TensorRef.of("signal"), rng);
        KerasH5Writer.write(new ModelGraph("extractor", "Model", List.of(in, conv), List.of(TensorRef.of("signal")), List.of(TensorRef.of("features")),
                null, null, new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1)), extractor);
        // graft trains models that end in a Dense: a small head donor reads the block's (5, 8) sequence.
        Path head = dir.resolve("head.h5");
        Layer hin = KerasLayerFactory.input("seq", Arrays.asList(null, 5L, 8L));
        Layer flat = KerasLayerFactory.reshape("flat", List.of(40L), TensorRef.of("seq"));
        Layer out = KerasLayerFactory.dense("score", 1, "linear", 40, TensorRef.of("flat"), rng);
        KerasH5Writer.write(new ModelGraph("head", "Model", List.of(hin, flat, out), List.of(TensorRef.of("seq")), List.of(TensorRef.of("score")),
                null, null, new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1)), head);
        Path hybridFile = dir.resolve("hybrid.h5");
        Cli m = Cli.run("merge", extractor.toString(), Fixtures.file("keras3-zoo/transformer_postnorm_relu.keras").toString(), head.toString(),
                "--bridge", "dense:8", "--bridge", "auto", "-o", hybridFile.toString());
        assertEquals(0, m.exitCode(), m.err());

        HostArray x = randomInput(64, new long[] {7, 3}, 8);
        float[] t = new float[64];
        float[] xv = x.toFloatArray();
        for (int i = 0; i < t.length; i++) t[i] = xv[i * 21] + xv[i * 21 + 4] - xv[i * 21 + 20];   // a function of the signal
        NpyWriter.write(dir.resolve("x.npy"), x);
        NpyWriter.write(dir.resolve("y.npy"), HostArray.ofFloats(new long[] {64, 1}, t));
        Path trained = dir.resolve("trained.h5");
        Cli r = Cli.run("train", hybridFile.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(), "--loss", "mse",
                "--epochs", "15", "--learning-rate", "0.01", "--trainable",
                "bridge1_dense,multi_head_attention,layer_normalization,dense_1,dense,layer_normalization_1", "-o", trained.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode h = r.json().path("history");
        double first = h.get(0).path("loss").asDouble(), last = h.get(h.size() - 1).path("loss").asDouble();
        assertTrue(last < first * 0.8, "loss " + first + " -> " + last);

        ModelGraph before = ModelFiles.read(hybridFile), after = ModelFiles.read(trained);
        for (Layer l : before.layers()) {
            for (int i = 0; i < l.weights().size(); i++) {
                boolean same = l.weights().get(i).read().bitEquals(after.layer(l.name()).weights().get(i).read());
                boolean trainedLayer = !l.name().equals("features") && !l.name().equals("score");
                assertEquals(!trainedLayer, same, "weight " + l.weights().get(i).name() + (same ? " unchanged" : " changed"));
            }
        }
    }
}
