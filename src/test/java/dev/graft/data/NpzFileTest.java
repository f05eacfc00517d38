package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpzFileTest {
    @TempDir
    Path dir;

    private static final HostArray Z = HostArray.ofFloats(new long[] {2, 3}, new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f});
    private static final HostArray A = HostArray.ofLongs(DType.INT64, new long[] {3}, new long[] {1, 0, 1});
    private static final HostArray M = HostArray.ofDoubles(new long[0], new double[] {2.5});

    /** np.savez(f, z=..., a=..., m=...) and np.savez_compressed(same, zeros=...): names and order as given. */
    @ParameterizedTest
    @ValueSource(strings = {"savez.npz", "savez_compressed.npz"})
    void readsWhatNumPyWrites(String name) {
        Map<String, HostArray> arrays = NpzFile.read(Fixtures.path("npz/" + name));
        List<String> expectedNames = name.contains("compressed") ? List.of("z", "a", "m", "zeros") : List.of("z", "a", "m");
        assertEquals(expectedNames, List.copyOf(arrays.keySet()));
        assertTrue(Z.bitEquals(arrays.get("z")));
        assertTrue(A.bitEquals(arrays.get("a")));
        assertTrue(M.bitEquals(arrays.get("m")));
        if (arrays.containsKey("zeros")) assertTrue(HostArray.ofDoubles(new long[] {100}, new double[100]).bitEquals(arrays.get("zeros")));
    }

    @Test
    void positionalArraysAreNamedAsNumPyNamesThem() {
        Path file = Fixtures.path("npz/positional.npz");
        assertEquals(List.of("arr_0", "arr_1"), NpzFile.names(file));
        assertTrue(HostArray.ofLongs(DType.INT32, new long[] {2}, new long[] {3, 4}).bitEquals(NpzFile.read(file, "arr_1")));
    }

    @Test
    void anEmptyArchiveHoldsNoArrays() {
        assertTrue(NpzFile.read(Fixtures.path("npz/empty.npz")).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTripKeepsOrderAndBits(boolean compressed) throws IOException {
        LinkedHashMap<String, HostArray> arrays = new LinkedHashMap<>();
        arrays.put("zeta", HostArray.ofFloats(new long[] {2, 2}, new float[] {Float.NaN, -0f, Float.MIN_VALUE, 1e38f}));
        arrays.put("alpha", A);
        arrays.put("half", HostArray.ofHalfs(new long[] {2}, new float[] {0.0999755859375f, 65504f}));
        arrays.put("flags", HostArray.ofLongs(DType.BOOL, new long[] {2}, new long[] {1, 0}));
        arrays.put("m", M);
        Path file = dir.resolve("out.npz");
        NpzFile.write(file, arrays, compressed);

        LinkedHashMap<String, HostArray> back = NpzFile.read(file);
        assertEquals(List.copyOf(arrays.keySet()), List.copyOf(back.keySet()));
        for (String name : arrays.keySet()) assertTrue(arrays.get(name).bitEquals(back.get(name)), name);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("zeta.npy");
            assertEquals(compressed ? ZipEntry.DEFLATED : ZipEntry.STORED, entry.getMethod());
        }
    }

    @Test
    void sameArraysGiveTheSameBytes() throws IOException {
        Map<String, HostArray> arrays = Map.of("x", Z);
        NpzFile.write(dir.resolve("1.npz"), arrays, false);
        NpzFile.write(dir.resolve("2.npz"), arrays, false);
        assertArrayEquals(Files.readAllBytes(dir.resolve("1.npz")), Files.readAllBytes(dir.resolve("2.npz")));
    }

    @Test
    void writingNoArraysGivesAnArchiveNumPyWouldWrite() throws IOException {
        Path file = dir.resolve("none.npz");
        NpzFile.write(file, Map.of(), true);
        assertArrayEquals(Files.readAllBytes(Fixtures.path("npz/empty.npz")), Files.readAllBytes(file));
        assertTrue(NpzFile.read(file).isEmpty());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("out.npz");
        Files.writeString(file, "previous");
        LinkedHashMap<String, HostArray> arrays = new LinkedHashMap<>();
        arrays.put("fine", Z);
        arrays.put("bad", HostArray.ofLongs(DType.UINT8, new long[] {1}, new long[] {256}));
        DataFileException e = assertThrows(DataFileException.class, () -> NpzFile.write(file, arrays, true));
        assertEquals(file + ": array 'bad': value 256 at index 0 does not fit uint8", e.getMessage());
        assertEquals("previous", Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void errorsNameTheArchiveAndTheArray() {
        Path objects = Fixtures.path("npz/object_inside.npz");
        assertEquals(objects + ": array 'bad': unsupported dtype '|O' (object arrays need Python)",
                assertThrows(DataFileException.class, () -> NpzFile.read(objects)).getMessage());
        assertEquals(1.0, NpzFile.read(objects, "ok").getDouble(0), "the good array is still readable alone");

        Path text = Fixtures.path("npz/text_entry.npz");
        assertEquals(text + ": entry 'notes.txt' is not a .npy array",
                assertThrows(DataFileException.class, () -> NpzFile.read(text)).getMessage());

        Path savez = Fixtures.path("npz/savez.npz");
        assertEquals(savez + ": no array named 'x' (arrays: z, a, m)",
                assertThrows(DataFileException.class, () -> NpzFile.read(savez, "x")).getMessage());
    }

    @Test
    void truncatedEntry() throws IOException {
        // A stored entry whose .npy header promises more values than the entry holds.
        Path file = dir.resolve("cut.npz");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new ZipEntry("x.npy"));
            out.write(NpyWriter.header("<f4", new long[] {10}));
            out.write(new byte[4 * 6 + 1]);
            out.closeEntry();
        }
        assertEquals(file + ": array 'x': truncated: header says 10 values, entry holds 6",
                assertThrows(DataFileException.class, () -> NpzFile.read(file)).getMessage());
    }

    @Test
    void notAZip() throws IOException {
        Path file = dir.resolve("x.npz");
        Files.writeString(file, "1,2,3\n");
        DataFileException e = assertThrows(DataFileException.class, () -> NpzFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not a readable .npz (zip) archive: "), e.getMessage());
    }
}
