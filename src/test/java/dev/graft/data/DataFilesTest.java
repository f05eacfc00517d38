package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.data.DataFiles.Format;
import dev.graft.model.DType;
import dev.graft.model.HostArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFilesTest {
    @TempDir
    Path dir;

    /** A fixture copied under a misleading name: the content must decide. */
    private Path copyAs(String fixture, String name) throws IOException {
        return Files.copy(Fixtures.path(fixture), dir.resolve(name));
    }

    private String error(Runnable action) {
        return assertThrows(DataFileException.class, action::run).getMessage();
    }

    @Test
    void formatComesFromContentNotName() throws IOException {
        assertEquals(Format.NPY, DataFiles.detect(copyAs("npy/matrix_3x4_f4.npy", "looks.csv")));
        assertEquals(Format.NPZ, DataFiles.detect(copyAs("npz/savez_compressed.npz", "data.bin")));
        assertEquals(Format.NPZ, DataFiles.detect(copyAs("npz/empty.npz", "empty.npy")));
        assertEquals(Format.CSV, DataFiles.detect(copyAs("csv/savetxt_tab.tsv", "table.npy")));
        Path empty = Files.createFile(dir.resolve("empty"));
        assertEquals(Format.CSV, DataFiles.detect(empty));
    }

    @Test
    void readsTheOneArray() throws IOException {
        HostArray npy = DataFiles.read(copyAs("npy/matrix_3x4_f4.npy", "x.csv"));
        assertArrayEquals(new long[] {3, 4}, npy.shape());
        HostArray csv = DataFiles.read(copyAs("csv/savetxt_tab.tsv", "x.npy"));
        assertEquals(DType.FLOAT32, csv.dtype());
        assertArrayEquals(new float[] {5.1f, 3.5f, 0, 4.9f, 3, 1, 6.2f, 2.9f, 2}, csv.floatData());
        HostArray wide = DataFiles.read(Fixtures.path("csv/savetxt_tab.tsv"), CsvOptions.defaults().withDtype(DType.FLOAT64));
        assertEquals(5.1, wide.doubleData()[0]);

        Path single = dir.resolve("one.npz");
        NpzFile.write(single, Map.of("only", HostArray.ofFloats(new long[] {1}, new float[] {4})), true);
        assertEquals(4f, DataFiles.read(single).floatData()[0]);
    }

    @Test
    void archivesWithSeveralArraysNeedAName() throws IOException {
        Path many = copyAs("npz/savez.npz", "many.npz");
        assertEquals(many + ": holds 3 arrays (z, a, m); name the one to use", error(() -> DataFiles.read(many)));
        Path none = copyAs("npz/empty.npz", "none.npz");
        assertEquals(none + ": holds no arrays", error(() -> DataFiles.read(none)));
        assertEquals(List.of("z", "a", "m"), List.copyOf(DataFiles.readAll(many, CsvOptions.defaults()).keySet()));
    }

    @Test
    void readAllNamesSingleArraysAfterTheFile() throws IOException {
        LinkedHashMap<String, HostArray> csv = DataFiles.readAll(copyAs("csv/savetxt_plain.csv", "iris.data.csv"), CsvOptions.defaults());
        assertEquals(List.of("iris.data"), List.copyOf(csv.keySet()));
        assertArrayEquals(new long[] {3, 3}, csv.get("iris.data").shape());
    }

    @Test
    void filesThatAreNotData() throws IOException {
        Path h5 = dir.resolve("model.h5");
        Files.write(h5, new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0});
        assertEquals(h5 + ": this is an HDF5 file (a Keras model?), not a data file; graft reads .npy, .npz and CSV",
                error(() -> DataFiles.read(h5)));
        Path binary = dir.resolve("x.bin");
        Files.write(binary, new byte[] {1, 2, 0, 4});
        assertEquals(binary + ": binary file that is neither .npy nor .npz; graft reads .npy, .npz and CSV", error(() -> DataFiles.read(binary)));
        Path utf16 = dir.resolve("excel.txt");
        Files.write(utf16, "\uFEFFa\tb\n1\t2\n".getBytes(StandardCharsets.UTF_16LE));
        assertEquals(utf16 + ": UTF-16 text; save it as UTF-8 CSV", error(() -> DataFiles.read(utf16)));
        Path missing = dir.resolve("missing.csv");
        assertEquals(missing + ": no such file", error(() -> DataFiles.read(missing)));
    }

    @Test
    void writesByExtension() throws IOException {
        HostArray a = HostArray.ofFloats(new long[] {2, 2}, new float[] {1, 2, 3, 4.5f});
        DataFiles.write(dir.resolve("out.npy"), a);
        assertEquals(Format.NPY, DataFiles.detect(dir.resolve("out.npy")));
        DataFiles.write(dir.resolve("OUT.NPZ"), a);
        assertEquals(List.of("OUT"), NpzFile.names(dir.resolve("OUT.NPZ")));
        DataFiles.write(dir.resolve("out.csv"), a);
        assertEquals("out0,out1\n1.0,2.0\n3.0,4.5\n", Files.readString(dir.resolve("out.csv")));
        for (String name : new String[] {"out.npy", "OUT.NPZ", "out.csv"}) {
            assertTrue(a.bitEquals(DataFiles.read(dir.resolve(name))), name);
        }
    }

    @Test
    void writesNamedArrays() {
        LinkedHashMap<String, HostArray> two = new LinkedHashMap<>();
        two.put("x", HostArray.ofFloats(new long[] {1}, new float[] {1}));
        two.put("y", HostArray.ofLongs(DType.INT64, new long[] {1}, new long[] {2}));
        Path npz = dir.resolve("xy.npz");
        DataFiles.write(npz, two);
        assertEquals(List.of("x", "y"), NpzFile.names(npz));
        Path npy = dir.resolve("xy.npy");
        assertEquals(npy + ": a .npy file holds one array, not 2 (x, y); write .npz instead", error(() -> DataFiles.write(npy, two)));
        DataFiles.write(dir.resolve("x.csv"), Map.of("x", two.get("x")));
        assertEquals(1f, DataFiles.read(dir.resolve("x.csv")).floatData()[0]);
    }

    @Test
    void unknownOutputFormat() {
        HostArray a = HostArray.ofFloats(new long[] {1}, new float[] {1});
        Path txt = dir.resolve("out.txt");
        assertEquals(txt + ": cannot tell the output format from the extension '.txt' (use .npy, .npz or .csv)", error(() -> DataFiles.write(txt, a)));
        Path bare = dir.resolve("out");
        assertEquals(bare + ": cannot tell the output format from a name without an extension (use .npy, .npz or .csv)",
                error(() -> DataFiles.write(bare, a)));
    }
}
