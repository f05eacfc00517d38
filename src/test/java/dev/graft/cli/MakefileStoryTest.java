package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.format.Checksums;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's story (merge, train, predict) as a Makefile with no --force anywhere, run by real
 * {@code make} twice: the second time after a donor's content changed, only what depends on it is
 * rebuilt (and differs); what does not is left alone, byte for byte.
 */
class MakefileStoryTest {
    static final String MAKEFILE = String.join("\n",
            "all: predictions.csv first.json",
            "",
            "hybrid.h5: first.h5 second.h5",
            "\t$(GRAFT) merge first.h5 second.h5 --bridge dense:32 --freeze donors -o $@ --quiet",
            "trained.h5: hybrid.h5 train.csv",
            "\t$(GRAFT) train hybrid.h5 --data train.csv --target label --validation-split 0.2 --epochs 2 --learning-rate 0.01 -o $@ --quiet",
            "predictions.csv: trained.h5 train.csv",
            "\t$(GRAFT) predict trained.h5 --input train.csv --drop label -o $@ --quiet",
            "first.json: first.h5",
            "\t$(GRAFT) inspect first.h5 --json > $@",
            "");

    static final List<String> OUTPUTS = List.of("hybrid.h5", "trained.h5", "predictions.csv", "first.json");

    @TempDir
    Path dir;

    @Test
    void onlyWhatDependsOnAChangedDonorIsRebuilt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/make")) || Files.isExecutable(Path.of("/bin/make")), "make is not installed");
        Files.writeString(dir.resolve("Makefile"), MAKEFILE);
        Files.copy(Path.of("samples/example3_first.h5"), dir.resolve("first.h5"));
        Files.copy(Path.of("samples/example3_second.h5"), dir.resolve("second.h5"));
        Files.copy(Path.of("samples/example3_train.csv"), dir.resolve("train.csv"));

        make();
        Map<String, byte[]> before = contents();
        Map<String, FileTime> times = times();
        assertEquals("graft train hybrid.h5 --data train.csv --target label --validation-split 0.2 --epochs 2 --learning-rate 0.01 -o trained.h5",
                trainingRun().path("command").asText());
        assertEquals(Checksums.sha256(dir.resolve("train.csv")), trainingRun().path("data").get(0).path("sha256").asText());

        // A donor whose content changed (another second model reading the same 32 features).
        Files.copy(Path.of("samples/example1_second.h5"), dir.resolve("second.h5"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(dir.resolve("second.h5"), FileTime.fromMillis(System.currentTimeMillis() + 2000));
        make();
        Map<String, byte[]> after = contents();
        for (String changed : List.of("hybrid.h5", "trained.h5", "predictions.csv")) {
            assertFalse(Arrays.equals(before.get(changed), after.get(changed)), changed + " depends on second.h5 and was rebuilt");
        }
        assertArrayEquals(before.get("first.json"), after.get("first.json"), "first.json does not depend on second.h5");
        assertEquals(times.get("first.json"), times().get("first.json"), "and was not rebuilt");
        assertEquals(Checksums.sha256(dir.resolve("second.h5")),
                Cli.run("inspect", "--json", dir.resolve("hybrid.h5").toString()).json().path("provenance").path("donors").get(1).path("sha256").asText());
    }

    private JsonNode trainingRun() {
        return Cli.run("inspect", "--json", dir.resolve("trained.h5").toString()).json().path("provenance").path("training").get(0);
    }

    private void make() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String graft = java + " -cp " + System.getProperty("java.class.path") + " dev.graft.Main";
        Process p = new ProcessBuilder("make", "-j2", "GRAFT=" + graft).directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
    }

    private Map<String, byte[]> contents() throws Exception {
        Map<String, byte[]> m = new HashMap<>();
        for (String o : OUTPUTS) m.put(o, Files.readAllBytes(dir.resolve(o)));
        return m;
    }

    private Map<String, FileTime> times() throws Exception {
        Map<String, FileTime> m = new HashMap<>();
        for (String o : OUTPUTS) m.put(o, Files.getLastModifiedTime(dir.resolve(o)));
        return m;
    }
}
