package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.format.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --optimizer-arg / --loss-arg}: recorded as Keras records them, read back, refused when graft cannot honour them. */
class TrainOptimizerOptionsTest {
    @TempDir
    static Path dir;
    static Path hybrid;
    static Path data;

    @BeforeAll
    static void merge() throws Exception {
        hybrid = dir.resolve("hybrid.h5");
        Cli r = Cli.run("merge", "samples/example3_first.h5", "samples/example3_second.h5", "--bridge", "dense:32", "--freeze", "donors",
                "-o", hybrid.toString());
        assertEquals(0, r.exitCode(), r.err());
        data = dir.resolve("rows.csv");
        Files.write(data, Files.readAllLines(Path.of("samples/example3_train.csv")).subList(0, 65));
    }

    private static Cli train(Path model, Path out, String... extra) {
        String[] base = {"train", model.toString(), "--data", data.toString(), "--target", "label", "--epochs", "1", "-o", out.toString(),
            "--quiet", "--json"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.run(args);
    }

    @Test
    void argumentsAreRecordedAndReadBack() {
        Path first = dir.resolve("rms.h5");
        Cli r = train(hybrid, first, "--optimizer", "rmsprop", "--optimizer-arg", "centered=true", "--optimizer-arg", "clipnorm=1",
                "--loss-arg", "label_smoothing=0.1");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode tc = ModelFiles.read(first).trainingConfig();
        JsonNode opt = tc.get("optimizer_config");
        assertEquals("RMSprop", opt.get("class_name").asText());
        assertTrue(opt.get("config").get("centered").asBoolean(), opt.toString());
        assertEquals(1.0, opt.get("config").get("clipnorm").asDouble(), opt.toString());
        assertEquals(0.001, opt.get("config").get("learning_rate").asDouble(), opt.toString());
        assertEquals(0.1, tc.get("loss").get("config").get("label_smoothing").asDouble(), tc.toString());
        // trained again without options: the stored optimizer and loss, arguments included
        Cli again = train(first, dir.resolve("rms2.h5"));
        assertEquals(0, again.exitCode(), again.err());
        assertEquals("rmsprop", again.json().get("optimizer").asText());
        JsonNode opt2 = ModelFiles.read(dir.resolve("rms2.h5")).trainingConfig().get("optimizer_config");
        assertEquals(opt.get("config"), opt2.get("config"));
    }

    @Test
    void aZipNamesOnlyDl4jClasses() throws Exception {
        Path zip = dir.resolve("nadam.zip");
        Cli r = train(hybrid, zip, "--optimizer", "nadam");
        assertEquals(0, r.exitCode(), r.err());
        try (ZipFile z = new ZipFile(zip.toFile())) {
            String conf = new String(z.getInputStream(z.getEntry("configuration.json")).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertFalse(conf.contains("dev.graft.engine.train"), "graft's training classes leaked into the zip");
            assertTrue(conf.contains("org.nd4j.linalg.learning.config.Nadam"), "the bridge records DL4J's Nadam");
        }
    }

    @Test
    void whatGraftCannotHonourIsRefusedBeforeTraining() {
        String[][] cases = {
            {"--optimizer-arg", "beta_3=1", "Adam has no argument 'beta_3'"},
            {"--optimizer-arg", "use_ema=true", "use_ema=true"},
            {"--loss-arg", "ignore_class=1", "ignore_class is not implemented"},
            {"--loss-arg", "reduction=sum", "loss reduction 'sum' is not implemented"},
            {"--loss-arg", "delta=2", "delta is Huber's argument"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("refused.h5");
            Cli r = train(hybrid, out, c[0], c[1]);
            assertEquals(1, r.exitCode(), String.join(" ", c));
            assertTrue(r.err().contains(c[2]) && r.err().strip().lines().count() == 1, String.join(" ", c) + " -> " + r.err());
            assertFalse(Files.exists(out));
        }
        Path zip = dir.resolve("huber.zip");
        Cli r = train(hybrid, zip, "--loss", "huber");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("DL4J has no huber loss"), r.err());
        assertFalse(Files.exists(zip));
    }
}
