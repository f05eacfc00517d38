package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private CsvTable read(String content) throws IOException {
        return CsvReader.read(file("t.csv", content));
    }

    private static float[] values(CsvTable table) {
        return table.matrix().floatData();
    }

    private String error(String name, String content, CsvOptions options) throws IOException {
        Path file = file(name, content);
        DataFileException e = assertThrows(DataFileException.class, () -> CsvReader.read(file, options));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage().substring(file.toString().length() + 2);
    }

    private String error(String name, String content) throws IOException {
        return error(name, content, CsvOptions.defaults());
    }

    // --- files written by NumPy and Python's csv module ---

    @Test
    void numpySavetxtWithoutHeader() {
        CsvTable t = CsvReader.read(Fixtures.path("csv/savetxt_plain.csv"));
        assertFalse(t.hasHeader());
        assertEquals(List.of("col0", "col1", "col2"), t.columnNames());
        assertEquals(DType.FLOAT32, t.dtype());
        assertArrayEquals(new long[] {3, 3}, t.matrix().shape());
        assertArrayEquals(new float[] {5.1f, 3.5f, 0, 4.9f, 3.0f, 1, 6.2f, 2.9f, 2}, values(t));
        assertEquals(1, t.lineOf(0));
        assertEquals(3, t.lineOf(2));

        CsvTable wide = CsvReader.read(Fixtures.path("csv/savetxt_plain.csv"), CsvOptions.defaults().withDtype(DType.FLOAT64));
        assertArrayEquals(new double[] {5.1, 3.5, 0, 4.9, 3.0, 1, 6.2, 2.9, 2}, wide.matrix().doubleData());
    }

    @Test
    void numpySavetxtHeaderLineIsTheHeader() {
        // np.savetxt(header="a,b") writes "# a,b".
        CsvTable t = CsvReader.read(Fixtures.path("csv/savetxt_header.csv"));
        assertTrue(t.hasHeader());
        assertEquals(List.of("sepal_length", "sepal_width", "species"), t.columnNames());
        assertEquals(3, t.rowCount());
        assertEquals(2, t.lineOf(0));
    }

    @Test
    void tabSeparated() {
        CsvTable t = CsvReader.read(Fixtures.path("csv/savetxt_tab.tsv"));
        assertArrayEquals(new float[] {5.1f, 3.5f, 0, 4.9f, 3, 1, 6.2f, 2.9f, 2}, values(t));
    }

    @Test
    void excelSemicolonsWithByteOrderMarkAndCrLf() {
        CsvTable t = CsvReader.read(Fixtures.path("csv/excel_semicolon.csv"));
        assertEquals(List.of("height (cm)", "weight; kg", "the \"label\""), t.columnNames());
        assertArrayEquals(new float[] {170, 65.5f, 1, 182.5f, 80, 0}, values(t));
        assertEquals(3, t.lineOf(1));
    }

    @Test
    void quotedHeaderAndTrailingBlankLines() {
        CsvTable t = CsvReader.read(Fixtures.path("csv/quoted_nonnumeric.csv"));
        assertEquals(List.of("a,b", "c", "label"), t.columnNames());
        assertArrayEquals(new float[] {1.5f, -2, 1, 0.25f, 1e-3f, 0}, values(t));
    }

    @Test
    void quotedNumbersAndLineBreaksInsideQuotes() {
        CsvTable t = CsvReader.read(Fixtures.path("csv/quoted_all.csv"));
        assertEquals(List.of("x", "multi\nline name", "y"), t.columnNames());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, values(t));
        assertEquals(3, t.lineOf(0), "the header spans lines 1 and 2");
    }

    // --- header and delimiter detection ---

    @Test
    void headerIsDetectedFromAnyTextCell() throws IOException {
        assertTrue(read("a,b\n1,2\n").hasHeader());
        assertTrue(read("x,1\n2,3\n").hasHeader());
        assertFalse(read("1,2\n3,4\n").hasHeader());
        assertFalse(CsvReader.read(file("n.csv", "nan,1\n2,3\n"), CsvOptions.defaults().allowingNonFinite()).hasHeader(),
                "NaN is a number, if not always an allowed one");
    }

    @Test
    void headerCanBeForced() throws IOException {
        CsvTable numericNames = CsvReader.read(file("y.csv", "2019,2020\n1,2\n"), CsvOptions.defaults().withHeader(CsvOptions.Header.PRESENT));
        assertEquals(List.of("2019", "2020"), numericNames.columnNames());
        assertEquals(1, numericNames.rowCount());
        assertEquals("row 1, column 0: 'a' is not a number",
                error("n.csv", "a,b\n1,2\n", CsvOptions.defaults().withHeader(CsvOptions.Header.ABSENT)));
    }

    @Test
    void delimiterIsDetected() {
        assertEquals(',', DelimiterDetector.detect("a,b,c\n1,2,3\n", true));
        assertEquals(';', DelimiterDetector.detect("a;b;c\n1;2;3\n", true));
        assertEquals('\t', DelimiterDetector.detect("a\tb\tc\n1\t2\t3\n", true));
        assertEquals(';', DelimiterDetector.detect("a;b\n1,5;2,25\n", true), "decimal commas: semicolon rows, not comma rows");
        assertEquals(',', DelimiterDetector.detect("a,b\n\"x;y\",1\n", true), "a semicolon inside quotes does not count");
        assertEquals(',', DelimiterDetector.detect("a;b,c\n1,2\n", true), "a semicolon in one header name only");
        assertEquals(',', DelimiterDetector.detect("single\n1\n", true));
        assertEquals(';', DelimiterDetector.detect("a;b;c,d\n1;2", true), "nothing consistent: most frequent in the first row");
        assertEquals(',', DelimiterDetector.detect("a,b\n1,2\n3,4\n5;6;7;8", false), "a cut-off last row is not judged");
    }

    @Test
    void explicitDelimiter() throws IOException {
        CsvTable t = CsvReader.read(file("p.csv", "a|b\n1|2\n"), CsvOptions.defaults().withDelimiter('|'));
        assertEquals(List.of("a", "b"), t.columnNames());
        assertArrayEquals(new float[] {1, 2}, values(t));
    }

    // --- layout details ---

    @Test
    void spacesCarriageReturnsAndMissingFinalNewline() throws IOException {
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, values(read(" 1 , 2,3 \r\n4,5 , 6")));
        assertArrayEquals(new float[] {1, 2, 3, 4}, values(read("1,2\r3,4\r")));
    }

    @Test
    void blankLinesAreSkippedAndRowsKeepTheirLineNumbers() throws IOException {
        CsvTable t = read("\na,b\n\n1,2\n   \n3,4\n\n\n");
        assertEquals(2, t.rowCount());
        assertEquals(4, t.lineOf(0));
        assertEquals(6, t.lineOf(1));
        assertEquals("row 5, column 'b': 'x' is not a number", error("b.csv", "a,b\n1,2\n\n\n3,x\n"));
    }

    @Test
    void numberSpellings() throws IOException {
        CsvTable t = read("1e5,1E+05,.5,5.,+3,-0,0.000001,1.5e-45\n");
        float[] v = values(t);
        assertArrayEquals(new float[] {1e5f, 1e5f, 0.5f, 5f, 3f, -0f, 1e-6f, 1.4e-45f}, v);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(v[5]));
        for (String notANumber : new String[] {"0x10", "1d", "1f", "1_000", "1e", "--1", "1.2.3", "e5", "."}) {
            assertEquals("row 2, column 'b': '" + notANumber + "' is not a number", error("n.csv", "a,b\n1," + notANumber + "\n"), notANumber);
        }
    }

    @Test
    void float32IsRoundedOnceFromTheText() throws IOException {
        // Just above the midpoint between 1 and the next float: rounding via double would land on
        // the midpoint and then round to even (1.0).
        CsvTable t = read("1.0000000596046447755,0.1\n");
        assertEquals(1.0000001f, values(t)[0]);
        assertEquals(0.1f, values(t)[1]);
        CsvTable wide = CsvReader.read(file("w.csv", "1.0000000596046447755,0.1\n"), CsvOptions.defaults().withDtype(DType.FLOAT64));
        assertEquals(1.0000000596046448, wide.matrix().doubleData()[0]);
        assertEquals(0.1, wide.matrix().doubleData()[1]);
    }

    @Test
    void readsFromAReader() throws IOException {
        CsvTable t = CsvReader.read(new StringReader("a;b\n1;2\n"), "stdin", CsvOptions.defaults());
        assertEquals("stdin", t.source());
        assertArrayEquals(new float[] {1, 2}, values(t));
    }

    @Test
    void largeFileCrossesBufferBoundaries() throws IOException {
        StringBuilder b = new StringBuilder("x,y,\"quoted\nname\"\n");
        int rows = 30_000; // about 600 KB: many 64 KB buffers and beyond the detection sample
        for (int r = 0; r < rows; r++) b.append(r).append(",\"").append(r * 0.25).append("\",").append(-r).append('\n');
        CsvTable t = CsvReader.read(file("big.csv", b.toString()), CsvOptions.defaults().withDtype(DType.FLOAT64));
        assertEquals(rows, t.rowCount());
        double[] v = t.matrix().doubleData();
        for (int r = 0; r < rows; r++) {
            assertEquals(r, v[3 * r]);
            assertEquals(r * 0.25, v[3 * r + 1]);
            assertEquals(-r, v[3 * r + 2]);
        }
        assertEquals(rows + 2, t.lineOf(rows - 1));
    }

    @Test
    void nonFiniteValuesOnlyWhenAllowed() throws IOException {
        String content = "a,b\n1,2\nnan,-inf\n";
        assertEquals("row 3, column 'a': 'nan' is not a finite number", error("f.csv", content));
        float[] v = CsvReader.read(file("g.csv", content), CsvOptions.defaults().allowingNonFinite()).matrix().floatData();
        assertTrue(Float.isNaN(v[2]));
        assertEquals(Float.NEGATIVE_INFINITY, v[3]);
        assertEquals("row 2, column 'b': 'Infinity' is not a finite number", error("h.csv", "a,b\n1,Infinity\n"));
    }

    @Test
    void valuesTooLargeForThePrecision() throws IOException {
        assertEquals("row 2, column 'a': '1e39' is too large for float32", error("o.csv", "a\n1e39\n"));
        assertEquals(1e39, CsvReader.read(file("p.csv", "a\n1e39\n"), CsvOptions.defaults().withDtype(DType.FLOAT64)).matrix().doubleData()[0]);
        assertEquals("row 2, column 'a': '-1e400' is too large for float64",
                error("q.csv", "a\n-1e400\n", CsvOptions.defaults().withDtype(DType.FLOAT64)));
    }

    // --- the messages a user gets ---

    @Test
    void notANumberNamesRowAndColumn() throws IOException {
        StringBuilder b = new StringBuilder("id,age,label\n");
        for (int r = 2; r < 12; r++) b.append(r).append(",30,1\n");
        b.append("12,abc,0\n");
        assertEquals("row 12, column 'age': 'abc' is not a number", error("train.csv", b.toString()));
    }

    @Test
    void wrongFieldCount() throws IOException {
        String content = "a,b,c,d,e,f\n1,2,3,4,5,6\n1,2,3,4,5,6\n1,2,3,4,5,6\n1,2,3,4,5,6\n1,2,3,4,5,6\n1,2,3,4,5\n";
        assertEquals("row 7 has 5 fields, expected 6", error("train.csv", content));
        assertEquals("row 2 has 3 fields, expected 2", error("x.csv", "1,2\n1,2,3\n"));
    }

    @Test
    void emptyCell() throws IOException {
        assertEquals("row 3, column 2: empty cell", error("train.csv", "1,2,3\n4,5,6\n7,8,\n"));
        assertEquals("row 2, column 'b': empty cell", error("e.csv", "a,b\n1,\"\"\n"));
    }

    @Test
    void decimalCommaGetsAHint() throws IOException {
        assertEquals("row 2, column 'a': '1,5' is not a number (the decimal separator must be '.')", error("eu.csv", "a;b\n1,5;2\n"));
    }

    @Test
    void longCellsAreShortenedInMessages() throws IOException {
        String cell = "x".repeat(100);
        assertEquals("row 2, column 'a': '" + "x".repeat(40) + "...' is not a number", error("l.csv", "a\n" + cell + "\n"));
    }

    @Test
    void quotingErrors() throws IOException {
        assertEquals("row 2, column 1: the quoted field is never closed", error("u.csv", "a,b\n1,\"2\n3,4\n"));
        assertEquals("row 2, column 0: text after the closing quote", error("v.csv", "a,b\n\"1\"x,2\n"));
    }

    @Test
    void emptyOrHeaderOnly() throws IOException {
        assertEquals("empty file: no rows", error("e.csv", ""));
        assertEquals("empty file: no rows", error("s.csv", "\n  \n\n"));
        assertEquals("no data rows, only a header", error("h.csv", "a,b,label\n"));
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("nope.csv");
        assertEquals(missing + ": no such file", assertThrows(DataFileException.class, () -> CsvReader.read(missing)).getMessage());
    }

    @Test
    void emptyHeaderCellsGetGeneratedNames() throws IOException {
        // pandas' to_csv writes the index column with an empty name.
        assertEquals(List.of("col0", "a"), read(",a\n0,1.5\n").columnNames());
    }

    @Test
    void matrixSharesTheTable() throws IOException {
        CsvTable t = read("a,b\n1,2\n");
        HostArray m = t.matrix();
        assertNull(m.doubleData());
        assertEquals(DType.FLOAT32, m.dtype());
    }
}
