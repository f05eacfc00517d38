package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.cli.Cli;
import dev.graft.data.NpyWriter;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.testutil.StoredPredictions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Flatten} after a channels-last {@code Conv3D}, {@code MaxPooling3D} or {@code AveragePooling3D}: models real
 * Keras 3.15.1 saved with its predictions ({@code keras-reference/flatten3d}, made by
 * {@code bench/keras_flatten3d_models.py}; every axis has another size, so any other flattening order gives other
 * numbers). DL4J's own import fails on all of them; graft reproduces Keras from the {@code .keras} and the {@code .h5}
 * file, and trains the convolution behind the Flatten.
 */
class KerasFlattenVolumeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"conv3d_flatten.h5", "conv3d_flatten.keras", "pool3d_flatten.h5", "pool3d_flatten.keras",
            "avgpool3d_flatten.h5", "avgpool3d_flatten.keras"})
    void reproducesKerasPredictions(String file) throws Exception {
        Path model = folder().resolve(file);
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        HostArray[] y = EngineModel.ofKeras(ModelFiles.read(model)).predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(1, y.length);
        // 1e-5 relative to the outputs' scale: conv3d_flatten's reach 18.5, where float32 steps are 1.9e-6.
        double scale = 1;
        for (long i = 0; i < stored.outputs().get(0).size(); i++) scale = Math.max(scale, Math.abs(stored.outputs().get(0).getDouble(i)));
        assertClose(stored.outputs().get(0), y[0], 1e-5 * scale);
    }

    @Test
    void trainsTheConvolutionBehindTheFlatten() throws Exception {
        Path model = folder().resolve("conv3d_flatten.h5");
        SplittableRandom rng = new SplittableRandom(3);
        int n = 48, features = 4 * 6 * 7 * 2;
        float[] x = new float[n * features];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        NpyWriter.write(dir.resolve("x.npy"), HostArray.ofFloats(new long[] {n, 4, 6, 7, 2}, x));
        NpyWriter.write(dir.resolve("y.npy"), HostArray.ofFloats(new long[] {n, 2}, new float[n * 2]));
        Path trained = dir.resolve("trained.h5");
        Cli r = Cli.run("train", model.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(), "--loss", "mse",
                "--epochs", "6", "--learning-rate", "0.01", "--trainable", "conv", "-o", trained.toString(), "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode h = r.json().path("history");
        double first = h.get(0).path("loss").asDouble(), last = h.get(h.size() - 1).path("loss").asDouble();
        assertTrue(last < first * 0.8, "loss " + first + " -> " + last);

        ModelGraph before = ModelFiles.read(model), after = ModelFiles.read(trained);
        for (Layer l : before.layers()) {
            for (int i = 0; i < l.weights().size(); i++) {
                boolean same = l.weights().get(i).read().bitEquals(after.layer(l.name()).weights().get(i).read());
                assertEquals(!l.name().equals("conv"), same, "weight " + l.weights().get(i).name() + (same ? " unchanged" : " changed"));
            }
        }
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasFlattenVolumeTest.class.getResource("/keras-reference/flatten3d").toURI());
    }
}
