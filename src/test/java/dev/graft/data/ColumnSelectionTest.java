package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.DType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnSelectionTest {
    private static final List<String> SIX = List.of("a", "b", "label", "d", "e", "f");

    private static int[] resolve(String spec, List<String> names) {
        return ColumnSelection.parse(spec).resolve(names, true, "train.csv");
    }

    private static String error(String spec, List<String> names, boolean fromHeader) {
        DataFileException e = assertThrows(DataFileException.class, () -> ColumnSelection.parse(spec).resolve(names, fromHeader, "labels.csv"));
        return e.getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "label|2",
        "3|3",
        "a,b|0,1",
        "b,a|1,0",
        "-1|5",
        "2:5|2,3,4",
        "-2:|4,5",
        ":2|0,1",
        "0, -1|0,5",
        "a,3:5,-1|0,3,4,5",
        "-3:-1|3,4"})
    void selections(String spec, String expected) {
        int[] want = java.util.Arrays.stream(expected.split(",")).mapToInt(Integer::parseInt).toArray();
        assertArrayEquals(want, resolve(spec, SIX), spec);
    }

    @Test
    void aNameWinsOverTheNumberItLooksLike() {
        List<String> years = List.of("id", "2019", "2020");
        assertArrayEquals(new int[] {2}, resolve("2020", years));
        assertArrayEquals(new int[] {1}, resolve("1", years));
        assertArrayEquals(new int[] {0}, resolve("a,b", List.of("a,b", "c")), "a name with a comma");
    }

    @Test
    void generatedNamesWorkWithoutAHeader() {
        assertArrayEquals(new int[] {2}, ColumnSelection.parse("col2").resolve(List.of("col0", "col1", "col2"), false, "x.csv"));
    }

    @Test
    void unknownName() {
        assertEquals("labels.csv: no column named 'lable' (columns: a, b, label)", error("lable", List.of("a", "b", "label"), true));
        assertEquals("labels.csv: no column named 'label' (the file has no header row; the file has 3 columns: 0 to 2)",
                error("label", List.of("col0", "col1", "col2"), false));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) many.add("f" + i);
        assertEquals("labels.csv: no column named 'x' (columns: f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, "
                + "f16, f17, f18, f19, ... (25 columns))", error("x", many, true));
    }

    @Test
    void outOfRange() {
        assertEquals("labels.csv: column 6 is out of range (the file has 6 columns: 0 to 5)", error("6", SIX, true));
        assertEquals("labels.csv: column -7 is out of range (the file has 6 columns: 0 to 5)", error("-7", SIX, true));
        assertEquals("labels.csv: column 99999999999 is out of range (the file has 6 columns: 0 to 5)", error("99999999999", SIX, true));
        assertEquals("labels.csv: column range '3:10' is out of range (the file has 6 columns: 0 to 5)", error("3:10", SIX, true));
        assertEquals("labels.csv: column range '4:2' selects no columns", error("4:2", SIX, true));
        assertEquals("labels.csv: column 1 is out of range (the file has 1 column: 0)", error("1", List.of("x"), true));
    }

    @Test
    void duplicatesAndAmbiguity() {
        assertEquals("labels.csv: column 'a' is selected twice", error("a,0", SIX, true));
        assertEquals("labels.csv: column 1 is selected twice", error("1,0:2", List.of("col0", "col1", "col2"), false));
        assertEquals("labels.csv: column name 'x' is ambiguous: columns 0 and 2 share it; select by number",
                error("x", List.of("x", "y", "x"), true));
        assertEquals("labels.csv: empty item in column selection", error("a,,b", SIX, true));
        assertThrows(IllegalArgumentException.class, () -> ColumnSelection.parse("  "));
    }

    @Test
    void splitIntoFeaturesAndTargets() {
        CsvTable t = CsvReader.read(Fixtures.path("csv/quoted_nonnumeric.csv"), CsvOptions.defaults().withDtype(DType.FLOAT64));
        CsvTable.Split s = t.split(ColumnSelection.parse("label,0"));
        assertEquals(List.of("c"), s.featureNames());
        assertEquals(List.of("label", "a,b"), s.targetNames());
        assertArrayEquals(new long[] {2, 1}, s.features().shape());
        assertArrayEquals(new double[] {-2, 1e-3}, s.features().doubleData());
        assertArrayEquals(new long[] {2, 2}, s.targets().shape());
        assertArrayEquals(new double[] {1, 1.5, 0, 0.25}, s.targets().doubleData());

        CsvTable.Split last = CsvReader.read(Fixtures.path("csv/savetxt_header.csv")).split(ColumnSelection.parse("-1"));
        assertEquals(List.of("sepal_length", "sepal_width"), last.featureNames());
        assertArrayEquals(new float[] {5.1f, 3.5f, 4.9f, 3, 6.2f, 2.9f}, last.features().floatData());
        assertArrayEquals(new float[] {0, 1, 2}, last.targets().floatData());
        assertTrue(last.targets().dtype() == DType.FLOAT32);
    }

    @Test
    void selectingEveryColumnAsTargetLeavesNoFeatures() {
        CsvTable t = CsvReader.read(Fixtures.path("csv/quoted_nonnumeric.csv"));
        DataFileException e = assertThrows(DataFileException.class, () -> t.split(ColumnSelection.parse(":")));
        assertEquals(t.source() + ": target columns ':' leave no feature columns", e.getMessage());
        assertArrayEquals(new float[] {-2, 1e-3f}, t.select(ColumnSelection.parse("c")).floatData());
    }
}
