package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.data.NpyWriter;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid of two Keras-made GroupedQueryAttention models (keras-reference/issue12/gqa_causal.keras, then gqa_dense.keras
 * with a Dense after its attention; made by bench/keras_issue12_attention.py) trains the second donor's attention layer
 * with {@code graft train}: the loss falls, and every other weight (the first donor, the Dense) stays bit for bit.
 */
class TrainGroupedQueryAttentionTest {
    @TempDir
    Path dir;

    @Test
    void secondDonorsAttentionLearnsWhileTheRestStaysFrozen() throws Exception {
        Path first = Paths.get(TrainGroupedQueryAttentionTest.class.getResource("/keras-reference/issue12/gqa_causal.keras").toURI());
        Path second = Paths.get(TrainGroupedQueryAttentionTest.class.getResource("/keras-reference/issue12/gqa_dense.keras").toURI());
        Path hybrid = dir.resolve("hybrid.h5");
        Cli m = Cli.run("merge", first.toString(), second.toString(), "-o", hybrid.toString(), "--quiet");
        assertEquals(0, m.exitCode(), m.err());
        ModelGraph before = ModelFiles.read(hybrid);
        String trainable = "gqa2";
        SplittableRandom rng = new SplittableRandom(5);
        int n = 64;
        float[] x = new float[n * 24];
        float[] y = new float[n * 8];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = x[i * 3] - 0.5f * x[i * 3 + 1];
        NpyWriter.write(dir.resolve("x.npy"), HostArray.ofFloats(new long[] {n, 4, 6}, x));
        NpyWriter.write(dir.resolve("y.npy"), HostArray.ofFloats(new long[] {n, 4, 2}, y));
        Path trained = dir.resolve("trained.h5");
        Cli r = Cli.run("train", hybrid.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(), "--loss", "mse",
                "--epochs", "15", "--learning-rate", "0.01", "--trainable", trainable, "-o", trained.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode h = r.json().path("history");
        double firstLoss = h.get(0).path("loss").asDouble(), lastLoss = h.get(h.size() - 1).path("loss").asDouble();
        assertTrue(lastLoss < firstLoss * 0.9, "loss " + firstLoss + " -> " + lastLoss);

        ModelGraph after = ModelFiles.read(trained);
        for (Layer l : before.layers()) {
            for (int i = 0; i < l.weights().size(); i++) {
                boolean same = l.weights().get(i).read().bitEquals(after.layer(l.name()).weights().get(i).read());
                assertEquals(!l.name().equals(trainable), same, "weight " + l.weights().get(i).name() + (same ? " unchanged" : " changed"));
            }
        }
    }
}
