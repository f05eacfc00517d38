package dev.graft.data;

import dev.graft.GraftException;
import dev.graft.model.HostArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The data {@code train} learns from: inputs and labels, with optional validation data, loaded
 * from a CSV with target columns or from array files (one per model input and per output for a model
 * with several), and split as Keras's {@code validation_split} does (the last rows, before any
 * shuffling) unless asked to pick them at random.
 *
 * @param xs      one array per model input, in the model's input order
 * @param ys      one array per model output, in the model's output order
 * @param sources how to name each label array in messages (the training data, for one output)
 * @param validationXs null when there is no validation data
 */
public record TrainingData(List<HostArray> xs, List<HostArray> ys, List<String> sources, List<HostArray> validationXs,
                           List<HostArray> validationYs, List<String> validationSources) {

    /** One input and one output. */
    public TrainingData(HostArray x, HostArray y, String source, HostArray validationX, HostArray validationY, String validationSource) {
        this(List.of(x), List.of(y), List.of(source), validationX == null ? null : List.of(validationX),
                validationY == null ? null : List.of(validationY), validationSource == null ? null : List.of(validationSource));
    }

    /** The (first) input. */
    public HostArray x() {
        return xs.get(0);
    }

    /** The (first) output's labels. */
    public HostArray y() {
        return ys.get(0);
    }

    public HostArray validationX() {
        return validationXs == null ? null : validationXs.get(0);
    }

    public HostArray validationY() {
        return validationYs == null ? null : validationYs.get(0);
    }

    /** How to name the (first) labels in messages. */
    public String source() {
        return sources.get(0);
    }

    public String validationSource() {
        return validationSources == null ? null : validationSources.get(0);
    }

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
            return new TrainingData(x(), y(), source(), v.x(), v.y(), v.source());
        }
        Path p = Path.of(spec);
        switch (DataFiles.detect(p)) {
            case CSV: {
                if (targets == null) throw new GraftException(p + ": a CSV validation file needs --target");
                TrainingData v = fromCsv(p, targets);
                return new TrainingData(x(), y(), source(), v.x(), v.y(), v.source());
            }
            case NPZ: {
                Map<String, HostArray> all = NpzFile.read(p);
                if (!all.containsKey("x") || !all.containsKey("y")) {
                    throw new GraftException(p + ": a validation .npz needs arrays named 'x' and 'y' (has " + String.join(", ", all.keySet()) + ")");
                }
                return new TrainingData(x(), y(), source(), FiniteValues.require(all.get("x"), p + ": array 'x'"),
                        FiniteValues.require(all.get("y"), p + ": array 'y'"), p + ": array 'y'");
            }
            default:
                throw new GraftException(p + ": give validation data as a CSV, an .npz with arrays x and y, or X.npy,Y.npy");
        }
    }

    /** Keras's {@code validation_split}: the last fraction of the rows, or (shuffled) a seeded random choice. */
    public TrainingData withValidationSplit(double fraction, boolean shuffled, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new GraftException("--validation-split must be between 0 and 1, got " + fraction);
        int rows = Math.toIntExact(x().shape()[0]);
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
        List<String> validSources = new ArrayList<>();
        for (String s : sources) validSources.add(s + " (last " + val + " rows)");
        return new TrainingData(rows(xs, train), rows(ys, train), sources, rows(xs, valid), rows(ys, valid), validSources);
    }

    private static List<HostArray> rows(List<HostArray> arrays, int[] rows) {
        List<HostArray> out = new ArrayList<>();
        for (HostArray a : arrays) out.add(RowSelection.of(a, rows));
        return out;
    }

    public boolean hasValidation() {
        return validationXs != null;
    }

    /**
     * {@code --x} and {@code --y} for a model with several inputs or outputs: one file per input in the
     * model's input order or {@code NAME=FILE}, the same for the outputs' labels (as {@code predict --input} takes them).
     */
    public static TrainingData fromArrays(List<String> xSpecs, List<String> ySpecs, List<String> inputs, List<String> outputs) {
        List<Path> xFiles = NamedFiles.inModelOrder(xSpecs, inputs, "--x", "input");
        List<Path> yFiles = NamedFiles.inModelOrder(ySpecs, outputs, "--y", "output");
        List<HostArray> xs = read(xFiles);
        List<HostArray> ys = read(yFiles);
        sameRows(xs, xFiles, ys, yFiles);
        List<String> sources = new ArrayList<>();
        for (Path p : yFiles) sources.add(p.toString());
        return new TrainingData(xs, ys, sources, null, null, null);
    }

    /** {@code --validation-x} and {@code --validation-y}, as {@link #fromArrays(List, List, List, List)} reads them. */
    public TrainingData withValidationArrays(List<String> xSpecs, List<String> ySpecs, List<String> inputs, List<String> outputs) {
        TrainingData v = fromArrays(xSpecs, ySpecs, inputs, outputs);
        return new TrainingData(xs, ys, sources, v.xs, v.ys, v.sources);
    }

    private static List<HostArray> read(List<Path> files) {
        List<HostArray> out = new ArrayList<>();
        // Each file is checked on its own, so a NaN is blamed on the file that holds it.
        for (Path p : files) out.add(FiniteValues.require(DataFiles.read(p), p.toString()));
        return out;
    }

    /** Every input and label array holds one row per sample: the same number of rows. */
    private static void sameRows(List<HostArray> xs, List<Path> xFiles, List<HostArray> ys, List<Path> yFiles) {
        long rows = xs.get(0).rank() == 0 ? 0 : xs.get(0).shape()[0];
        for (int i = 0; i < xs.size() + ys.size(); i++) {
            HostArray a = i < xs.size() ? xs.get(i) : ys.get(i - xs.size());
            Path p = i < xs.size() ? xFiles.get(i) : yFiles.get(i - xs.size());
            long r = a.rank() == 0 ? 0 : a.shape()[0];
            if (a.rank() == 0 || r != rows) {
                throw new GraftException(p + ": " + r + " rows for " + rows + " input rows in " + xFiles.get(0));
            }
        }
    }
}
