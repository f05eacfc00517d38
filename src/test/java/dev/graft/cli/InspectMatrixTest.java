package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect --matrix}: every ordered pair's verdict in one process, the same verdicts {@code inspect A B} gives. */
class InspectMatrixTest {
    private static final String[] MODELS = {"samples/example1_first.h5", "samples/example1_second.h5", "samples/example3_first.h5",
        "samples/example3_second.h5", "samples/ts_extractor.h5", "samples/ts_lstm32.h5"};

    @Test
    void everyOrderedPairAsJsonAgreesWithInspectingThePairAlone() {
        String[] args = new String[MODELS.length + 3];
        args[0] = "inspect";
        args[1] = "--matrix";
        args[2] = "--json";
        System.arraycopy(MODELS, 0, args, 3, MODELS.length);
        Cli c = Cli.run(args);
        assertEquals(0, c.exitCode(), c.err());
        JsonNode pairs = c.json().get("pairs");
        assertEquals(MODELS.length * (MODELS.length - 1), pairs.size());
        for (JsonNode p : pairs) {
            Cli alone = Cli.run("inspect", "--json", MODELS[p.get("from").asInt() - 1], MODELS[p.get("to").asInt() - 1]);
            JsonNode join = alone.json().get("join");
            assertEquals(join.get("verdict"), p.get("verdict"), p.toString());
            assertEquals(join.get("bridge"), p.get("bridge"), p.toString());
        }
        assertEquals("[null,32]", c.json().get("models").get(0).get("output").get("shape").toString());
    }

    @Test
    void theTableMarksEachPairAndListsThoseThatJoin() {
        Cli c = Cli.run("inspect", "--matrix", MODELS[0], MODELS[1], MODELS[2], MODELS[3]);
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("Join matrix of 4 models"), c.out());
        assertTrue(c.out().lines().anyMatch(l -> l.equals(" 1  . = D =")), "row 1: itself, direct, dense, direct\n" + c.out());
        assertTrue(c.out().contains("  1 -> 2  direct\n"), c.out());
        assertTrue(c.out().contains("  3 -> 4  --bridge dense:32\n"), c.out());
    }

    @Test
    void anUnreadableModelIsReportedAndTheOthersStillCompared(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.h5");
        Files.writeString(junk, "not a model");
        Cli c = Cli.run("inspect", "--matrix", "--json", MODELS[0], junk.toString(), MODELS[1]);
        assertEquals(1, c.exitCode());
        assertTrue(c.json().get("models").get(1).get("error").asText().contains("junk.h5"), c.out());
        assertEquals(2, c.json().get("pairs").size(), "1 -> 3 and 3 -> 1");
    }

    @Test
    void moreThanTwoModelsWithoutMatrixIsAUsageError() {
        Cli c = Cli.run("inspect", MODELS[0], MODELS[1], MODELS[2]);
        assertEquals(2, c.exitCode());
        assertTrue(c.err().contains("--matrix"), c.err());
    }
}
