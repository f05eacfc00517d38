package dev.graft.surgery;

import static dev.graft.surgery.HybridChecks.predict;
import static dev.graft.surgery.HybridChecks.randomInput;
import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Keras model that calls one Dense layer twice in a row ({@code keras-reference/shapes/shared_chain}, made by
 * {@code bench/keras_shape_models.py}): converted to .zip, .h5 and .keras it still computes Keras's numbers; merged
 * behind an extractor the hybrid is the chained donors and keeps the layer shared (one layer, two calls), and so does
 * {@code adapt --head}; training changes the shared layer as one layer (its calls tied: SharedLayerTrainingTest checks the
 * numbers against Keras), and trains the other layers with the shared one bit for bit unchanged when it is frozen.
 */
class MergeSharedLayerTest {
    @TempDir
    Path dir;

    @Test
    void aSharedLayerConvertsMergesAndTrainsAsOneLayer() throws Exception {
        Path model = Paths.get(MergeSharedLayerTest.class.getResource("/keras-reference/shapes/shared_chain.keras").toURI());
        StoredPredictions stored = StoredPredictions.read(model.resolveSibling("shared_chain_inputs_and_outputs.h5"));
        for (String ext : List.of("zip", "h5", "keras")) {
            Path converted = dir.resolve("converted." + ext);
            Cli c = Cli.run("convert", model.toString(), "-o", converted.toString());
            assertEquals(0, c.exitCode(), c.err());
            assertClose(stored.outputs().get(0), dev.graft.engine.EngineModels.load(converted).predict(stored.inputs().get(0))[0], 1e-5);
        }

        // shapes are known through both calls (the second reads the first), so adapt can put a new head on it
        assertEquals("[(None, 2)]", dev.graft.shape.GraphShapes.infer(ModelFiles.read(model)).modelOutputShapes().toString());
        Path adapted = dir.resolve("adapted.h5");
        Cli a = Cli.run("adapt", model.toString(), "--head", "dense:3", "-o", adapted.toString());
        assertEquals(0, a.exitCode(), a.err());
        assertEquals("[(None, 3)]", dev.graft.shape.GraphShapes.infer(ModelFiles.read(adapted)).modelOutputShapes().toString());
        assertEquals(2, ModelFiles.read(adapted).layer("shared").calls().size());

        Path extractor = dir.resolve("extractor.h5");
        Layer in = KerasLayerFactory.input("x", Arrays.asList(null, 8L));
        Layer dense = KerasLayerFactory.dense("features", 5, "tanh", 8, TensorRef.of("x"), new SplittableRandom(3));
        KerasH5Writer.write(new ModelGraph("extractor", "Model", List.of(in, dense), List.of(TensorRef.of("x")), List.of(TensorRef.of("features")),
                null, null, new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1)), extractor);
        Path hybrid = dir.resolve("hybrid.h5");
        Cli m = Cli.run("merge", extractor.toString(), model.toString(), "-o", hybrid.toString());
        assertEquals(0, m.exitCode(), m.err());
        HostArray x = randomInput(64, new long[] {8}, 5);
        assertClose(predict(model, predict(extractor, x)), predict(hybrid, x), 1e-5);
        ModelGraph merged = ModelFiles.read(hybrid);
        Layer shared = merged.layers().stream().filter(l -> l.calls().size() == 2).findFirst().orElseThrow();

        NpyWriter.write(dir.resolve("x.npy"), x);
        NpyWriter.write(dir.resolve("y.npy"), randomInput(64, new long[] {2}, 6));
        Path trained = dir.resolve("trained.h5");
        Cli whole = Cli.run("train", hybrid.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(),
                "--loss", "mse", "--epochs", "1", "--trainable", "all", "-o", trained.toString(), "--quiet");
        assertEquals(0, whole.exitCode(), whole.err());
        ModelGraph wholeTrained = ModelFiles.read(trained);
        assertEquals(2, wholeTrained.layer(shared.name()).calls().size(), "still one layer called twice");
        assertFalse(shared.weights().get(0).read().bitEquals(wholeTrained.layer(shared.name()).weights().get(0).read()), "the shared layer trained");
        Files.delete(trained);

        List<String> others = merged.layers().stream().filter(l -> !l.weights().isEmpty() && l != shared).map(Layer::name).toList();
        Cli r = Cli.run("train", hybrid.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(),
                "--loss", "mse", "--epochs", "3", "--trainable", String.join(",", others), "-o", trained.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        ModelGraph after = ModelFiles.read(trained);
        assertEquals(2, after.layer(shared.name()).calls().size(), "still one layer called twice");
        for (Layer l : merged.layers()) {
            for (int i = 0; i < l.weights().size(); i++) {
                boolean same = l.weights().get(i).read().bitEquals(after.layer(l.name()).weights().get(i).read());
                assertEquals(l == shared, same, "weight " + l.weights().get(i).name() + (same ? " unchanged" : " changed"));
            }
        }
    }
}
