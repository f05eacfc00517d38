package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} of a DL4J zip reads the zip once, through graft's reader, and trains the network restored from that
 * reading: the model and its network come from the same bytes, and the file is never opened again (a file replaced
 * between the two reads, or a path the engine would restore outside graft's checks, cannot reach training).
 */
class Dl4jZipReadOnceTest {
    @TempDir
    Path dir;

    @Test
    void trainsTheNetworkReadWithTheModelNotTheFileAgain() throws Exception {
        Path zip = dir.resolve("classifier.zip");
        Files.copy(Path.of("samples/dl4j_classifier.zip"), zip);
        ModelFiles.WithNetwork read = ModelFiles.readWithNetwork(zip);
        assertNotNull(read.network(), "a DL4J zip comes with its engine network");
        HostArray x = HostArray.ofFloats(new long[] {16, 32}, ramp(16 * 32));
        HostArray before = EngineModel.ofDl4j(read.network()).predict(x)[0];
        // The file is gone: whatever trains now was read above.
        Files.write(zip, new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'z', 'i', 'p'});

        float[] labels = new float[16];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 2;
        TrainingData data = new TrainingData(List.of(x), List.of(HostArray.ofFloats(new long[] {16, 1}, labels)), List.of("labels"), null, null, null);
        TrainJob.Outcome out = TrainJob.run(read.model(), read.network(), data,
                new TrainOptions(3, 16, "sgd", 0.5, "binary_crossentropy", List.of(), 7, null, "all"), TrainingListener.SILENT);
        List<EpochRecord> h = out.result().history();
        assertEquals(3, h.size());
        assertTrue(h.get(2).train().get("loss") < h.get(0).train().get("loss"), "the loss falls: " + h);
        // The first epoch's loss is that of the network as read (binary cross-entropy of its predictions).
        double want = 0;
        for (int i = 0; i < 16; i++) {
            double p = Math.min(Math.max(before.getDouble(i), 1e-7), 1 - 1e-7);
            want -= labels[i] * Math.log(p) + (1 - labels[i]) * Math.log(1 - p);
        }
        assertEquals(want / 16, h.get(0).train().get("loss"), 1e-5);
    }

    @Test
    void aDl4jModelWithoutItsNetworkIsAProgrammingError() {
        ModelFiles.WithNetwork read = ModelFiles.readWithNetwork(Path.of("samples/dl4j_classifier.zip"));
        TrainingData data = new TrainingData(List.of(HostArray.ofFloats(new long[] {1, 32}, new float[32])),
                List.of(HostArray.ofFloats(new long[] {1, 1}, new float[1])), List.of("labels"), null, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainJob.run(read.model(), data,
                new TrainOptions(1, 1, "sgd", 0.1, "binary_crossentropy", List.of(), 7, null, "all"), TrainingListener.SILENT));
        assertTrue(e.getMessage().contains("readWithNetwork"), e.getMessage());
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) Math.sin(i * 0.37) * 0.8f;
        return v;
    }
}
