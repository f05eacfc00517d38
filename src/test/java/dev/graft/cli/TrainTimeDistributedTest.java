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
 * A Keras-made model with {@code TimeDistributed(Conv1D)} and {@code TimeDistributed(Flatten)} over frames
 * ({@code keras-reference/attention/td_conv_flatten.h5}, bench/keras_attention_models.py) trains its wrapped convolution
 * with {@code graft train} (the engine computes it on the frames as rows) while the frozen head stays bit for bit.
 */
class TrainTimeDistributedTest {
    @TempDir
    Path dir;

    @Test
    void wrappedConvolutionLearnsWhileTheHeadStaysFrozen() throws Exception {
        Path model = Paths.get(TrainTimeDistributedTest.class.getResource("/keras-reference/attention/td_conv_flatten.h5").toURI());
        SplittableRandom rng = new SplittableRandom(5);
        int n = 64;
        float[] x = new float[n * 72];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = x[i * 72] - x[i * 72 + 40] + 0.5f * x[i * 72 + 71];
        NpyWriter.write(dir.resolve("x.npy"), HostArray.ofFloats(new long[] {n, 4, 6, 3}, x));
        NpyWriter.write(dir.resolve("y.npy"), HostArray.ofFloats(new long[] {n, 1}, y));
        Path trained = dir.resolve("trained.h5");
        Cli r = Cli.run("train", model.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(), "--loss", "mse",
                "--epochs", "15", "--learning-rate", "0.01", "--trainable", "conv_per_frame", "-o", trained.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode h = r.json().path("history");
        double first = h.get(0).path("loss").asDouble(), last = h.get(h.size() - 1).path("loss").asDouble();
        assertTrue(last < first * 0.8, "loss " + first + " -> " + last);

        ModelGraph before = ModelFiles.read(model), after = ModelFiles.read(trained);
        for (Layer l : before.layers()) {
            for (int i = 0; i < l.weights().size(); i++) {
                boolean same = l.weights().get(i).read().bitEquals(after.layer(l.name()).weights().get(i).read());
                assertEquals(!l.name().equals("conv_per_frame"), same, "weight " + l.weights().get(i).name() + (same ? " unchanged" : " changed"));
            }
        }
    }
}
