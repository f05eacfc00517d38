package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.format.FormatSniffer;
import dev.graft.format.ModelFiles;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft train -o x.keras}: the trained model as a Keras 3 archive, with the same weights
 * (bit for bit) as the same run written as {@code .h5}, and this run's training configuration.
 */
class TrainKerasArchiveTest {
    @TempDir
    Path dir;

    @Test
    void trainsIntoAKerasArchive() {
        Path hybrid = dir.resolve("hybrid.h5");
        Cli r = Cli.run("merge", "samples/example3_first.h5", "samples/example3_second.h5", "--bridge", "dense:32", "--freeze", "donors",
                "-o", hybrid.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path keras = dir.resolve("trained.keras");
        Path h5 = dir.resolve("trained.h5");
        for (Path out : new Path[] {keras, h5}) {
            r = Cli.run("train", hybrid.toString(), "--data", "samples/example3_train.csv", "--target", "label", "--epochs", "1",
                    "--learning-rate", "0.01", "--quiet", "-o", out.toString());
            assertEquals(0, r.exitCode(), r.err());
        }
        assertEquals(ModelFormat.KERAS_ZIP, FormatSniffer.detect(keras));
        ModelGraph a = ModelFiles.read(keras);
        ModelGraph b = ModelFiles.read(h5);
        assertEquals("adam", a.trainingConfig().path("optimizer_config").path("class_name").asText().toLowerCase(java.util.Locale.ROOT));
        assertEquals(1, a.provenance().path("training").size(), "this run recorded");
        for (Layer l : b.layers()) {
            Layer k = a.layer(l.name());
            assertEquals(l.weights().size(), k.weights().size(), l.name());
            for (int i = 0; i < l.weights().size(); i++) {
                assertTrue(l.weights().get(i).read().bitEquals(k.weights().get(i).read()), "weight " + l.weights().get(i).name());
            }
        }
    }
}
