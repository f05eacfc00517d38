package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import dev.graft.data.NpyWriter;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft train} on a plain Keras MNIST CNN (Conv2D, MaxPooling2D, Conv2D, MaxPooling2D, Flatten,
 * Dropout, Dense), from Keras 3 and Keras 2 files, with the loss and optimizer the files store: it
 * used to crash at the first batch in DL4J's channels-last convolution backward pass. On 64 random
 * images with random labels the training loss falls (the network memorises them), and the trained
 * convolutions are written.
 */
class TrainCnnTest {
    @TempDir
    Path dir;

    @Test
    void mnistCnnTrainsFromBothFiles() throws Exception {
        SplittableRandom rng = new SplittableRandom(15);
        float[] x = new float[64 * 28 * 28];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        float[] y = new float[64 * 10];
        for (int r = 0; r < 64; r++) y[r * 10 + rng.nextInt(10)] = 1;
        Path xs = dir.resolve("x.npy"), ys = dir.resolve("y.npy");
        NpyWriter.write(xs, HostArray.ofFloats(new long[] {64, 28, 28, 1}, x));
        NpyWriter.write(ys, HostArray.ofFloats(new long[] {64, 10}, y));
        for (String f : new String[] {"wild/mnist_digit.keras", "wild/mnist_cnn_k215.h5"}) {
            Path model = Fixtures.file(f);
            Path out = dir.resolve(model.getFileName() + ".trained.h5");
            Cli r = Cli.run("train", model.toString(), "--x", xs.toString(), "--y", ys.toString(), "--epochs", "3", "--seed", "1",
                    "--quiet", "--json", "-o", out.toString());
            assertEquals(0, r.exitCode(), f + ": " + r.err());
            JsonNode h = r.json().path("history");
            assertEquals(3, h.size(), f);
            double first = h.get(0).path("loss").asDouble(), last = h.get(2).path("loss").asDouble();
            assertTrue(last < first, f + ": loss " + first + " -> " + last);
            ModelGraph before = ModelFiles.read(model), after = ModelFiles.read(out);
            String conv = before.layers().stream().filter(l -> "Conv2D".equals(l.className())).findFirst().orElseThrow().name();
            assertFalse(before.layer(conv).weights().get(0).read().bitEquals(after.layer(conv).weights().get(0).read()),
                    f + ": the first convolution trained");
        }
    }
}
