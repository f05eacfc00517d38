package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code fit} features of {@code train}: {@code --lr-schedule} (the rate of each epoch is the formula's,
 * and the engine uses it), {@code --class-weight} (the loss is the weighted mean Keras computes),
 * {@code --checkpoint} (the best validation epoch's weights, written under {@code -o}'s rules), and
 * {@code --metrics} checked while the command line is parsed. On the seed's example-3 hybrid (binary
 * cross-entropy), 64 rows.
 */
class TrainFitOptionsTest {
    @TempDir
    static Path dir;
    static Path hybrid;
    static Path data;

    @BeforeAll
    static void merge() throws Exception {
        hybrid = dir.resolve("hybrid.h5");
        Cli r = Cli.run("merge", "samples/example3_first.h5", "samples/example3_second.h5", "--bridge", "dense:32", "--freeze", "donors",
                "-o", hybrid.toString());
        assertEquals(0, r.exitCode(), r.err());
        data = dir.resolve("rows.csv");
        Files.write(data, Files.readAllLines(Path.of("samples/example3_train.csv")).subList(0, 65));
    }

    private static Cli train(Path out, String... extra) {
        String[] base = {"train", hybrid.toString(), "--data", data.toString(), "--target", "label", "--optimizer", "sgd", "--learning-rate", "0.1",
            "-o", out.toString(), "--quiet", "--json"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.run(args);
    }

    @Test
    void scheduleRatesFollowTheFormulaAndAreUsed() throws Exception {
        Cli step = train(dir.resolve("step.h5"), "--epochs", "4", "--lr-schedule", "step:2:0.5");
        assertEquals(0, step.exitCode(), step.err());
        double[] want = {0.1, 0.1, 0.05, 0.05};
        for (int e = 0; e < 4; e++) assertEquals(want[e], step.json().path("history").get(e).path("learning_rate").asDouble(), 1e-12);
        Cli cosine = train(dir.resolve("cos.h5"), "--epochs", "3", "--lr-schedule", "cosine");
        assertEquals(0, cosine.exitCode(), cosine.err());
        for (int e = 0; e < 3; e++) {
            assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * e / 3)), cosine.json().path("history").get(e).path("learning_rate").asDouble(), 1e-12);
        }
        Cli exp = train(dir.resolve("exp.h5"), "--epochs", "3", "--lr-schedule", "exponential:0.9");
        assertEquals(0.1 * 0.81, exp.json().path("history").get(2).path("learning_rate").asDouble(), 1e-12);

        // a second epoch at a rate of 1e-10 leaves the first epoch's weights; at 0.1 it moves them
        assertEquals(0, train(dir.resolve("one.h5"), "--epochs", "1").exitCode());
        assertEquals(0, train(dir.resolve("tiny.h5"), "--epochs", "2", "--lr-schedule", "step:1:1e-9").exitCode());
        assertEquals(0, train(dir.resolve("two.h5"), "--epochs", "2").exitCode());
        assertTrue(maxWeightDifference(dir.resolve("one.h5"), dir.resolve("tiny.h5")) < 1e-6);
        assertTrue(maxWeightDifference(dir.resolve("one.h5"), dir.resolve("two.h5")) > 1e-4);
    }

    @Test
    void classWeightsWeighTheLossAsKerasDoes() throws Exception {
        TrainingData d = TrainingData.fromCsv(data, "label");
        HostArray p = EngineModel.ofKeras(ModelFiles.read(hybrid)).predict(d.x())[0];
        double weighted = 0, plain = 0, ones = 0, zeros = 0;
        int n1 = 0;
        int rows = Math.toIntExact(d.y().shape()[0]);
        for (int i = 0; i < rows; i++) {
            double y = d.y().getDouble(i), q = Math.min(1 - 1e-7, Math.max(1e-7, p.getDouble(i)));
            double l = -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
            weighted += (y > 0.5 ? 5 : 1) * l / rows;
            plain += l / rows;
            if (y > 0.5) {
                ones += l / rows;
                n1++;
            } else {
                zeros += l / rows;
            }
        }
        // one batch holding every row: the epoch's loss is the first batch's, before any update
        Cli r = train(dir.resolve("cw.h5"), "--epochs", "1", "--batch-size", "64", "--class-weight", "0=1,1=5");
        assertEquals(0, r.exitCode(), r.err());
        Cli none = train(dir.resolve("cw1.h5"), "--epochs", "1", "--batch-size", "64");
        assertEquals(plain, none.json().path("history").get(0).path("loss").asDouble(), 1e-5);
        assertEquals(weighted, r.json().path("history").get(0).path("loss").asDouble(), 1e-5);
        assertTrue(Math.abs(weighted - plain) > 1e-3);
        // balanced: samples / (classes x samples of the class)
        Cli balanced = train(dir.resolve("cwb.h5"), "--epochs", "1", "--batch-size", "64", "--class-weight", "balanced");
        double want = (double) rows / (2 * n1) * ones + (double) rows / (2 * (rows - n1)) * zeros;
        assertEquals(want, balanced.json().path("history").get(0).path("loss").asDouble(), 1e-5);

        Cli bad = train(dir.resolve("bad.h5"), "--class-weight", "0=1,one=5");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--class-weight"), bad.err());
    }

    @Test
    void checkpointHoldsTheBestValidationEpoch() throws Exception {
        Path best = dir.resolve("best.h5"), last = dir.resolve("last.h5");
        Cli r = train(last, "--epochs", "6", "--validation-split", "0.3", "--checkpoint", best.toString());
        assertEquals(0, r.exitCode(), r.err());
        double lowest = Double.POSITIVE_INFINITY;
        for (JsonNode e : r.json().path("history")) lowest = Math.min(lowest, e.path("val_loss").asDouble());
        TrainingData d = TrainingData.fromCsv(data, "label").withValidationSplit(0.3, false, 42);
        assertEquals(lowest, bce(best, d), 1e-5, "the checkpoint's validation loss is the lowest epoch's");
        JsonNode h = r.json().path("history");
        assertEquals(h.get(h.size() - 1).path("val_loss").asDouble(), bce(last, d), 1e-5, "-o holds the last epoch");

        int bestEpoch = 0;
        for (JsonNode e : h) if (e.path("val_loss").asDouble() == lowest && bestEpoch == 0) bestEpoch = e.path("epoch").asInt();
        String[] plain = {"train", hybrid.toString(), "--data", data.toString(), "--target", "label", "--optimizer", "sgd", "--learning-rate", "0.1",
            "--epochs", "6", "--validation-split", "0.3", "--checkpoint", best.toString(), "-o", last.toString()};
        Cli text = Cli.run(plain);
        assertTrue(text.err().contains("wrote " + best + " (--checkpoint: epoch " + bestEpoch + ")"), text.err());

        Cli same = train(dir.resolve("x.h5"), "--epochs", "1", "--checkpoint", dir.resolve("x.h5").toString());
        assertEquals(1, same.exitCode(), same.err());
        assertTrue(same.err().contains("--checkpoint names the output model"), same.err());
        Cli input = train(dir.resolve("y.h5"), "--epochs", "1", "--checkpoint", hybrid.toString());
        assertTrue(input.exitCode() != 0 && input.err().contains("is also an input"), input.err());
        assertFalse(Files.exists(dir.resolve("y.h5")), "no partial output");
    }

    @Test
    void anUnknownMetricIsAUsageErrorBeforeAnyFileIsRead() {
        Cli r = Cli.run("train", dir.resolve("missing.h5").toString(), "--x", "a.npy", "--y", "b.npy", "--metrics", "accuracy,acuracy",
                "-o", dir.resolve("m.h5").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("unknown metric 'acuracy'"), r.err());
        Cli schedule = Cli.run("train", dir.resolve("missing.h5").toString(), "--x", "a.npy", "--y", "b.npy", "--lr-schedule", "linear",
                "-o", dir.resolve("m.h5").toString());
        assertEquals(2, schedule.exitCode(), schedule.err());
        assertTrue(schedule.err().contains("--lr-schedule 'linear'"), schedule.err());
    }

    private static double bce(Path model, TrainingData d) {
        HostArray p = EngineModel.ofKeras(ModelFiles.read(model)).predict(d.validationX())[0];
        double sum = 0;
        long rows = d.validationY().shape()[0];
        for (int i = 0; i < rows; i++) {
            double y = d.validationY().getDouble(i), q = Math.min(1 - 1e-7, Math.max(1e-7, p.getDouble(i)));
            sum -= (y * Math.log(q) + (1 - y) * Math.log(1 - q)) / rows;
        }
        return sum;
    }

    private static double maxWeightDifference(Path a, Path b) {
        ModelGraph ma = ModelFiles.read(a), mb = ModelFiles.read(b);
        double worst = 0;
        for (Layer l : ma.layers()) {
            for (int w = 0; w < l.weights().size(); w++) {
                HostArray x = l.weights().get(w).read(), y = mb.layer(l.name()).weights().get(w).read();
                for (long i = 0; i < x.size(); i++) worst = Math.max(worst, Math.abs(x.getDouble(i) - y.getDouble(i)));
            }
        }
        return worst;
    }
}
