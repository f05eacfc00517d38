package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads files NumPy 1.24 wrote (src/test/resources/data/npy) and checks every value exactly. */
class NpyReaderTest {
    @TempDir
    Path dir;

    private static HostArray fixture(String name) {
        return NpyReader.read(Fixtures.path("npy/" + name));
    }

    private static void assertBits(HostArray expected, HostArray actual) {
        assertTrue(expected.bitEquals(actual), () -> "expected " + expected + " " + java.util.Arrays.toString(expected.toDoubleArray())
                + " but got " + actual + " " + java.util.Arrays.toString(actual.toDoubleArray()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "be_"})
    void float16(String prefix) {
        float[] expected = {0f, -0f, 1f, -2.5f, 65504f, 0x1p-14f, 0x1p-24f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NaN, 0.0999755859375f, 0.333251953125f};
        HostArray a = fixture(prefix + "f2.npy");
        assertEquals(DType.FLOAT16, a.dtype());
        assertBits(HostArray.ofHalfs(new long[] {12}, expected), a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "be_"})
    void float32(String prefix) {
        float[] expected = {0.1f, -1.5f, 3.4028235e38f, 1.4e-45f, -0f, 16777216f, Float.POSITIVE_INFINITY, Float.NaN};
        assertBits(HostArray.ofFloats(new long[] {2, 4}, expected), fixture(prefix + "f4.npy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "be_"})
    void float64(String prefix) {
        double[] expected = {0.1, -1e-300, Double.MAX_VALUE, Double.MIN_VALUE, Math.PI, -0.0};
        assertBits(HostArray.ofDoubles(new long[] {6}, expected), fixture(prefix + "f8.npy"));
    }

    @Test
    void int8WidensToInt32() {
        assertBits(HostArray.ofLongs(DType.INT32, new long[] {5}, new long[] {-128, -1, 0, 1, 127}), fixture("i1.npy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "be_"})
    void int16WidensToInt32(String prefix) {
        assertBits(HostArray.ofLongs(DType.INT32, new long[] {5}, new long[] {-32768, -1, 0, 1, 32767}), fixture(prefix + "i2.npy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "be_"})
    void int32(String prefix) {
        assertBits(HostArray.ofLongs(DType.INT32, new long[] {5}, new long[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE}),
                fixture(prefix + "i4.npy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "be_"})
    void int64(String prefix) {
        assertBits(HostArray.ofLongs(DType.INT64, new long[] {5}, new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}),
                fixture(prefix + "i8.npy"));
    }

    @Test
    void uint8() {
        assertBits(HostArray.ofLongs(DType.UINT8, new long[] {5}, new long[] {0, 1, 127, 128, 255}), fixture("u1.npy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "be_"})
    void uint16WidensToInt32(String prefix) {
        assertBits(HostArray.ofLongs(DType.INT32, new long[] {4}, new long[] {0, 1, 32768, 65535}), fixture(prefix + "u2.npy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "be_"})
    void uint32WidensToInt64(String prefix) {
        assertBits(HostArray.ofLongs(DType.INT64, new long[] {4}, new long[] {0, 1, 2147483648L, 4294967295L}), fixture(prefix + "u4.npy"));
    }

    @Test
    void bool() {
        assertBits(HostArray.ofLongs(DType.BOOL, new long[] {3}, new long[] {1, 0, 1}), fixture("b1.npy"));
    }

    @Test
    void fortranOrderBecomesRowMajor() {
        assertBits(HostArray.ofDoubles(new long[] {2, 3}, new double[] {0, 1, 2, 3, 4, 5}), fixture("fortran_2x3_f8.npy"));
        assertBits(HostArray.ofFloats(new long[] {3, 2}, new float[] {0, 1, 2, 3, 4, 5}), fixture("fortran_be_3x2_f4.npy"));
        long[] counting = new long[24];
        for (int i = 0; i < 24; i++) counting[i] = i;
        assertBits(HostArray.ofLongs(DType.INT32, new long[] {2, 3, 4}, counting), fixture("fortran_2x3x4_i4.npy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2_f4.npy", "v3_f4.npy"})
    void laterFormatVersions(String name) {
        assertBits(HostArray.ofFloats(new long[] {2, 3}, new float[] {0, 0.25f, 0.5f, 0.75f, 1f, 1.25f}), fixture(name));
    }

    @Test
    void scalarAndEmpty() {
        assertBits(HostArray.ofDoubles(new long[0], new double[] {3.5}), fixture("scalar_f8.npy"));
        assertBits(HostArray.ofFloats(new long[] {0, 3}, new float[0]), fixture("empty_0x3_f4.npy"));
    }

    @Test
    void readsFromAStream() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.path("npy/matrix_3x4_f4.npy"));
        HostArray a = NpyReader.read(new ByteArrayInputStream(bytes), "stdin");
        assertArrayEquals(new long[] {3, 4}, a.shape());
        assertEquals(11 / 8f, a.floatData()[11]);
    }

    @Test
    void largerThanOneBufferIsReadCompletely() throws IOException {
        // 100 000 doubles span many 64 KB chunks; a chunk-boundary bug would shift or drop values.
        double[] values = new double[100_000];
        for (int i = 0; i < values.length; i++) values[i] = i * 0.5 - 7;
        Path file = dir.resolve("big.npy");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (" + values.length + ",), }"));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        out.write(b.array());
        Files.write(file, out.toByteArray());
        assertArrayEquals(values, NpyReader.read(file).doubleData());
    }

    // --- errors: each names the file and the exact problem ---

    private static void assertError(String expected, String fixture) {
        Path file = Fixtures.path("npy/" + fixture);
        DataFileException e = assertThrows(DataFileException.class, () -> NpyReader.read(file));
        assertEquals(file + ": " + expected, e.getMessage());
    }

    @Test
    void objectArraysAreRefused() {
        assertError("unsupported dtype '|O' (object arrays need Python)", "object.npy");
    }

    @Test
    void structuredArraysAreRefused() {
        assertError("unsupported dtype [('a', '<f4'), ('b', '<i4')] (structured arrays are not supported)", "structured.npy");
    }

    @Test
    void complexTextAndUint64AreRefused() {
        assertError("unsupported dtype '<c8' (complex numbers are not supported)", "complex.npy");
        assertError("unsupported dtype '<U3' (text arrays are not supported; graft reads numbers)", "unicode.npy");
        assertError("unsupported dtype '<u8' (uint64 does not fit in int64; convert to int64 or float64)", "u8.npy");
    }

    @Test
    void truncatedData() {
        assertError("truncated: header says 1200 values, file holds 800", "truncated.npy");
    }

    @Test
    void truncatedStreamIsDetectedWhileReading() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.path("npy/truncated.npy"));
        DataFileException e = assertThrows(DataFileException.class, () -> NpyReader.read(new ByteArrayInputStream(bytes), "stdin"));
        assertEquals("stdin: truncated: header says 1200 values, file holds 800", e.getMessage());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static byte[] npy(int major, String dict) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) out.writeBytes(new byte[] {(byte) text.length, (byte) (text.length >> 8)});
        else out.writeBytes(new byte[] {(byte) text.length, (byte) (text.length >> 8), 0, 0});
        out.writeBytes(text);
        return out.toByteArray();
    }

    @Test
    void python2HeaderWithLongSuffix() throws IOException {
        // NumPy under Python 2 wrote shapes as (2L, 1L).
        byte[] header = npy(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (2L, 1L), }");
        byte[] file = java.util.Arrays.copyOf(header, header.length + 4);
        file[header.length] = 7;
        file[header.length + 2] = (byte) 0xff;
        file[header.length + 3] = (byte) 0xff;
        assertBits(HostArray.ofLongs(DType.INT32, new long[] {2, 1}, new long[] {7, -1}), NpyReader.read(write("py2.npy", file)));
    }

    @Test
    void notNpyAndBadVersions() throws IOException {
        Path text = write("x.npy", "a,b\n1,2\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(text + ": not a .npy file (it does not start with \\x93NUMPY)",
                assertThrows(DataFileException.class, () -> NpyReader.read(text)).getMessage());
        byte[] v4 = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }");
        v4[6] = 4;
        Path future = write("v4.npy", v4);
        assertEquals(future + ": unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)",
                assertThrows(DataFileException.class, () -> NpyReader.read(future)).getMessage());
        Path shortFile = write("short.npy", new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 100});
        assertEquals(shortFile + ": truncated: the file ends inside the .npy header",
                assertThrows(DataFileException.class, () -> NpyReader.read(shortFile)).getMessage());
    }

    @Test
    void malformedHeaders() throws IOException {
        Path noShape = write("a.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, }"));
        assertEquals(noShape + ": malformed .npy header: no 'shape': {'descr': '<f4', 'fortran_order': False, }",
                assertThrows(DataFileException.class, () -> NpyReader.read(noShape)).getMessage());
        Path garbage = write("b.npy", npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4}"));
        assertEquals(garbage + ": malformed .npy header: expected ',' or ')' at character 55: "
                        + "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4}",
                assertThrows(DataFileException.class, () -> NpyReader.read(garbage)).getMessage());
        Path negative = write("c.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"));
        assertEquals(negative + ": malformed .npy header: shape is (-1,)",
                assertThrows(DataFileException.class, () -> NpyReader.read(negative)).getMessage());
    }

    @Test
    void shapesNoJavaArrayHoldsAreRefusedBeforeAllocating() throws IOException {
        Path huge = write("huge.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }"));
        assertEquals(huge + ": shape (100000, 100000) holds 10000000000 values; graft holds at most 2147483639 in one array",
                assertThrows(DataFileException.class, () -> NpyReader.read(huge)).getMessage());
        // Fits in an array, but the file cannot hold it: refused from the file size, not by running out of memory.
        Path lying = write("lying.npy", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2000000000,), }"));
        assertEquals(lying + ": truncated: header says 2000000000 values, file holds 0",
                assertThrows(DataFileException.class, () -> NpyReader.read(lying)).getMessage());
    }

    @Test
    void missingFileAndDirectory() {
        Path missing = dir.resolve("nope.npy");
        assertEquals(missing + ": no such file", assertThrows(DataFileException.class, () -> NpyReader.read(missing)).getMessage());
        assertEquals(dir + ": is a directory, not a data file", assertThrows(DataFileException.class, () -> NpyReader.read(dir)).getMessage());
    }
}
