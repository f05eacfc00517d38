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
 * {@code graft train} through graft's own SameDiff layers (issue 12), in hybrids of Keras 3 zoo models ending in the zoo's
 * Dense(6) (graft trains models ending in a Dense). DepthwiseConv1D(depth_multiplier=2, same), a dense:3 bridge,
 * DepthwiseConv1D(3), a flatten,dense:5 bridge and the Dense, merged with the first donor frozen, learn a fixed
 * regression: the loss falls, every other layer changes and the frozen one stays bit for bit. Then each other class with
 * weights (grouped Conv2D, Conv1DTranspose, strided DepthwiseConv2D, GroupNormalization; channels-first SeparableConv1D
 * and BatchNormalization, a strided Conv3DTranspose, a Conv2DTranspose with output padding) trains in front of the Dense.
 */
class TrainGraftConvolutionsTest {
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

    private static Cli train(Path model, Path[] data, Path out, String... extra) {
        String[] base = {"train", model.toString(), "--x", data[0].toString(), "--y", data[1].toString(), "--epochs", "15", "--seed", "1",
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

    @Test
    void aDepthwiseHybridTrainsWithItsFrozenDonorBitForBit() throws Exception {
        Path hybrid = dir.resolve("hybrid.h5");
        Cli m = Cli.run("merge", zoo("dwconv1d_dm2_same.keras").toString(), zoo("dwconv1d_k3.h5").toString(), zoo("dense_act_linear.h5").toString(),
                "--bridge", "dense:3", "--bridge", "flatten,dense:5", "--freeze", "first", "-o", hybrid.toString());
        assertEquals(0, m.exitCode(), m.err());
        Path out = dir.resolve("trained.h5");
        Cli r = train(hybrid, data(new long[] {64, 8, 3}, new long[] {64, 6}, 1), out);
        assertLearns(r, "hybrid");
        ModelGraph before = ModelFiles.read(hybrid), after = ModelFiles.read(out);
        Set<String> changed = changedLayers(before, after);
        String frozen = before.layers().stream().filter(l -> l.className().equals("DepthwiseConv1D")).findFirst().orElseThrow().name();
        assertTrue(!changed.contains(frozen), "the frozen donor stays bit for bit: " + changed);
        assertEquals(4, changed.size(), "both bridges, the second depthwise convolution and the Dense train: " + changed);
    }

    /** A DL4J zip holds graft's layers in DL4J's JSON: converted zoo models predict from the zip what Keras stored. */
    @Test
    void convertedToAZipTheyPredictWhatKerasStored() throws Exception {
        for (String name : new String[] {"dwconv2d_dm2_same_s2", "dwconv1d_cf", "conv1dt_valid", "conv2d_groups2", "groupnorm_instance",
                "resizing_bilinear_down", "conv2dt_valid_s21_op10", "sepconv1d_cf", "conv3dt_valid_s2", "batchnorm_axis1"}) {
            Path zip = dir.resolve(name + ".zip");
            Cli r = Cli.run("convert", zoo(name + ".keras").toString(), "-o", zip.toString());
            assertEquals(0, r.exitCode(), name + ": " + r.err());
            dev.graft.testutil.StoredPredictions stored = dev.graft.testutil.StoredPredictions.read(zoo(name + "_inputs_and_outputs.h5"));
            HostArray y = dev.graft.engine.EngineModel.ofDl4j(zip).predict(stored.inputs().toArray(HostArray[]::new))[0];
            dev.graft.testutil.ArrayAssertions.assertClose(stored.outputs().get(0), y, 1e-5);
        }
    }

    @Test
    void eachWeightedClassTrainsAlone() throws Exception {
        Object[][] cases = {
            {"conv2d_groups2.h5", "Conv2D", new long[] {48, 5, 5, 4}},
            {"conv1dt_same_s2.keras", "Conv1DTranspose", new long[] {48, 5, 3}},
            {"dwconv2d_dm2_same_s2.keras", "DepthwiseConv2D", new long[] {48, 6, 6, 3}},
            {"groupnorm_2.h5", "GroupNormalization", new long[] {48, 4, 4}},
            {"sepconv1d_cf.keras", "SeparableConv1D", new long[] {48, 3, 8}},
            {"conv3dt_valid_s2.keras", "Conv3DTranspose", new long[] {48, 3, 3, 3, 2}},
            {"conv2dt_valid_s21_op10.h5", "Conv2DTranspose", new long[] {48, 4, 4, 3}},
            {"batchnorm_axis1.keras", "BatchNormalization", new long[] {48, 3, 4, 4}},
        };
        int seed = 2;
        for (Object[] c : cases) {
            Path model = dir.resolve(c[0] + ".hybrid.h5");
            Cli m = Cli.run("merge", zoo((String) c[0]).toString(), zoo("dense_act_linear.h5").toString(), "--bridge", "flatten,dense:5",
                    "-o", model.toString());
            assertEquals(0, m.exitCode(), m.err());
            Path out = dir.resolve(c[0] + ".trained.h5");
            long[] x = (long[]) c[2];
            assertLearns(train(model, data(x, new long[] {x[0], 6}, seed++), out, "--trainable", "all"), (String) c[0]);
            ModelGraph before = ModelFiles.read(model);
            String layer = before.layers().stream().filter(l -> l.className().equals(c[1])).findFirst().orElseThrow().name();
            assertTrue(changedLayers(before, ModelFiles.read(out)).contains(layer), c[0] + ": its " + c[1] + " trains");
        }
    }
}
