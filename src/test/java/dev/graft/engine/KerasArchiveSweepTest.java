package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.graft.Fixtures;
import dev.graft.format.ModelFiles;
import dev.graft.format.keras.Keras1Upgrade;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.format.keras.KerasZipWriter;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import dev.graft.surgery.Flattener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Keras model in the fixtures that graft computes, written as a Keras 3 {@code .keras}
 * archive, reopens in graft with every weight bit for bit and the same predictions. To keep the
 * sweep fast, predictions are compared on the engine (to 1e-6) only where the reopened model hands
 * the engine a different configuration than the source does; where the engine receives the same
 * configuration and the same weight bits, it computes the same numbers by construction. A zoo case
 * Keras saved in both formats is swept once, from its {@code .keras}. A Keras 1 model is written in Keras 2's
 * spelling and weight layout; its weights are compared in that form, its predictions with the Keras 1 source's.
 * {@code -Dgraft.sweep.only=TEXT} limits the sweep to paths containing TEXT.
 */
class KerasArchiveSweepTest {
    @TempDir
    Path dir;

    static List<Path> models() {
        List<Path> all = new ArrayList<>();
        for (String folder : List.of("keras", "wild", "keras3-seed", "keras3-zoo")) {
            all.addAll(Fixtures.files(folder, p -> Fixtures.isModel(p) && isKerasName(p) && !savedTwice(p)));
        }
        return all;
    }

    private static boolean isKerasName(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".h5") || n.endsWith(".keras") || n.endsWith(".hdf5");
    }

    private static boolean savedTwice(Path p) {
        String n = p.getFileName().toString();
        return p.getParent().getFileName().toString().equals("keras3-zoo") && n.endsWith(".h5")
                && Files.exists(p.resolveSibling(n.replace(".h5", ".keras")));
    }

    @TestFactory
    Stream<DynamicTest> archiveReopensWithTheSamePredictions() {
        String only = System.getProperty("graft.sweep.only", "");
        return models().stream().filter(p -> p.toString().contains(only))
                .map(p -> DynamicTest.dynamicTest(Fixtures.root().relativize(p).toString(), () -> check(p)));
    }

    private void check(Path file) throws Exception {
        ModelGraph model;
        try {
            model = ModelFiles.read(file);
        } catch (RuntimeException e) {
            assumeTrue(false, "graft does not read this file: " + e.getMessage());
            return;
        }
        for (Layer l : Flattener.flatten(model).layers()) assumeTrue(Computability.whyNot(l) == null, "graft does not compute layer " + l);
        String sourceConfig;
        try {
            sourceConfig = engineConfig(model);
        } catch (EngineException e) {
            assumeTrue(false, "graft does not compute this model: " + e.getMessage());
            return;
        }

        Path out = dir.resolve("model.keras");
        ModelGraph flat;
        try {
            // A Keras 1 model is written in Keras 2's spelling and weight layout: its weights are compared in that form.
            flat = Flattener.flatten(Keras1Upgrade.apply(model));
            KerasZipWriter.write(model, out);
        } catch (dev.graft.GraftException e) {
            // A layer the archive writer cannot lay out (or a Keras 1 layer it cannot upgrade) is refused by name.
            assertTrue(e.getMessage().startsWith("layer '"), e.getMessage());
            assumeTrue(false, "graft does not write this model as .keras: " + e.getMessage());
            return;
        }
        ModelGraph back = ModelFiles.read(out);
        assertWeightsIdentical(flat, back);
        if (sourceConfig.equals(engineConfig(back))) return;

        HostArray[] x;
        HostArray[] expected;
        try {
            x = WritebackChecks.randomInputs(model, 2, 7).stream().map(Tensors::fromNd4j).toArray(HostArray[]::new);
            expected = EngineModel.ofKeras(model).predict(x);
        } catch (RuntimeException | LinkageError e) {
            assumeTrue(false, "graft does not compute this model: " + e.getMessage());
            return;
        }
        HostArray[] got = EngineModel.ofKeras(back).predict(x);
        assertEquals(expected.length, got.length);
        for (int i = 0; i < expected.length; i++) assertClose(expected[i], got[i], 1e-6);
    }

    /** The model configuration the engine would import for this model (what decides what it computes, besides the weights). */
    private static String engineConfig(ModelGraph model) {
        return KerasH5Writer.modelConfigText(EngineNormalizer.normalize(Flattener.flatten(model), false));
    }

    static void assertWeightsIdentical(ModelGraph flat, ModelGraph back) {
        for (Layer l : flat.layers()) {
            Layer b = back.layer(l.name());
            assertTrue(b != null, "layer " + l.name() + " missing");
            assertEquals(l.weights().size(), b.weights().size(), "weights of " + l.name());
            for (int i = 0; i < l.weights().size(); i++) {
                Weight w = l.weights().get(i);
                assertTrue(w.read().bitEquals(b.weights().get(i).read()), "weight " + w.name() + " of " + l.name() + " changed");
            }
        }
    }
}
