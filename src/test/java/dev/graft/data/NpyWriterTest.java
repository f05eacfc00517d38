package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyWriterTest {
    @TempDir
    Path dir;

    /** Reading a NumPy file and writing it again must give NumPy's bytes back, header padding included. */
    @ParameterizedTest
    @ValueSource(strings = {"f2.npy", "f4.npy", "f8.npy", "i4.npy", "i8.npy", "u1.npy", "b1.npy", "scalar_f8.npy",
        "empty_0x3_f4.npy", "matrix_3x4_f4.npy"})
    void writesExactlyWhatNumPyWrites(String name) throws IOException {
        Path original = Fixtures.path("npy/" + name);
        Path copy = dir.resolve(name);
        NpyWriter.write(copy, NpyReader.read(original));
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));
    }

    @Test
    void bigEndianAndFortranInputsAreWrittenLittleEndianRowMajor() throws IOException {
        Path copy = dir.resolve("out.npy");
        NpyWriter.write(copy, NpyReader.read(Fixtures.path("npy/fortran_be_3x2_f4.npy")));
        HostArray back = NpyReader.read(copy);
        assertTrue(HostArray.ofFloats(new long[] {3, 2}, new float[] {0, 1, 2, 3, 4, 5}).bitEquals(back));
        String header = new String(Files.readAllBytes(copy), 10, 60, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"), header);
    }

    static Stream<HostArray> arrays() {
        Random r = new Random(42);
        float[] floats = new float[1000];
        for (int i = 0; i < floats.length; i++) floats[i] = Float.intBitsToFloat(r.nextInt());
        floats[0] = Float.NaN;
        floats[1] = -0f;
        floats[2] = Float.MIN_VALUE;
        double[] doubles = new double[1000];
        for (int i = 0; i < doubles.length; i++) doubles[i] = Double.longBitsToDouble(r.nextLong());
        float[] halfs = new float[1000];
        for (int i = 0; i < halfs.length; i++) halfs[i] = HalfFloat.toFloat((short) r.nextInt());
        long[] int64 = r.longs(1000).toArray();
        long[] int32 = r.ints(1000).asLongStream().toArray();
        long[] uint8 = r.ints(1000, 0, 256).asLongStream().toArray();
        long[] bools = r.ints(1000, 0, 2).asLongStream().toArray();
        return Stream.of(
                HostArray.ofFloats(new long[] {10, 100}, floats),
                HostArray.ofDoubles(new long[] {2, 5, 100}, doubles),
                HostArray.ofHalfs(new long[] {1000}, halfs),
                HostArray.ofLongs(DType.INT64, new long[] {1000}, int64),
                HostArray.ofLongs(DType.INT32, new long[] {500, 2}, int32),
                HostArray.ofLongs(DType.UINT8, new long[] {1000}, uint8),
                HostArray.ofLongs(DType.BOOL, new long[] {1000}, bools),
                HostArray.ofFloats(new long[0], new float[] {7.25f}),
                HostArray.ofDoubles(new long[] {3, 0, 2}, new double[0]));
    }

    @ParameterizedTest
    @MethodSource("arrays")
    void roundTripIsBitExact(HostArray array) {
        Path file = dir.resolve("a.npy");
        NpyWriter.write(file, array);
        HostArray back = NpyReader.read(file);
        assertEquals(array.dtype(), back.dtype());
        assertTrue(array.bitEquals(back), () -> array + " came back as " + back);
    }

    @Test
    void headersTooLongForVersion1UseVersion2() {
        long[] shape = new long[22_000]; // rank 22 000: "(1, 1, ...)" needs more than 65 535 header bytes
        java.util.Arrays.fill(shape, 1);
        byte[] header = NpyWriter.header("<f4", shape);
        assertEquals(2, header[6]);
        assertEquals(0, header.length % 64);
        Path file = dir.resolve("deep.npy");
        NpyWriter.write(file, HostArray.ofFloats(shape, new float[] {1.5f}));
        HostArray back = NpyReader.read(file);
        assertEquals(22_000, back.rank());
        assertEquals(1.5f, back.floatData()[0]);
        assertEquals(1, NpyWriter.header("<f4", new long[] {3})[6]);
    }

    @Test
    void writesToAStream() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.write(out, HostArray.ofDoubles(new long[] {2}, new double[] {1, 2}));
        assertEquals(128 + 16, out.size());
    }

    @Test
    void int32ValuesThatDoNotFitAreRefused() {
        Path file = dir.resolve("bad.npy");
        HostArray bad = HostArray.ofLongs(DType.INT32, new long[] {3}, new long[] {1, 2, 1L << 40});
        DataFileException e = assertThrows(DataFileException.class, () -> NpyWriter.write(file, bad));
        assertEquals(file + ": value 1099511627776 at index 2 does not fit int32", e.getMessage());
        assertTrue(Files.notExists(file));
    }

    @Test
    void missingFolderIsNamed() {
        Path file = dir.resolve("no/such/dir/a.npy");
        DataFileException e = assertThrows(DataFileException.class,
                () -> NpyWriter.write(file, HostArray.ofFloats(new long[] {1}, new float[] {1})));
        assertEquals(file + ": folder " + dir.resolve("no/such/dir") + " does not exist", e.getMessage());
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("a.npy");
        Files.writeString(file, "old");
        NpyWriter.write(file, HostArray.ofFloats(new long[] {1}, new float[] {1}));
        assertEquals(1f, NpyReader.read(file).floatData()[0]);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
