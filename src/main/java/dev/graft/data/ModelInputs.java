package dev.graft.data;

import dev.graft.GraftException;
import dev.graft.model.HostArray;
import dev.graft.model.Shape;
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
        Map<String, HostArray> byName = new LinkedHashMap<>();
        List<HostArray> positional = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq > 0 && names.contains(spec.substring(0, eq))) {
                byName.put(spec.substring(0, eq), read(Path.of(spec.substring(eq + 1)), drop));
                continue;
            }
            Path p = Path.of(spec);
            if (DataFiles.detect(p) == DataFiles.Format.NPZ && names.size() > 1) {
                Map<String, HostArray> all = DataFiles.readAll(p, CsvOptions.defaults());
                for (String n : names) if (all.containsKey(n)) byName.put(n, all.get(n));
                continue;
            }
            positional.add(read(p, drop));
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
        return out;
    }

    private static HostArray read(Path p, String drop) {
        if (drop == null || DataFiles.detect(p) != DataFiles.Format.CSV) return FiniteValues.require(DataFiles.read(p), p.toString());
        ColumnSelection sel;
        try {
            sel = ColumnSelection.parse(drop);
        } catch (IllegalArgumentException e) {
            throw new GraftException("bad --drop '" + drop + "': " + e.getMessage());
        }
        return CsvReader.read(p).split(sel).features();
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
