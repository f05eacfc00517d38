package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.Fixtures;
import dev.graft.data.NpyWriter;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft train} through graft's ConvLSTM layer: the keras3-zoo's ConvLSTM2D and ConvLSTM1D, each in a hybrid ending in
 * the zoo's Dense(6) through a flatten,dense:5 bridge, learn a fixed regression (the loss falls and the ConvLSTM's weights
 * change); with the ConvLSTM frozen it stays bit for bit while the rest trains. Converted to a DL4J zip, they predict what
 * Keras stored.
 */
class TrainConvLstmTest {
    @TempDir
    Path dir;

    private static Path zoo(String name) {
        return Fixtures.file("keras3-zoo/" + name);
    }

    /** Random inputs and, as targets, a fixed function of them the layers can learn: tanh of a shifted sum, shaped as the output. */
    private Path[] data(long[] xShape, long[] yShape, int seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = (int) HostArray.size(xShape), m = (int) HostArray.size(yShape);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextGaussian();
        float[] y = new float[m];
        for (int i = 0; i < m; i++) y[i] = (float) Math.tanh(x[i % n] + 0.5 * x[(i * 7 + 3) % n]);
        Path xs = dir.resolve("x" + seed + ".npy"), ys = dir.resolve("y" + seed + ".npy");
        NpyWriter.write(xs, HostArray.ofFloats(xShape, x));
        NpyWriter.write(ys, HostArray.ofFloats(yShape, y));
        return new Path[] {xs, ys};
    }

    private static Set<String> changedLayers(ModelGraph before, ModelGraph after) {
        Set<String> changed = new TreeSet<>();
        for (Layer l : before.layers()) {
            Layer a = after.layer(l.name());
            for (int i = 0; i < l.weights().size(); i++) {
                if (!l.weights().get(i).read().bitEquals(a.weights().get(i).read())) changed.add(l.name());
            }
        }
        return changed;
    }

    private Path hybrid(String donor, String... extra) {
        Path model = dir.resolve(donor + ".hybrid." + extra.length + ".h5");
        String[] base = {"merge", zoo(donor).toString(), zoo("dense_act_linear.h5").toString(), "--bridge", "flatten,dense:5", "-o", model.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        Cli m = Cli.run(args);
        assertEquals(0, m.exitCode(), m.err());
        return model;
    }

    private static Cli train(Path model, Path[] data, Path out, String... extra) {
        String[] base = {"train", model.toString(), "--x", data[0].toString(), "--y", data[1].toString(), "--epochs", "12", "--seed", "1",
            "--loss", "mse", "--optimizer", "adam", "--learning-rate", "0.02", "--batch-size", "16", "--quiet", "--json", "-o", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.run(args);
    }

    private static void assertLearns(Cli r, String what) {
        assertEquals(0, r.exitCode(), what + ": " + r.err());
        JsonNode h = r.json().path("history");
        double first = h.get(0).path("loss").asDouble(), last = h.get(h.size() - 1).path("loss").asDouble();
        assertTrue(last < 0.8 * first, what + ": loss " + first + " -> " + last);
    }

    private static String convLstm(ModelGraph m) {
        return m.layers().stream().filter(l -> l.className().startsWith("ConvLSTM")).findFirst().orElseThrow().name();
    }

    @Test
    void convLstmHybridsLearn() throws Exception {
        Object[][] cases = {{"convlstm2d.keras", new long[] {48, 3, 5, 5, 2}}, {"convlstm1d.h5", new long[] {48, 3, 6, 2}}};
        int seed = 3;
        for (Object[] c : cases) {
            Path model = hybrid((String) c[0]);
            Path out = dir.resolve(c[0] + ".trained.h5");
            long[] x = (long[]) c[1];
            assertLearns(train(model, data(x, new long[] {x[0], 6}, seed++), out, "--trainable", "all"), (String) c[0]);
            ModelGraph before = ModelFiles.read(model);
            assertTrue(changedLayers(before, ModelFiles.read(out)).contains(convLstm(before)), c[0] + ": the ConvLSTM trains");
        }
    }

    @Test
    void aFrozenConvLstmStaysBitForBit() throws Exception {
        Path model = hybrid("convlstm2d.keras", "--freeze", "first");
        Path out = dir.resolve("frozen.trained.h5");
        assertLearns(train(model, data(new long[] {48, 3, 5, 5, 2}, new long[] {48, 6}, 7), out), "frozen ConvLSTM");
        ModelGraph before = ModelFiles.read(model);
        Set<String> changed = changedLayers(before, ModelFiles.read(out));
        assertTrue(!changed.contains(convLstm(before)), "the frozen ConvLSTM stays bit for bit: " + changed);
        assertEquals(2, changed.size(), "the bridge and the Dense train: " + changed);
    }

    @Test
    void convertedToAZipTheyPredictWhatKerasStored() throws Exception {
        for (String name : new String[] {"convlstm1d", "convlstm2d"}) {
            Path zip = dir.resolve(name + ".zip");
            Cli r = Cli.run("convert", zoo(name + ".keras").toString(), "-o", zip.toString());
            assertEquals(0, r.exitCode(), name + ": " + r.err());
            dev.graft.testutil.StoredPredictions stored = dev.graft.testutil.StoredPredictions.read(zoo(name + "_inputs_and_outputs.h5"));
            HostArray y = dev.graft.engine.EngineModel.ofDl4j(zip).predict(stored.inputs().toArray(HostArray[]::new))[0];
            dev.graft.testutil.ArrayAssertions.assertClose(stored.outputs().get(0), y, 1e-5);
        }
    }
}
