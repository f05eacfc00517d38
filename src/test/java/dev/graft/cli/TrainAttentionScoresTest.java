package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.data.NpyWriter;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft train} on a model whose outputs are a GroupedQueryAttention's output and its scores
 * (keras-reference/attention-scores/gqa_scores.keras): each output has its own loss under the name predict reports
 * ({@code gqa}, {@code gqa[0][1]}), the total falls, and the trained weights go back into the .h5 under the layer.
 */
class TrainAttentionScoresTest {
    @TempDir
    Path dir;

    @Test
    void outputAndScoresTrainWithALossEach() throws Exception {
        Path model = Paths.get(TrainAttentionScoresTest.class.getResource("/keras-reference/attention-scores/gqa_scores.keras").toURI());
        SplittableRandom rng = new SplittableRandom(9);
        int n = 32;
        float[] x = new float[n * 30];
        float[] y = new float[n * 30];
        float[] s = new float[n * 100];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = 0.5f * x[i];
        // scores that attend to the step itself
        for (int i = 0; i < s.length; i++) s[i] = (i / 5) % 5 == i % 5 ? 1f : 0f;
        NpyWriter.write(dir.resolve("x.npy"), HostArray.ofFloats(new long[] {n, 5, 6}, x));
        NpyWriter.write(dir.resolve("y.npy"), HostArray.ofFloats(new long[] {n, 5, 6}, y));
        NpyWriter.write(dir.resolve("s.npy"), HostArray.ofFloats(new long[] {n, 4, 5, 5}, s));
        Path trained = dir.resolve("trained.h5");
        Cli r = Cli.run("train", model.toString(), "--x", dir.resolve("x.npy").toString(), "--y", "gqa=" + dir.resolve("y.npy"),
                "--y", "gqa[0][1]=" + dir.resolve("s.npy"), "--loss", "mse", "--epochs", "10", "--learning-rate", "0.01", "-o", trained.toString(),
                "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode h = r.json().path("history");
        JsonNode first = h.get(0), last = h.get(h.size() - 1);
        assertTrue(last.path("loss").asDouble() < first.path("loss").asDouble() * 0.9, "loss " + first + " -> " + last);
        assertTrue(last.path("gqa[0][1]_loss").asDouble() < first.path("gqa[0][1]_loss").asDouble(), "scores loss " + first + " -> " + last);
        assertEquals(first.path("loss").asDouble(), first.path("gqa_loss").asDouble() + first.path("gqa[0][1]_loss").asDouble(), 1e-4);

        ModelGraph before = ModelFiles.read(model), after = ModelFiles.read(trained);
        assertEquals(before.layer("gqa").weights().size(), after.layer("gqa").weights().size());
        for (int i = 0; i < before.layer("gqa").weights().size(); i++) {
            assertFalse(before.layer("gqa").weights().get(i).read().bitEquals(after.layer("gqa").weights().get(i).read()),
                    "weight " + before.layer("gqa").weights().get(i).name() + " trained");
        }
        // the trained file keeps both outputs
        Cli p = Cli.run("predict", trained.toString(), "-i", dir.resolve("x.npy").toString(), "-o", dir.resolve("p.npz").toString(), "--json");
        assertEquals(0, p.exitCode(), p.err());
        assertEquals("gqa[0][1]", p.json().path("outputs").get(1).path("name").asText());
    }
}
