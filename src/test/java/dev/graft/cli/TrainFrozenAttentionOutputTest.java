package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.data.NpyWriter;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid of two GroupedQueryAttention models (keras-reference/issue12/gqa_causal.keras twice) whose first donor's
 * attention trains and whose second, the output, is frozen reported a loss of 0.0 (DL4J's fit counted no weights in
 * vertices) and, counted, would not learn either (DL4J's frozen vertex passes no error back): it is refused, naming the
 * layer. Trained whole, its first epoch's loss (one batch: before any step) is the mse of {@code predict}'s outputs, and falls.
 */
class TrainFrozenAttentionOutputTest {
    @TempDir
    Path dir;

    @Test
    void frozenAttentionAfterALearningOneIsRefusedAndTrainedWholeItLearns() throws Exception {
        Path donor = Paths.get(TrainFrozenAttentionOutputTest.class.getResource("/keras-reference/issue12/gqa_causal.keras").toURI());
        Path hybrid = dir.resolve("hybrid.h5");
        Cli m = Cli.run("merge", donor.toString(), donor.toString(), "-o", hybrid.toString(), "--quiet");
        assertEquals(0, m.exitCode(), m.err());
        int n = 16;
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[n * 24];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        HostArray xs = HostArray.ofFloats(new long[] {n, 4, 6}, x);
        HostArray predicted = EngineModel.ofKeras(ModelFiles.read(hybrid)).predict(new HostArray[] {xs})[0];
        float[] y = new float[n * 24];
        double want = 0;
        for (int i = 0; i < y.length; i++) {
            y[i] = 0.5f * x[i] - 0.25f;
            want += Math.pow(predicted.getDouble(i) - y[i], 2);
        }
        want /= y.length;
        NpyWriter.write(dir.resolve("x.npy"), xs);
        NpyWriter.write(dir.resolve("y.npy"), HostArray.ofFloats(new long[] {n, 4, 6}, y));
        Path out = dir.resolve("trained.h5");
        Cli r = Cli.run("train", hybrid.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(), "--loss", "mse",
                "--epochs", "5", "--batch-size", String.valueOf(n), "--learning-rate", "0.05", "--trainable", "gqa", "-o", out.toString(), "--quiet");
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("graft: layer 'gqa_causal_gqa' cannot stay frozen after a layer that learns: the engine passes no error back through a"
                + " frozen vertex, so the layers before it would not learn; train it too (--trainable) or freeze the layers before it", r.err().strip());
        assertTrue(!java.nio.file.Files.exists(out), "no output written");

        // trained too, the same hybrid learns with the real loss: the mse of predict's outputs before the first step
        Cli t = Cli.run("train", hybrid.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(), "--loss", "mse",
                "--epochs", "5", "--batch-size", String.valueOf(n), "--learning-rate", "0.05", "--trainable", "gqa,gqa_causal_gqa",
                "-o", out.toString(), "--quiet", "--json");
        assertEquals(0, t.exitCode(), t.err());
        JsonNode h = t.json().path("history");
        double first = h.get(0).path("loss").asDouble(), last = h.get(h.size() - 1).path("loss").asDouble();
        assertEquals(want, first, 1e-5, "the first batch's loss is the mse of predict's outputs");
        assertTrue(last < first, "loss " + first + " -> " + last);
    }

    @Test
    void frozenMaskedLstmOutputAfterALearningLayerIsRefusedByName() throws Exception {
        Path model = dev.graft.Fixtures.file("keras3-zoo/embedding_mask_zero_lstm.keras");
        float[] x = new float[4 * 6];
        for (int i = 0; i < x.length; i++) x[i] = i % 5;
        NpyWriter.write(dir.resolve("x.npy"), HostArray.ofFloats(new long[] {4, 6}, x));
        NpyWriter.write(dir.resolve("y.npy"), HostArray.ofFloats(new long[] {4, 4}, new float[16]));
        Path out = dir.resolve("trained.h5");
        Cli r = Cli.run("train", model.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(), "--loss", "mse",
                "--trainable", "embedding", "-o", out.toString(), "--quiet");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("layer 'lstm' (LSTM with a mask) cannot train as the model's output"), r.err());
        assertTrue(!java.nio.file.Files.exists(out), "no output written");
    }
}
