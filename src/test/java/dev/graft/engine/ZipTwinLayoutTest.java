package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import dev.graft.model.HostArray;
import dev.graft.model.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid written as {@code .zip} predicts what its {@code .h5} twin predicts, in Keras layout:
 * the same random Keras-layout inputs go into both and the outputs must have the same shapes and
 * values. The twins include a sequence output (the zip used to return (batch, features, steps))
 * and a {@code Masking → LSTM} first donor (the zip used to refuse (batch, steps, features) input).
 */
class ZipTwinLayoutTest {
    private static final double TOLERANCE = 1e-5;
    /** Steps given to a sequence input whose length the model leaves open. */
    private static final long OPEN_STEPS = 7;

    @TempDir
    Path tmp;

    static Stream<Arguments> twins() {
        String s = "samples/";
        return Stream.of(
                Arguments.of("example1 direct", List.of(s + "example1_first.h5", s + "example1_second.h5")),
                Arguments.of("example2 direct", List.of(s + "example2_first.h5", s + "example2_second.h5")),
                Arguments.of("example3 dense:32", List.of(s + "example3_first.h5", s + "example3_second.h5", "--bridge", "dense:32")),
                Arguments.of("ts dense:8 into LSTM", List.of(s + "ts_extractor.h5", s + "ts_lstm.h5", "--bridge", "dense:8")),
                Arguments.of("ts reshape into LSTM", List.of(s + "ts_extractor.h5", s + "ts_lstm32.h5", "--bridge", "reshape")),
                Arguments.of("ts direct into GRU", List.of(s + "ts_extractor.h5", s + "ts_gru.h5")),
                Arguments.of("MLP into Conv1D, sequence output",
                        List.of(s + "example3_first.h5", s + "ts_extractor.h5", "--bridge", "dense:128,reshape")),
                Arguments.of("LSTM sequences into LSTM, sequence output",
                        List.of("fixture:keras/models/tfkeras__rnn_116.h5", "fixture:keras/models/tfkeras__rnn_132.h5", "--bridge", "dense:1")),
                Arguments.of("Masking then LSTM first",
                        List.of("fixture:keras/models/examples__masking__masking_two_lstm.h5", s + "example1_second.h5")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twins")
    void zipPredictsLikeItsH5Twin(String name, List<String> mergeArgs) {
        List<String> args = new ArrayList<>(List.of("merge"));
        for (String a : mergeArgs) args.add(a.startsWith("fixture:") ? Fixtures.file(a.substring("fixture:".length())).toString() : a);
        Path h5 = tmp.resolve("twin.h5");
        Path zip = tmp.resolve("twin.zip");
        for (Path out : List.of(h5, zip)) {
            List<String> withOut = new ArrayList<>(args);
            withOut.addAll(List.of("-o", out.toString(), "--quiet"));
            Cli r = Cli.run(withOut.toArray(String[]::new));
            assertEquals(0, r.exitCode(), name + " -> " + out.getFileName() + ": " + r.err());
        }
        assertSamePredictions(name, h5, zip);
    }

    /** {@code convert} to .zip writes the same record: a masked LSTM and a sequence-output LSTM read back as their .h5. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"keras/models/examples__masking__masking_two_lstm.h5", "keras/models/tfkeras__rnn_116.h5"})
    void convertedZipPredictsLikeItsSource(String fixture) {
        Path source = Fixtures.file(fixture);
        Path zip = tmp.resolve("converted.zip");
        Cli r = Cli.run("convert", source.toString(), "-o", zip.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertSamePredictions(fixture, source, zip);
    }

    private static void assertSamePredictions(String name, Path h5, Path zip) {
        EngineModel fromH5 = EngineModels.load(h5);
        EngineModel fromZip = EngineModels.load(zip);
        HostArray[] x = new HostArray[fromH5.inputs().size()];
        for (int i = 0; i < x.length; i++) x[i] = zeroPadded(Reference.random(100 + i, sampleShape(fromH5.inputShapes().get(i), 5)));
        HostArray[] expected = fromH5.predict(x);
        HostArray[] actual = fromZip.predict(x);
        assertEquals(expected.length, actual.length, name + ": outputs");
        for (int o = 0; o < expected.length; o++) {
            assertArrayEquals(expected[o].shape(), actual[o].shape(), name + ": output " + o + " shape");
            double diff = Reference.maxAbsDiff(expected[o], actual[o]);
            assertTrue(diff <= TOLERANCE, name + ": output " + o + " differs from the .h5 twin by " + diff);
        }
    }

    /** The record is what the zip is read by, so a damaged one is refused with the file named, never guessed around. */
    @org.junit.jupiter.api.Test
    void aDamagedRecordIsRefused() throws java.io.IOException {
        Path zip = tmp.resolve("hybrid.zip");
        Cli r = Cli.run("merge", "samples/example1_first.h5", "samples/example1_second.h5", "-o", zip.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(Shape.batchOf(10)), EngineModels.load(zip).inputShapes());
        Path damaged = tmp.resolve("damaged.zip");
        try (var in = new java.util.zip.ZipFile(zip.toFile());
             var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(damaged))) {
            for (var e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                if (e.getName().equals("graft_tensors.json")) out.write("{\"inputs\": [{\"name\": \"nope\"}]}".getBytes());
                else in.getInputStream(e).transferTo(out);
                out.closeEntry();
            }
        }
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.graft.format.ModelFileException.class, () -> EngineModels.load(damaged));
        assertTrue(e.userMessage().contains("damaged.zip: ") && e.userMessage().contains("graft_tensors.json is damaged"), e.userMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    /**
     * Sequences with their last two steps all zeros in every other sample, as padded batches come:
     * a {@code Masking} layer skips those steps, so both twins must apply the mask the same way.
     */
    private static HostArray zeroPadded(HostArray x) {
        long[] s = x.shape();
        if (s.length != 3 || s[1] < 3) return x;
        float[] v = x.toFloatArray();
        int steps = (int) s[1];
        int features = (int) s[2];
        for (int b = 1; b < s[0]; b += 2) {
            for (int t = steps - 2; t < steps; t++) java.util.Arrays.fill(v, (b * steps + t) * features, (b * steps + t + 1) * features, 0f);
        }
        return HostArray.ofFloats(s, v);
    }

    private static long[] sampleShape(Shape keras, long batch) {
        long[] shape = new long[keras.rank()];
        shape[0] = batch;
        for (int d = 1; d < shape.length; d++) shape[d] = keras.dim(d) == null ? OPEN_STEPS : keras.dim(d);
        return shape;
    }
}
