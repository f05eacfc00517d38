package dev.graft.format.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.format.ModelFileException;
import dev.graft.format.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Zips graft cannot load fail with one precise line, whether inspected or restored for the engine. */
class Dl4jZipErrorsTest {
    private static final String MOON = "integration_MLPMoon/Model_RANDOM_INIT_UNTRAINED.zip";

    @TempDir
    Path tmp;

    static Stream<Path> needingCustomLayer() {
        return Dl4jFixtures.needingCustomLayer();
    }

    @ParameterizedTest
    @MethodSource("needingCustomLayer")
    void customLayerClassIsNamed(Path file) {
        String expected = "needs the custom DL4J layer class '" + Dl4jFixtures.CUSTOM_LAYER_CLASS + "', which is not on graft's classpath";
        assertFails(file, expected);
        ModelFileException viaSniffer = assertThrows(ModelFileException.class, () -> ModelFiles.read(file));
        assertEquals(file + ": " + expected, viaSniffer.userMessage());
    }

    @Test
    void threeFixturesNeedTheCustomLayer() {
        assertEquals(3, Dl4jFixtures.needingCustomLayer().count());
    }

    @Test
    void customVertexClassIsNamed() {
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file("regression_100b4/SyntheticBidirectionalRNNGraph_100b4.bin"),
                Dl4jZip.CONFIGURATION, ZipCopies.text(s -> s.replace("org.deeplearning4j.nn.conf.graph.MergeVertex", "com.acme.MyVertex")),
                tmp.resolve("vertex.bin"));
        assertFails(bad, "needs the custom DL4J graph vertex class 'com.acme.MyVertex', which is not on graft's classpath");
    }

    @Test
    void customLayerInPreBetaFormatIsNamed() {
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file("regression_050/050_ModelSerializer_Regression_MLP_1.zip"), Dl4jZip.CONFIGURATION,
                ZipCopies.text(s -> s.replace("\"dense\"", "\"myCustomLayer\"")), tmp.resolve("legacy.zip"));
        assertFails(bad, "configuration.json (pre-1.0.0-beta JSON format) has a layer of type 'myCustomLayer' that "
                + Dl4jProblems.dl4j() + " does not know (a custom class?)");
    }

    @Test
    void unknownActivationInPre072Format() {
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file("regression_050/050_ModelSerializer_Regression_MLP_1.zip"), Dl4jZip.CONFIGURATION,
                ZipCopies.text(s -> s.replace("\"relu\"", "\"swishy\"")), tmp.resolve("activation.zip"));
        assertFails(bad, "configuration.json (pre-0.7.2 JSON format) names an activation function 'swishy' that "
                + Dl4jProblems.dl4j() + " does not know (a custom activation?)");
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] whole = Files.readAllBytes(Dl4jFixtures.file(MOON));
        Path cut = Files.write(tmp.resolve("cut.zip"), Arrays.copyOf(whole, whole.length / 2));
        assertFails(cut, "is a corrupt or truncated zip archive (zip END header not found)");
        // Through the format sniffer, which meets the damage first, the wording is the same.
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.read(cut));
        assertEquals("is a corrupt or truncated zip archive (zip END header not found)", e.getMessage());
    }

    @Test
    void coefficientsCutShort() {
        // MIXED_DATA_TYPES format: a 96-byte shape buffer, then a 33-byte header for 102 floats.
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file(MOON), Dl4jZip.COEFFICIENTS, b -> Arrays.copyOf(b, 300), tmp.resolve("short.zip"));
        assertFails(bad, "coefficients.bin is truncated: its header announces 102 float values (408 bytes) but only 171 bytes follow");
    }

    @Test
    void coefficientsCutInsideTheHeader() {
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file(MOON), Dl4jZip.COEFFICIENTS, b -> Arrays.copyOf(b, 20), tmp.resolve("header.zip"));
        assertFails(bad, "coefficients.bin is truncated or corrupt: it ends inside its header");
    }

    @Test
    void coefficientsOfTheOldFormatCutShort() {
        // ND4J before 1.0.0-beta: "JAVACPP" buffers with int lengths; 41 floats follow a 70-byte header.
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file("regression_050/050_ModelSerializer_Regression_MLP_1.zip"), Dl4jZip.COEFFICIENTS,
                b -> Arrays.copyOf(b, 100), tmp.resolve("old.zip"));
        assertFails(bad, "coefficients.bin is truncated: its header announces 41 float values (164 bytes) but only 30 bytes follow");
    }

    @Test
    void coefficientsAnnouncingAnAbsurdLength() {
        // The values' count sits at bytes 114-121; ND4J would try to allocate it before noticing.
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file(MOON), Dl4jZip.COEFFICIENTS, b -> {
            byte[] c = b.clone();
            c[114] = 0x7f;
            return c;
        }, tmp.resolve("absurd.zip"));
        assertFails(bad, "coefficients.bin is truncated: its header announces 9151314442816847974 float values but only 408 bytes follow");
    }

    @Test
    void coefficientsOfAnotherNetwork() {
        byte[] other = ZipCopies.entry(Dl4jFixtures.file("regression_080/080_ModelSerializer_Regression_MLP_1.zip"), Dl4jZip.COEFFICIENTS);
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file(MOON), Dl4jZip.COEFFICIENTS, b -> other, tmp.resolve("other.zip"));
        assertFails(bad, "coefficients.bin holds 41 parameters but configuration.json needs 102");
    }

    @Test
    void coefficientsMissing() {
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file(MOON), Dl4jZip.COEFFICIENTS, b -> null, tmp.resolve("none.zip"));
        assertFails(bad, "has no coefficients.bin: the parameters of the network (102 values) are missing");
    }

    @Test
    void compressedDataDamaged() throws IOException {
        Path copy = ZipCopies.withEntry(Dl4jFixtures.file(MOON), Dl4jZip.COEFFICIENTS, b -> b, tmp.resolve("copy.zip"));
        byte[] bytes = Files.readAllBytes(copy);
        int at = indexOf(bytes, "coefficients.bin".getBytes()) + "coefficients.bin".length() + 5;
        for (int i = at; i < at + 40; i++) bytes[i] ^= 0x55;
        Path bad = Files.write(tmp.resolve("damaged.zip"), bytes);
        ModelFileException e = assertFails(bad, null);
        assertTrue(e.getMessage().startsWith("corrupt zip archive: coefficients.bin cannot be unpacked ("), e.getMessage());
    }

    @Test
    void configurationNotJson() {
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file(MOON), Dl4jZip.CONFIGURATION, b -> Arrays.copyOf(b, b.length / 2), tmp.resolve("json.zip"));
        assertFails(bad, "configuration.json is not valid JSON: Unexpected end-of-input: expected close marker for Object");
    }

    @Test
    void configurationOfSomethingElse() {
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file(MOON), Dl4jZip.CONFIGURATION, b -> "{\"hello\": [1, 2, 3]}".getBytes(),
                tmp.resolve("other.zip"));
        assertFails(bad, "configuration.json is not a DL4J network configuration (it has neither the 'confs' of a MultiLayerNetwork"
                + " nor the 'vertices' of a ComputationGraph)");
    }

    @Test
    void configurationDl4jCannotRead() {
        Path bad = ZipCopies.withEntry(Dl4jFixtures.file(MOON), Dl4jZip.CONFIGURATION,
                ZipCopies.text(s -> s.replaceFirst("\"nin\" : 2,", "\"nin\" : \"two\",")), tmp.resolve("type.zip"));
        ModelFileException e = assertFails(bad, null);
        assertEquals("configuration.json cannot be read by " + Dl4jProblems.dl4j()
                + ": Cannot deserialize value of type `long` from String \"two\": not a valid `long` value", e.getMessage());
    }

    @Test
    void zipWithoutConfiguration() {
        Path bad = ZipCopies.write(Map.of("coefficients.bin", new byte[] {1, 2, 3}), tmp.resolve("bare.zip"));
        assertFails(bad, "is a zip archive without configuration.json, so not a DL4J model");
    }

    /**
     * Both entry points fail alike: one line, no DL4J stack in the message.
     *
     * @param expected the exact message, or null to leave it to the caller
     */
    private static ModelFileException assertFails(Path file, String expected) {
        ModelFileException read = assertThrows(ModelFileException.class, () -> Dl4jZipReader.read(file));
        ModelFileException restore = assertThrows(ModelFileException.class, () -> Dl4jNetworks.restore(file));
        if (expected != null) assertEquals(expected, read.getMessage());
        assertEquals(read.getMessage(), restore.getMessage());
        assertFalse(read.getMessage().contains("\n"), read.getMessage());
        assertTrue(read.getMessage().length() < 300, read.getMessage());
        assertEquals(file, read.file());
        return read;
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) continue outer;
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }
}
