package dev.graft.data;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A numeric CSV file as read: column names (from the header, or {@code col0, col1, ...}), and
 * the values row-major in float32 or float64. Column selections come back as new
 * {@link HostArray}s of shape (rows, columns).
 */
public final class CsvTable {
    private final String source;
    private final List<String> names;
    private final boolean hasHeader;
    private final DType dtype;
    private final int rows;
    private final float[] floats;
    private final double[] doubles;
    private final int[] lines;

    CsvTable(String source, List<String> names, boolean hasHeader, DType dtype, int rows, float[] floats, double[] doubles, int[] lines) {
        this.source = source;
        this.names = Collections.unmodifiableList(new ArrayList<>(names));
        this.hasHeader = hasHeader;
        this.dtype = dtype;
        this.rows = rows;
        this.floats = floats;
        this.doubles = doubles;
        this.lines = lines;
    }

    /** The file as named in messages. */
    public String source() {
        return source;
    }

    public List<String> columnNames() {
        return names;
    }

    /** Whether the names came from a header row (else they are generated: col0, col1, ...). */
    public boolean hasHeader() {
        return hasHeader;
    }

    public int rowCount() {
        return rows;
    }

    public int columnCount() {
        return names.size();
    }

    /** FLOAT32 or FLOAT64, as the options asked. */
    public DType dtype() {
        return dtype;
    }

    /** The 1-based file line holding data row {@code row} (0-based), for messages about that row. */
    public int lineOf(int row) {
        return lines[row];
    }

    /** Every column: shape (rows, columns). Shares this table's storage rather than copying it. */
    public HostArray matrix() {
        long[] shape = {rows, columnCount()};
        return floats != null ? HostArray.ofFloats(shape, floats) : HostArray.ofDoubles(shape, doubles);
    }

    /** The given columns (0-based, in the given order): shape (rows, indices.length). */
    public HostArray columns(int... indices) {
        int width = columnCount();
        for (int c : indices) {
            if (c < 0 || c >= width) throw new IndexOutOfBoundsException("column " + c + " of " + width);
        }
        long[] shape = {rows, indices.length};
        if (floats != null) {
            float[] out = new float[rows * indices.length];
            for (int r = 0, o = 0; r < rows; r++) {
                int base = r * width;
                for (int c : indices) out[o++] = floats[base + c];
            }
            return HostArray.ofFloats(shape, out);
        }
        double[] out = new double[rows * indices.length];
        for (int r = 0, o = 0; r < rows; r++) {
            int base = r * width;
            for (int c : indices) out[o++] = doubles[base + c];
        }
        return HostArray.ofDoubles(shape, out);
    }

    /** The columns a user's selection ({@code label}, {@code 3}, {@code a,b}, {@code -1}, {@code 2:5}) names. */
    public HostArray select(ColumnSelection selection) {
        return columns(selection.resolve(this));
    }

    /**
     * Splits the table into targets (the selected columns, in the order selected) and features
     * (every other column, in file order), as {@code train --target} needs.
     */
    public Split split(ColumnSelection targets) {
        int[] targetColumns = targets.resolve(this);
        if (targetColumns.length == columnCount()) {
            throw new DataFileException(source, "target columns '" + targets.spec() + "' leave no feature columns");
        }
        boolean[] isTarget = new boolean[columnCount()];
        for (int c : targetColumns) isTarget[c] = true;
        int[] featureColumns = new int[columnCount() - targetColumns.length];
        for (int c = 0, f = 0; c < columnCount(); c++) {
            if (!isTarget[c]) featureColumns[f++] = c;
        }
        return new Split(columns(featureColumns), namesOf(featureColumns), columns(targetColumns), namesOf(targetColumns));
    }

    private List<String> namesOf(int[] indices) {
        List<String> out = new ArrayList<>(indices.length);
        for (int c : indices) out.add(names.get(c));
        return Collections.unmodifiableList(out);
    }

    /** Features (rows × features) and targets (rows × targets), each with its column names. */
    public static final class Split {
        private final HostArray features;
        private final List<String> featureNames;
        private final HostArray targets;
        private final List<String> targetNames;

        Split(HostArray features, List<String> featureNames, HostArray targets, List<String> targetNames) {
            this.features = features;
            this.featureNames = featureNames;
            this.targets = targets;
            this.targetNames = targetNames;
        }

        public HostArray features() {
            return features;
        }

        public List<String> featureNames() {
            return featureNames;
        }

        public HostArray targets() {
            return targets;
        }

        public List<String> targetNames() {
            return targetNames;
        }
    }
}
