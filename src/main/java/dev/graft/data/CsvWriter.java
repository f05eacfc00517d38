package dev.graft.data;

import dev.graft.model.HostArray;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a 2-D array (rank 1: one column; rank 0: one cell) as comma-separated text, one row
 * per line, {@code \n} line ends, UTF-8. Numbers read back exactly (see {@link ShortestDecimal}):
 * float32/float16 as float32 digits, float64 as float64 digits, integers and booleans as integers.
 */
public final class CsvWriter {
    private CsvWriter() {
    }

    /** With a header of generated names {@code out0, out1, ...}. */
    public static void write(Path file, HostArray array) {
        write(file, array, defaultColumnNames(columnCount(array, FileProblems.name(file))));
    }

    /**
     * @param columnNames the header, one name per column; null for no header row
     */
    public static void write(Path file, HostArray array, List<String> columnNames) {
        String source = FileProblems.name(file);
        check(array, columnNames, source);
        AtomicFileWriter.write(file, out -> {
            Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            writeUnchecked(text, array, columnNames, null);
            text.flush();
        });
    }

    /** To a writer (standard output, say), which is flushed but left open. */
    public static void write(Writer out, HostArray array, List<String> columnNames) throws IOException {
        write(out, array, columnNames, null);
    }

    /** With columns passed through from an input ({@code predict --keep}) before the array's, row by row. */
    public static void write(Writer out, HostArray array, List<String> columnNames, KeptColumns kept) throws IOException {
        check(array, columnNames, "output");
        checkKept(array, kept, "output");
        writeUnchecked(out, array, columnNames, kept);
        out.flush();
    }

    /** To a file, atomically, with columns passed through from an input before the array's. */
    public static void write(Path file, HostArray array, List<String> columnNames, KeptColumns kept) {
        String source = FileProblems.name(file);
        check(array, columnNames, source);
        checkKept(array, kept, source);
        AtomicFileWriter.write(file, out -> {
            Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            writeUnchecked(text, array, columnNames, kept);
            text.flush();
        });
    }

    private static void checkKept(HostArray array, KeptColumns kept, String source) {
        long rows = array.rank() == 0 ? 1 : array.shape()[0];
        if (kept != null && kept.rows().size() != rows) {
            throw new DataFileException(source, kept.rows().size() + " rows of kept columns for " + rows + " rows of predictions");
        }
    }

    /** {@code out0, out1, ...}: graft's names for output columns that have none. */
    public static List<String> defaultColumnNames(int columns) {
        List<String> names = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) names.add("out" + i);
        return names;
    }

    private static int columnCount(HostArray array, String source) {
        switch (array.rank()) {
            case 0: return 1;
            case 1: return 1;
            case 2: return Math.toIntExact(array.shape()[1]);
            default:
                throw new DataFileException(source, "a CSV file holds a table, but this array has shape "
                        + NpyHeader.shapeRepr(array.shape()) + "; write .npy or .npz instead");
        }
    }

    private static void check(HostArray array, List<String> names, String source) {
        int columns = columnCount(array, source);
        if (columns == 0 && array.shape()[0] > 0) {
            throw new DataFileException(source, "a CSV row needs at least one column, but this array has shape "
                    + NpyHeader.shapeRepr(array.shape()));
        }
        if (names != null && names.size() != columns) {
            throw new DataFileException(source, names.size() + " column names for " + columns + " columns");
        }
    }

    private static void writeUnchecked(Writer out, HostArray array, List<String> names, KeptColumns kept) throws IOException {
        int columns = columnCount(array, "output");
        StringBuilder line = new StringBuilder(256);
        if (names != null) {
            if (kept != null) for (String k : kept.names()) appendName(line, k).append(',');
            for (int c = 0; c < columns; c++) {
                if (c > 0) line.append(',');
                appendName(line, names.get(c));
            }
            out.append(line).append('\n');
        }
        int row = 0;
        float[] floats = array.floatData();
        double[] doubles = array.doubleData();
        long[] longs = array.longData();
        int count = Math.toIntExact(array.size());
        for (int start = 0; columns > 0 && start < count; start += columns) {
            line.setLength(0);
            if (kept != null) for (String k : kept.rows().get(row)) appendName(line, k).append(',');
            row++;
            for (int i = start; i < start + columns; i++) {
                if (i > start) line.append(',');
                if (floats != null) line.append(ShortestDecimal.of(floats[i]));
                else if (doubles != null) line.append(ShortestDecimal.of(doubles[i]));
                else line.append(longs[i]);
            }
            out.append(line).append('\n');
        }
    }

    /**
     * Quotes a name when reading it back would otherwise change it: delimiters, quotes, line
     * breaks, surrounding spaces (dropped from unquoted fields), or a leading '#' (np.savetxt's
     * header marker).
     */
    private static StringBuilder appendName(StringBuilder line, String name) {
        boolean quote = name.isEmpty() || name.startsWith("#") || !name.equals(name.strip());
        for (int i = 0; i < name.length() && !quote; i++) {
            char c = name.charAt(i);
            quote = c == ',' || c == ';' || c == '\t' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) return line.append(name);
        return line.append('"').append(name.replace("\"", "\"\"")).append('"');
    }
}
