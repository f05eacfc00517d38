package dev.graft.data;

import dev.graft.GraftException;
import dev.graft.model.HostArray;
import dev.graft.model.Shape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds the data files a user names ({@code --input x.npy}, {@code --input name=x.csv}) to a
 * model's inputs: in the model's input order, or by input name; one {@code .npz} may also hold
 * every input, named after the model's inputs. A CSV table feeds a model whose samples are
 * matrices when its columns hold exactly one sample each, row-major (as numpy's reshape reads it).
 */
public final class ModelInputs {
    private ModelInputs() {
    }

    /**
     * @param drop columns to leave out of CSV inputs (a {@link ColumnSelection} spec), or null
     */
    public static List<HostArray> bind(List<String> specs, String drop, List<String> names, List<Shape> shapes) {
        return bind(specs, drop, null, names, shapes, InputStream.nullInputStream()).arrays();
    }

    /**
     * The arrays for the model's inputs, and the {@code --keep} columns of the first CSV input.
     *
     * @param keep  columns of the first CSV input to pass through to the output (and leave out of
     *              the features), or null
     * @param stdin what {@code -} reads: a CSV table or a .npy array
     */
    public static Bound bind(List<String> specs, String drop, String keep, List<String> names, List<Shape> shapes, InputStream stdin) {
        Map<String, HostArray> byName = new LinkedHashMap<>();
        List<HostArray> positional = new ArrayList<>();
        Reading reading = new Reading(drop, keep, stdin);
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq > 0 && names.contains(spec.substring(0, eq))) {
                byName.put(spec.substring(0, eq), reading.read(spec.substring(eq + 1)));
                continue;
            }
            if (spec.equals("-")) {
                positional.add(reading.read(spec));
                continue;
            }
            Path p = Path.of(spec);
            if (DataFiles.detect(p) == DataFiles.Format.NPZ && names.size() > 1) {
                Map<String, HostArray> all = DataFiles.readAll(p, CsvOptions.defaults());
                for (String n : names) if (all.containsKey(n)) byName.put(n, all.get(n));
                continue;
            }
            positional.add(reading.read(spec));
        }
        // Named data first; files given in order fill the inputs still without data, in the model's order.
        List<HostArray> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < names.size(); i++) {
            HostArray a = byName.get(names.get(i));
            if (a == null && next < positional.size()) a = positional.get(next++);
            if (a == null) {
                throw new GraftException("no data for model input '" + names.get(i) + "' " + shapes.get(i)
                        + "; give --input FILE per input in order (" + String.join(", ", names) + ") or --input NAME=FILE");
            }
            out.add(conform(a, shapes.get(i)));
        }
        if (next < positional.size()) {
            throw new GraftException("the model has " + names.size() + " input(s) (" + String.join(", ", names) + ") but "
                    + (positional.size() + byName.size()) + " --input files were given");
        }
        if (keep != null && reading.kept == null) {
            throw new GraftException("--keep takes columns of a CSV input, and no input is CSV");
        }
        return new Bound(out, reading.kept);
    }

    /** The inputs' arrays in the model's order, and the columns {@code --keep} passes through (or null). */
    public record Bound(List<HostArray> arrays, KeptColumns kept) {
    }

    /** Reads each input: files by content, {@code -} from standard input, CSV without the dropped and kept columns. */
    private static final class Reading {
        private final String drop;
        private final String keep;
        private final InputStream stdin;
        private boolean stdinUsed;
        KeptColumns kept;

        Reading(String drop, String keep, InputStream stdin) {
            this.drop = drop;
            this.keep = keep;
            this.stdin = stdin;
        }

        /** An input's array; NaN and infinity are refused, naming the file, as a CSV's are. */
        HostArray read(String spec) {
            return FiniteValues.require(readAny(spec), spec.equals("-") ? "standard input" : spec);
        }

        private HostArray readAny(String spec) {
            if (spec.equals("-")) return readStdin();
            Path p = Path.of(spec);
            if ((drop == null && keep == null) || DataFiles.detect(p) != DataFiles.Format.CSV) return DataFiles.read(p);
            if (keep == null || kept != null) return CsvReader.read(p).split(selection(drop, "--drop")).features();
            try {
                return csv(Files.readString(p, StandardCharsets.UTF_8), FileProblems.name(p));
            } catch (IOException e) {
                throw FileProblems.of(p, e);
            }
        }

        private HostArray readStdin() {
            if (stdinUsed) throw new GraftException("only one --input can be '-' (standard input)");
            stdinUsed = true;
            byte[] bytes;
            try {
                bytes = stdin.readAllBytes();
            } catch (IOException e) {
                throw new DataFileException("standard input", "cannot read: " + e.getMessage(), e);
            }
            if (bytes.length >= NpyHeader.MAGIC.length && Arrays.equals(Arrays.copyOf(bytes, NpyHeader.MAGIC.length), NpyHeader.MAGIC)) {
                return NpyReader.read(new ByteArrayInputStream(bytes), "standard input");
            }
            if (bytes.length >= 2 && bytes[0] == 'P' && bytes[1] == 'K') {
                throw new DataFileException("standard input", "an .npz cannot be read from standard input; give it as a file");
            }
            return csv(new String(bytes, StandardCharsets.UTF_8), "standard input");
        }

        private HostArray csv(String text, String source) {
            CsvTable table;
            try {
                table = CsvReader.read(new StringReader(text), source, CsvOptions.defaults());
            } catch (IOException e) {
                throw new DataFileException(source, "cannot read: " + e.getMessage(), e);
            }
            if (keep == null || kept != null) return drop == null ? table.matrix() : table.split(selection(drop, "--drop")).features();
            kept = KeptColumns.of(text, table, selection(keep, "--keep"));
            // Kept columns go around the model: left out of the features, as the dropped ones.
            java.util.Set<Integer> leftOut = new java.util.TreeSet<>();
            for (int c : selection(keep, "--keep").resolve(table)) leftOut.add(c);
            if (drop != null) for (int c : selection(drop, "--drop").resolve(table)) leftOut.add(c);
            String indexes = String.join(",", leftOut.stream().map(String::valueOf).toList());
            return table.split(selection(indexes, "--drop")).features();
        }
    }

    private static ColumnSelection selection(String spec, String option) {
        try {
            return ColumnSelection.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new dev.graft.UsageException("bad " + option + " '" + spec + "': " + e.getMessage());
        }
    }

    /** A table whose rows each hold one sample of a matrix-shaped input, reshaped to it. */
    private static HostArray conform(HostArray data, Shape expected) {
        if (expected == null || data.rank() != 2 || expected.rank() <= 2 || !expected.isSampleShapeKnown()) return data;
        long per = expected.elementsPerSample();
        long[] s = data.shape();
        if (s[1] != per) return data; // the engine names both shapes
        long[] shape = new long[expected.rank()];
        shape[0] = s[0];
        for (int i = 1; i < shape.length; i++) shape[i] = expected.dim(i);
        return data.reshape(shape);
    }

    /** Text for an array's shape in the form used in messages: {@code (5, 12)}. */
    public static String shapeText(long[] shape) {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }
}
