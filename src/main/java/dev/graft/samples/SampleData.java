package dev.graft.samples;

import dev.graft.data.CsvWriter;
import dev.graft.data.DataFiles;
import dev.graft.engine.EngineModel;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.BridgeSpec;
import dev.graft.surgery.Donor;
import dev.graft.surgery.Freeze;
import dev.graft.surgery.MergePlanner;
import dev.graft.surgery.MergeRequest;
import dev.graft.surgery.TrainingSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Datasets for the samples' training story: tasks the frozen donors solve only once their
 * bridge is trained. Labels come from a "teacher" hybrid, the same donors joined through a
 * bridge drawn from another seed, thresholded at its median so the classes are balanced: a
 * bridge that solves the task exists, and a freshly drawn one is near chance. Samples whose
 * teacher output lies closest to the threshold are left out, so the classes keep a margin and a
 * trained bridge can separate them almost perfectly.
 */
final class SampleData {
    private static final long TEACHER_SEED = 20261128L;

    private SampleData() {
    }

    /** {@code example3_train.csv}: 10 features and a 0/1 label per row, for example 3's hybrid through dense:32. */
    static void example3(Map<String, ModelGraph> models, Path dir, int candidates) {
        Labelled task = teacherTask(models.get("example3_first"), models.get("example3_second"), "dense:32", uniform(candidates, new long[] {10}, 1));
        HostArray x = task.x();
        HostArray labels = task.y();
        int rows = Math.toIntExact(x.shape()[0]);
        float[] xf = x.floatData(), lf = labels.floatData();
        float[] table = new float[rows * 11];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(xf, r * 10, table, r * 11, 10);
            table[r * 11 + 10] = lf[r];
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) names.add("x" + i);
        names.add("label");
        CsvWriter.write(dir.resolve("example3_train.csv"), HostArray.ofFloats(new long[] {rows, 11}, table), names);
    }

    /** {@code ts_train_x.npy} (rows, 32 steps, 4 channels) and {@code ts_train_y.npy} (rows,), for the time-series pair through dense:8. */
    static Labelled timeSeries(Map<String, ModelGraph> models, Path dir, int candidates) {
        Labelled task = teacherTask(models.get("ts_extractor"), models.get("ts_lstm"), "dense:8", uniform(candidates, new long[] {32, 4}, 2));
        DataFiles.write(dir.resolve("ts_train_x.npy"), task.x());
        DataFiles.write(dir.resolve("ts_train_y.npy"), task.y().reshape(task.y().shape()[0]));
        return task;
    }

    /**
     * {@code two_heads_numbers.npy} (rows, 6), {@code two_heads_flags.npy} (rows, 4) and the labels of the
     * {@code two_heads} sample: {@code two_heads_positive.npy} (rows, 1), whether the numbers sum above 0, and
     * {@code two_heads_kind.npy} (rows, 3), one-hot, which of the first three flags is largest.
     */
    static void twoHeads(Path dir, int rows) {
        HostArray numbers = uniform(rows, new long[] {6}, 3);
        HostArray flags = uniform(rows, new long[] {4}, 4);
        float[] n = numbers.floatData(), f = flags.floatData();
        float[] positive = new float[rows];
        float[] kind = new float[rows * 3];
        for (int r = 0; r < rows; r++) {
            float sum = 0;
            for (int i = 0; i < 6; i++) sum += n[r * 6 + i];
            positive[r] = sum > 0 ? 1f : 0f;
            int best = 0;
            for (int i = 1; i < 3; i++) if (f[r * 4 + i] > f[r * 4 + best]) best = i;
            kind[r * 3 + best] = 1f;
        }
        DataFiles.write(dir.resolve("two_heads_numbers.npy"), numbers);
        DataFiles.write(dir.resolve("two_heads_flags.npy"), flags);
        DataFiles.write(dir.resolve("two_heads_positive.npy"), HostArray.ofFloats(new long[] {rows, 1}, positive));
        DataFiles.write(dir.resolve("two_heads_kind.npy"), HostArray.ofFloats(new long[] {rows, 3}, kind));
    }

    /** Inputs and 0/1 labels. */
    record Labelled(HostArray x, HostArray y) {
    }

    /** The candidates farthest from the teacher's median (70% of them), labelled by which side they fall on. */
    private static Labelled teacherTask(ModelGraph first, ModelGraph second, String bridge, HostArray candidates) {
        List<Donor> donors = List.of(new Donor(Path.of("first"), first, ""), new Donor(Path.of("second"), second, ""));
        MergeRequest req = new MergeRequest(donors, List.of(BridgeSpec.parse(bridge)), Freeze.NONE, new TrainingSpec(null, null, null),
                Map.of(), null, TEACHER_SEED, "teacher");
        HostArray y = EngineModel.ofKeras(MergePlanner.plan(req).hybrid()).predict(candidates)[0];
        float[] v = y.toFloatArray();
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        float median = sorted[sorted.length / 2];
        Integer[] byMargin = new Integer[v.length];
        for (int i = 0; i < v.length; i++) byMargin[i] = i;
        Arrays.sort(byMargin, (a, b) -> Float.compare(Math.abs(v[b] - median), Math.abs(v[a] - median)));
        int keep = v.length * 7 / 10;
        int[] rows = new int[keep];
        for (int i = 0; i < keep; i++) rows[i] = byMargin[i];
        Arrays.sort(rows); // keep the sampling order, not the margin order
        float[] labels = new float[keep];
        for (int i = 0; i < keep; i++) labels[i] = v[rows[i]] >= median ? 1f : 0f;
        return new Labelled(dev.graft.data.RowSelection.of(candidates, rows), HostArray.ofFloats(new long[] {keep, 1}, labels));
    }

    /** Inputs uniform in [-1, 1), from a fixed seed. */
    private static HostArray uniform(int rows, long[] sample, long seed) {
        long[] shape = new long[sample.length + 1];
        shape[0] = rows;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(HostArray.size(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return HostArray.ofFloats(shape, v);
    }
}
