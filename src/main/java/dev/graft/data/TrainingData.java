package dev.graft.data;

import dev.graft.GraftException;
import dev.graft.model.HostArray;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The data {@code train} learns from: inputs and labels, with optional validation data, loaded
 * from a CSV with target columns or from {@code .npy} pairs, and split as Keras's
 * {@code validation_split} does (the last rows, before any shuffling) unless asked to pick them at random.
 *
 * @param source how to name the training data in messages
 */
public record TrainingData(HostArray x, HostArray y, String source, HostArray validationX, HostArray validationY, String validationSource) {

    /** {@code --data FILE.csv --target COLS}. */
    public static TrainingData fromCsv(Path csv, String targets) {
        CsvTable table = CsvReader.read(csv);
        ColumnSelection sel;
        try {
            sel = ColumnSelection.parse(targets);
        } catch (IllegalArgumentException e) {
            throw new GraftException("bad --target '" + targets + "': " + e.getMessage());
        }
        CsvTable.Split split = table.split(sel);
        return new TrainingData(split.features(), split.targets(), csv + " (targets " + String.join(", ", split.targetNames()) + ")", null, null, null);
    }

    /** {@code --x X.npy --y Y.npy} (any array file graft reads). */
    public static TrainingData fromArrays(Path x, Path y) {
        // Each file is checked on its own, so a NaN is blamed on the file that holds it.
        HostArray xs = FiniteValues.require(DataFiles.read(x), x.toString());
        HostArray ys = FiniteValues.require(DataFiles.read(y), y.toString());
        if (xs.rank() == 0 || ys.rank() == 0 || xs.shape()[0] != ys.shape()[0]) {
            throw new GraftException(y + ": " + (ys.rank() == 0 ? 0 : ys.shape()[0]) + " label rows for " + (xs.rank() == 0 ? 0 : xs.shape()[0])
                    + " input rows in " + x);
        }
        return new TrainingData(xs, ys, y.toString(), null, null, null);
    }

    /**
     * {@code --validation FILE}: a CSV read with the same target columns, a {@code .npz} holding
     * arrays {@code x} and {@code y}, or two array files {@code X,Y}.
     */
    public TrainingData withValidation(String spec, String targets) {
        if (spec.contains(",")) {
            String[] two = spec.split(",", 2);
            TrainingData v = fromArrays(Path.of(two[0]), Path.of(two[1]));
            return new TrainingData(x, y, source, v.x, v.y, v.source);
        }
        Path p = Path.of(spec);
        switch (DataFiles.detect(p)) {
            case CSV: {
                if (targets == null) throw new GraftException(p + ": a CSV validation file needs --target");
                TrainingData v = fromCsv(p, targets);
                return new TrainingData(x, y, source, v.x, v.y, v.source);
            }
            case NPZ: {
                Map<String, HostArray> all = NpzFile.read(p);
                if (!all.containsKey("x") || !all.containsKey("y")) {
                    throw new GraftException(p + ": a validation .npz needs arrays named 'x' and 'y' (has " + String.join(", ", all.keySet()) + ")");
                }
                return new TrainingData(x, y, source, FiniteValues.require(all.get("x"), p + ": array 'x'"),
                        FiniteValues.require(all.get("y"), p + ": array 'y'"), p + ": array 'y'");
            }
            default:
                throw new GraftException(p + ": give validation data as a CSV, an .npz with arrays x and y, or X.npy,Y.npy");
        }
    }

    /** Keras's {@code validation_split}: the last fraction of the rows, or (shuffled) a seeded random choice. */
    public TrainingData withValidationSplit(double fraction, boolean shuffled, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new GraftException("--validation-split must be between 0 and 1, got " + fraction);
        int rows = Math.toIntExact(x.shape()[0]);
        int val = (int) Math.floor(rows * fraction);
        if (val < 1 || val >= rows) throw new GraftException("--validation-split " + fraction + " of " + rows + " rows leaves no " + (val < 1 ? "validation" : "training") + " rows");
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) order[i] = i;
        if (shuffled) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = rows - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int[] train = java.util.Arrays.copyOfRange(order, 0, rows - val);
        int[] valid = java.util.Arrays.copyOfRange(order, rows - val, rows);
        return new TrainingData(RowSelection.of(x, train), RowSelection.of(y, train), source,
                RowSelection.of(x, valid), RowSelection.of(y, valid), source + " (last " + val + " rows)");
    }

    public boolean hasValidation() {
        return validationX != null;
    }
}
