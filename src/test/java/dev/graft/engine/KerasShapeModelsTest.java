package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models real Keras 3.15.1 saved with its predictions ({@code keras-reference/shapes}, made by
 * {@code bench/keras_shape_models.py}) at argument values the keras3-zoo does not have: Permute of four axes and feeding
 * a Dense, Reshape with a -1 inside and alone, global pooling with keepdims and channels first in 1D, 2D and 3D feeding
 * Flatten and Dense, Dot over other axes, ranks and normalize, and a Dense layer called twice in a row; graft reproduces
 * every output from the {@code .keras} and the {@code .h5} file.
 */
class KerasShapeModelsTest {
    @ParameterizedTest
    @ValueSource(strings = {"permute_2413", "permute_231_dense", "reshape_open", "gmaxpool2d_cf_keepdims", "gavgpool1d_cf_keepdims",
            "gpool3d", "dot_12_normalize", "dot_rank4", "dot_vectors_normalize", "shared_chain", "dense_on_image"})
    void reproducesKerasPredictions(String name) throws Exception {
        StoredPredictions stored = StoredPredictions.read(folder().resolve(name + "_inputs_and_outputs.h5"));
        for (String ext : new String[] {".keras", ".h5"}) {
            HostArray[] y = EngineModel.ofKeras(ModelFiles.read(folder().resolve(name + ext))).predict(stored.inputs().toArray(HostArray[]::new));
            assertEquals(stored.outputs().size(), y.length, name + ext);
            for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], 1e-5);
        }
    }

    /** A -1 solved from an input of open size, and graft's Permute and Dot on one, are refused naming the layer, by inspect too. */
    @org.junit.jupiter.api.Test
    void openSizesAreRefusedByName() {
        String[][] cases = {
            {"Reshape", "{\"name\": \"op\", \"target_shape\": [-1, 3]}",
                "layer 'op' (Reshape): argument target_shape=[-1,3] is not computed by graft on an input of open size (None, None, 2, 3) (graft solves the -1 from a fixed sample shape)"},
            {"Permute", "{\"name\": \"op\", \"dims\": [3, 1, 2]}",
                "layer 'op' (Permute) reads an input of open size (None, None, 2, 3); graft computes it on fixed sizes only"},
        };
        for (String[] c : cases) {
            dev.graft.model.Layer in = dev.graft.surgery.KerasLayerFactory.input("x", java.util.Arrays.asList(null, null, 2L, 3L));
            dev.graft.model.Layer op = new dev.graft.model.Layer("op", c[0], (com.fasterxml.jackson.databind.node.ObjectNode) dev.graft.format.Json.parse(c[1]),
                    java.util.List.of(new dev.graft.model.LayerCall(java.util.List.of(dev.graft.model.TensorRef.of("x")), dev.graft.format.Json.object())),
                    java.util.List.of(), null);
            dev.graft.model.ModelGraph model = new dev.graft.model.ModelGraph("m", "Model", java.util.List.of(in, op),
                    java.util.List.of(dev.graft.model.TensorRef.of("x")), java.util.List.of(dev.graft.model.TensorRef.of("op")), null, null,
                    new dev.graft.model.SourceInfo(null, dev.graft.model.ModelFormat.KERAS_H5, "graft", null, null, -1));
            EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> EngineModel.ofKeras(model));
            assertEquals(c[2] + "; graft cannot compute this model", e.getMessage());
            org.junit.jupiter.api.Assertions.assertFalse(ComputableMeansComputesTest.inspectCallsComputable(model), c[0]);
        }
    }

    /**
     * A Dense on an image's last axis (DL4J's import takes no such input) trains and writes back: its loss falls, and the
     * trained file reopens computing what the engine computed after training.
     */
    @org.junit.jupiter.api.Test
    void aDenseOnAnImageTrainsAndWritesBack(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path model = folder().resolve("dense_on_image.keras");
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        Path x = dir.resolve("x.npy"), y1 = dir.resolve("y1.npy"), y2 = dir.resolve("y2.npy");
        dev.graft.data.NpyWriter.write(x, random(r, 32, 4, 5, 3));
        dev.graft.data.NpyWriter.write(y1, random(r, 32, 4, 5, 2));
        dev.graft.data.NpyWriter.write(y2, random(r, 32, 2));
        Path out = dir.resolve("t.h5"), history = dir.resolve("h.csv");
        dev.graft.cli.Cli run = dev.graft.cli.Cli.run("train", model.toString(), "--x", x.toString(), "--y", y1.toString(), "--y", y2.toString(),
                "--loss", "mse", "--epochs", "4", "--learning-rate", "0.05", "--history", history.toString(), "-o", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        java.util.List<String> rows = java.nio.file.Files.readAllLines(history);
        double first = Double.parseDouble(rows.get(1).split(",")[1]), last = Double.parseDouble(rows.get(rows.size() - 1).split(",")[1]);
        org.junit.jupiter.api.Assertions.assertTrue(last < first, rows.toString());
        dev.graft.model.ModelGraph trained = ModelFiles.read(out);
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(
                ModelFiles.read(model).layer("dense_image").weights().get(0).read().toFloatArray(),
                trained.layer("dense_image").weights().get(0).read().toFloatArray()), "the image Dense learnt");
        HostArray in = random(new java.util.SplittableRandom(4), 3, 4, 5, 3);
        assertEquals(2, EngineModel.ofKeras(trained).predict(in).length);
    }

    private static HostArray random(java.util.SplittableRandom r, long... shape) {
        float[] v = new float[Math.toIntExact(HostArray.size(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return HostArray.ofFloats(shape, v);
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasShapeModelsTest.class.getResource("/keras-reference/shapes").toURI());
    }
}
