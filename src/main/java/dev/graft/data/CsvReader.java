package dev.graft.data;

import dev.graft.model.DType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a numeric CSV file into a {@link CsvTable}: detects the delimiter and the header row,
 * then parses every cell straight into a growing {@code float[]} or {@code double[]} (no boxing,
 * no String per cell), so a file of millions of cells costs about its values' size in memory.
 *
 * <p>Every cell must be a number. Problems are reported with the row as the line number an
 * editor shows and the column by header name (or 0-based number without a header, the same
 * numbers {@code --target} takes).
 */
public final class CsvReader {
    private static final int DESCRIBE_CELL_CHARS = 40;

    private CsvReader() {
    }

    public static CsvTable read(Path file) {
        return read(file, CsvOptions.defaults());
    }

    public static CsvTable read(Path file, CsvOptions options) {
        String source = FileProblems.name(file);
        try (Reader in = new InputStreamReader(FileProblems.openStream(file), StandardCharsets.UTF_8)) {
            return read(in, source, options);
        } catch (IOException e) {
            throw FileProblems.of(file, e);
        }
    }

    /** Reads CSV text from any reader (standard input, say); {@code source} names it in messages. */
    public static CsvTable read(Reader reader, String source, CsvOptions options) throws IOException {
        BufferedReader in = new BufferedReader(reader, DelimiterDetector.SAMPLE_CHARS + 1);
        char delimiter = options.delimiter() != null ? options.delimiter() : detectDelimiter(in);
        skipByteOrderMark(in);
        return new Parse(new CsvTokenizer(in, delimiter, source), source, options).run();
    }

    private static char detectDelimiter(BufferedReader in) throws IOException {
        in.mark(DelimiterDetector.SAMPLE_CHARS + 1);
        char[] sample = new char[DelimiterDetector.SAMPLE_CHARS];
        int n = 0;
        while (n < sample.length) {
            int got = in.read(sample, n, sample.length - n);
            if (got < 0) break;
            n += got;
        }
        boolean complete = n < sample.length || in.read() < 0;
        in.reset();
        return DelimiterDetector.detect(new String(sample, 0, n), complete);
    }

    /** Excel writes UTF-8 CSV with a byte order mark, which would otherwise end up in the first name. */
    private static void skipByteOrderMark(BufferedReader in) throws IOException {
        in.mark(1);
        if (in.read() != '\uFEFF') in.reset();
    }

    /** One reading of one file. */
    private static final class Parse {
        private final CsvTokenizer rows;
        private final String source;
        private final CsvOptions options;
        private final boolean float32;
        private final DecimalParser number;

        private List<String> names;
        private boolean hasHeader;
        private int columns;
        private float[] floats;
        private double[] doubles;
        private int[] lines = new int[1024];
        private int rowCount;
        private int cellCount;

        Parse(CsvTokenizer rows, String source, CsvOptions options) {
            this.rows = rows;
            this.source = source;
            this.options = options;
            this.float32 = options.dtype() == DType.FLOAT32;
            this.number = new DecimalParser(float32);
        }

        CsvTable run() throws IOException {
            if (!rows.next()) throw new DataFileException(source, "empty file: no rows");
            columns = rows.fieldCount();
            boolean savetxtHeader = !rows.quoted(0) && startsWith(rows, 0, "# ");
            hasHeader = options.header() == CsvOptions.Header.PRESENT
                    || (options.header() == CsvOptions.Header.AUTO && (savetxtHeader || firstRowHasText()));
            int capacity = Math.max(columns, 1) * 1024;
            if (float32) floats = new float[capacity];
            else doubles = new double[capacity];
            if (hasHeader) {
                names = headerNames(savetxtHeader && options.header() != CsvOptions.Header.ABSENT);
            } else {
                names = generatedNames(columns);
                addRow();
            }
            while (rows.next()) addRow();
            if (rowCount == 0) throw new DataFileException(source, "no data rows, only a header");
            return new CsvTable(source, names, hasHeader, options.dtype(), rowCount,
                    float32 ? Arrays.copyOf(floats, cellCount) : null,
                    float32 ? null : Arrays.copyOf(doubles, cellCount),
                    Arrays.copyOf(lines, rowCount));
        }

        private boolean firstRowHasText() {
            for (int f = 0; f < rows.fieldCount(); f++) {
                int status = number.parse(rows.chars(), rows.start(f), rows.end(f));
                if (status == DecimalParser.NOT_A_NUMBER) return true;
            }
            return false;
        }

        private List<String> headerNames(boolean stripHash) {
            List<String> result = new ArrayList<>(columns);
            for (int f = 0; f < columns; f++) {
                String name = rows.field(f);
                if (f == 0 && stripHash) name = name.substring(1).strip();
                if (!rows.quoted(f)) name = name.strip();
                result.add(name.isEmpty() ? "col" + f : name);
            }
            return result;
        }

        private void addRow() {
            int line = rows.line();
            if (rows.fieldCount() != columns) {
                throw new DataFileException(source, "row " + line + " has " + rows.fieldCount() + " fields, expected " + columns);
            }
            ensureCapacity();
            char[] chars = rows.chars();
            for (int f = 0; f < columns; f++) {
                int status = number.parse(chars, rows.start(f), rows.end(f));
                if (status != DecimalParser.NUMBER && !(status == DecimalParser.NON_FINITE && options.allowNonFinite())) {
                    throw cellProblem(status, line, f);
                }
                if (float32) floats[cellCount++] = (float) number.value;
                else doubles[cellCount++] = number.value;
            }
            if (rowCount == lines.length) lines = Arrays.copyOf(lines, grow(lines.length, 1));
            lines[rowCount++] = line;
        }

        private void ensureCapacity() {
            int held = float32 ? floats.length : doubles.length;
            if (cellCount + columns <= held) return;
            int size = grow(held, columns);
            if (float32) floats = Arrays.copyOf(floats, size);
            else doubles = Arrays.copyOf(doubles, size);
        }

        private int grow(int current, int atLeast) {
            long wanted = Math.max((long) current + (current >> 1), (long) current + atLeast);
            if ((long) current + atLeast > NpyReader.MAX_VALUES) {
                throw new DataFileException(source, "too large: more than " + NpyReader.MAX_VALUES + " values");
            }
            return (int) Math.min(wanted, NpyReader.MAX_VALUES);
        }

        private DataFileException cellProblem(int status, int line, int field) {
            String where = "row " + line + ", column " + (hasHeader ? "'" + names.get(field) + "'" : String.valueOf(field)) + ": ";
            String cell = describe(rows.field(field).strip());
            switch (status) {
                case DecimalParser.EMPTY:
                    return new DataFileException(source, where + "empty cell");
                case DecimalParser.NON_FINITE:
                    return new DataFileException(source, where + cell + " is not a finite number");
                case DecimalParser.OVERFLOW:
                    return new DataFileException(source, where + cell + " is too large for " + options.dtype().kerasName());
                default:
                    return new DataFileException(source, where + cell + " is not a number" + hint(rows.field(field).strip()));
            }
        }

        /** The usual reason a European spreadsheet's numbers do not parse. */
        private String hint(String cell) {
            if (cell.indexOf(',') < 0) return "";
            char[] dotted = cell.replace(',', '.').toCharArray();
            return number.parse(dotted, 0, dotted.length) == DecimalParser.NUMBER ? " (the decimal separator must be '.')" : "";
        }

        private static String describe(String cell) {
            String shown = cell.length() <= DESCRIBE_CELL_CHARS ? cell : cell.substring(0, DESCRIBE_CELL_CHARS) + "...";
            return "'" + shown + "'";
        }

        private static boolean startsWith(CsvTokenizer rows, int field, String prefix) {
            int start = rows.start(field);
            if (rows.end(field) - start < prefix.length()) return false;
            for (int k = 0; k < prefix.length(); k++) {
                if (rows.chars()[start + k] != prefix.charAt(k)) return false;
            }
            return true;
        }
    }

    static List<String> generatedNames(int columns) {
        List<String> names = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) names.add("col" + i);
        return names;
    }
}
