package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvWriterTest {
    @TempDir
    Path dir;

    private static String text(HostArray array, List<String> names) throws IOException {
        StringWriter out = new StringWriter();
        CsvWriter.write(out, array, names);
        return out.toString();
    }

    @ParameterizedTest
    @CsvSource({
        "1.0E-5, 1e-05",
        "1.2345678E7, 12345678.0",
        "100.0, 100.0",
        "0.001, 0.001",
        "1.0E-4, 0.0001",
        "1.0E16, 1e+16",
        "1.234E16, 1.234e+16",
        "9.999999E15, 9999999000000000.0",
        "-0.0, -0.0",
        "0.0, 0.0",
        "3.4028235E38, 3.4028235e+38",
        "1.4E-45, 1.4e-45",
        "-2.5E-300, -2.5e-300",
        "123.456, 123.456",
        "1.00000000000000005E2, 100.000000000000005"})
    void pythonReprLayout(String java, String expected) {
        assertEquals(expected, ShortestDecimal.pythonLayout(java));
    }

    @Test
    void exactText() throws IOException {
        HostArray a = HostArray.ofFloats(new long[] {3, 2}, new float[] {0.1f, 1e-5f, 12345678f, -0f, Float.NaN, Float.NEGATIVE_INFINITY});
        assertEquals("out0,out1\n0.1,1e-05\n12345678.0,-0.0\nnan,-inf\n", text(a, CsvWriter.defaultColumnNames(2)));
        HostArray d = HostArray.ofDoubles(new long[] {2}, new double[] {0.1, 1.0 / 3});
        assertEquals("0.1\n0.3333333333333333\n", text(d, null));
        HostArray ints = HostArray.ofLongs(DType.INT64, new long[] {1, 3}, new long[] {Long.MIN_VALUE, 0, 7});
        assertEquals("a,b,c\n-9223372036854775808,0,7\n", text(ints, List.of("a", "b", "c")));
        assertEquals("1\n0\n", text(HostArray.ofLongs(DType.BOOL, new long[] {2}, new long[] {1, 0}), null));
        assertEquals("out0\n2.5\n", text(HostArray.ofDoubles(new long[0], new double[] {2.5}), CsvWriter.defaultColumnNames(1)));
    }

    @Test
    void float32RoundTripIsBitExact() {
        Random r = new Random(5);
        float[] values = new float[20_000];
        for (int i = 0; i < values.length; i++) {
            float f;
            do {
                f = Float.intBitsToFloat(r.nextInt());
            } while (!Float.isFinite(f));
            values[i] = f;
        }
        values[0] = Float.MIN_VALUE;
        values[1] = -Float.MAX_VALUE;
        values[2] = -0f;
        values[3] = 0.1f;
        HostArray a = HostArray.ofFloats(new long[] {values.length / 4, 4}, values);
        Path file = dir.resolve("f.csv");
        CsvWriter.write(file, a);
        CsvTable back = CsvReader.read(file);
        assertEquals(CsvWriter.defaultColumnNames(4), back.columnNames());
        assertTrue(a.bitEquals(back.matrix()));
    }

    @Test
    void float64RoundTripIsBitExact() {
        Random r = new Random(6);
        double[] values = new double[20_000];
        for (int i = 0; i < values.length; i++) {
            double d;
            do {
                d = Double.longBitsToDouble(r.nextLong());
            } while (!Double.isFinite(d));
            values[i] = i % 2 == 0 ? d : r.nextGaussian();
        }
        values[0] = Double.MIN_VALUE;
        values[1] = Double.MAX_VALUE;
        values[2] = -0.0;
        values[3] = 2e23; // a value older JDKs printed with too many digits
        HostArray a = HostArray.ofDoubles(new long[] {values.length / 5, 5}, values);
        Path file = dir.resolve("d.csv");
        CsvWriter.write(file, a, null);
        CsvTable back = CsvReader.read(file, CsvOptions.defaults().withDtype(DType.FLOAT64));
        assertTrue(a.bitEquals(back.matrix()));
    }

    @Test
    void nonFiniteAndHalfValuesRoundTrip() {
        HostArray halfs = HostArray.ofHalfs(new long[] {4}, new float[] {0.0999755859375f, 65504f, 0x1p-24f, Float.NaN});
        Path file = dir.resolve("h.csv");
        CsvWriter.write(file, halfs);
        float[] back = CsvReader.read(file, CsvOptions.defaults().allowingNonFinite()).matrix().floatData();
        assertArrayEquals(halfs.floatData(), back);
    }

    @Test
    void namesThatNeedQuotesReadBackUnchanged() {
        List<String> names = List.of("a,b", "say \"hi\"", " padded ", "#x", "semi;colon", "two\nlines", "plain");
        HostArray a = HostArray.ofFloats(new long[] {1, 7}, new float[] {1, 2, 3, 4, 5, 6, 7});
        Path file = dir.resolve("n.csv");
        CsvWriter.write(file, a, names);
        CsvTable back = CsvReader.read(file);
        assertEquals(names, back.columnNames());
        assertTrue(a.bitEquals(back.matrix()));
    }

    @Test
    void shapesThatAreNotTables() {
        Path file = dir.resolve("x.csv");
        HostArray cube = HostArray.ofFloats(new long[] {2, 3, 4}, new float[24]);
        assertEquals(file + ": a CSV file holds a table, but this array has shape (2, 3, 4); write .npy or .npz instead",
                assertThrows(DataFileException.class, () -> CsvWriter.write(file, cube)).getMessage());
        HostArray noColumns = HostArray.ofFloats(new long[] {5, 0}, new float[0]);
        assertEquals(file + ": a CSV row needs at least one column, but this array has shape (5, 0)",
                assertThrows(DataFileException.class, () -> CsvWriter.write(file, noColumns, null)).getMessage());
        HostArray two = HostArray.ofFloats(new long[] {1, 2}, new float[2]);
        assertEquals(file + ": 3 column names for 2 columns",
                assertThrows(DataFileException.class, () -> CsvWriter.write(file, two, List.of("a", "b", "c"))).getMessage());
        assertTrue(Files.notExists(file));
    }

    @Test
    void aVectorIsOneColumn() throws IOException {
        Path file = dir.resolve("v.csv");
        CsvWriter.write(file, HostArray.ofDoubles(new long[] {3}, new double[] {1, 2, 3}));
        assertEquals("out0\n1.0\n2.0\n3.0\n", Files.readString(file));
    }
}
