package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft run PLAN}: order from inputs and outputs, up to date by content, failures that stop
 * only what depends on them, and outputs byte-identical to the same commands run one at a time.
 */
class RunPlanTest {
    @TempDir
    Path dir;

    @BeforeEach
    void copySamples() throws IOException {
        for (String f : List.of("example1_first.h5", "example1_second.h5", "example3_first.h5", "example3_second.h5", "example3_train.csv")) {
            Files.copy(Path.of("samples", f), dir.resolve(f));
        }
    }

    private Path plan(String yaml) throws IOException {
        Path p = dir.resolve("plan.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private static Cli run(Path plan, String... options) {
        List<String> args = new ArrayList<>(List.of("run", plan.toString(), "--json"));
        args.addAll(List.of(options));
        return Cli.run(args.toArray(String[]::new));
    }

    private static String status(Cli c, int step) {
        return c.json().get("steps").get(step - 1).get("status").asText();
    }

    @Test
    void aStepWaitsForTheStepThatWritesItsInputWhateverTheOrderInTheFile() throws IOException {
        Path p = plan("""
                steps:
                  - name: use
                    inspect: [out/ex3.h5]
                  - name: build
                    merge: [example3_first.h5, example3_second.h5, --bridge, "dense:32", -o, out/ex3.h5]
                """);
        Cli c = run(p);
        assertEquals(0, c.exitCode(), c.err());
        JsonNode steps = c.json().get("steps");
        assertEquals("ran", steps.get(0).get("status").asText());
        assertEquals(2, steps.get(0).get("after").get(0).asInt(), "the inspect step reads what step 2 writes");
        assertTrue(steps.get(0).get("stdout").asText().contains("bridge1_dense"), "it inspected the merged file");
        assertTrue(c.err().indexOf("[2/2] build: ran") < c.err().indexOf("[1/2] use: ran"), c.err());
        Cli printed = Cli.run("run", p.toString(), "--print-commands");
        List<String> lines = printed.out().lines().toList();
        assertEquals(List.of(
                "graft merge " + dir.resolve("example3_first.h5") + " " + dir.resolve("example3_second.h5") + " --bridge dense:32 -o " + dir.resolve("out/ex3.h5"),
                "graft inspect " + dir.resolve("out/ex3.h5")), lines);
    }

    @Test
    void upToDateByContentNotTimestamps() throws IOException {
        Path p = plan("""
                steps:
                  - merge: [example3_first.h5, example3_second.h5, --bridge, "dense:32", -o, out/ex3.h5]
                """);
        assertEquals("ran", status(run(p), 1));
        Path out = dir.resolve("out/ex3.h5");
        byte[] first = Files.readAllBytes(out);

        Files.setLastModifiedTime(dir.resolve("example3_first.h5"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Cli touched = run(p);
        assertEquals("up-to-date", status(touched, 1), "a newer timestamp alone is no change");

        Cli dry = run(p, "--dry-run", "--force");
        assertEquals("would-run", status(dry, 1));
        assertArrayEquals(first, Files.readAllBytes(out), "a dry run writes nothing");

        // a donor with other bytes (same shapes): rebuilt
        Files.copy(dir.resolve("example1_first.h5"), dir.resolve("example3_first.h5"), StandardCopyOption.REPLACE_EXISTING);
        Cli why = Cli.run("run", p.toString(), "--dry-run");
        assertTrue(why.err().contains("would run: " + dir.resolve("example3_first.h5") + " changed"), why.err());
        assertEquals("ran", status(run(p), 1));
        assertFalse(java.util.Arrays.equals(first, Files.readAllBytes(out)));
        assertEquals("up-to-date", status(run(p), 1));

        // an option changed: rebuilt
        plan("""
                steps:
                  - merge: [example3_first.h5, example3_second.h5, --bridge, "dense:32", --seed, "7", -o, out/ex3.h5]
                """);
        Cli changed = run(p);
        assertEquals("ran", status(changed, 1));
        assertEquals("its options changed", changed.json().get("steps").get(0).get("reason").asText());
        assertEquals("ran", status(run(p, "--force"), 1), "--force rebuilds");
    }

    @Test
    void aRebuiltStepWhoseBytesComeOutTheSameLeavesItsDependantsUpToDate() throws IOException {
        Path p = plan("""
                steps:
                  - merge: [example3_first.h5, example3_second.h5, --bridge, "dense:32", -o, out/ex3.h5]
                  - merge: [out/ex3.h5, example1_second.h5, --bridge, "dense:32", -o, out/chain.h5]
                """);
        assertEquals(0, run(p).exitCode());
        Cli again = run(p, "--force");
        assertEquals("ran", status(again, 2));
        Files.delete(dir.resolve("out/ex3.h5"));
        Cli rebuilt = run(p);
        assertEquals("ran", status(rebuilt, 1));
        assertEquals("up-to-date", status(rebuilt, 2), "merge writes the same bytes again: nothing downstream changed");
    }

    @Test
    void theMappingFormVariablesAndAMatrixExpandToSteps() throws IOException {
        Path p = plan("""
                vars: {out: built}
                steps:
                  - name: "${first.stem}_to_${second.stem}"
                    matrix: {first: [example1_first.h5, example3_first.h5], second: [example1_second.h5, example3_second.h5]}
                    merge: {models: ["${first}", "${second}"], bridge: auto, output: "${out}/${first.stem}__${second.stem}.h5"}
                """);
        Cli c = run(p, "-j", "2");
        assertEquals(0, c.exitCode(), c.err());
        JsonNode steps = c.json().get("steps");
        assertEquals(4, steps.size());
        assertEquals("example3_first_to_example1_second", steps.get(2).get("name").asText());
        for (String f : List.of("example1_first__example1_second", "example1_first__example3_second", "example3_first__example1_second",
                "example3_first__example3_second")) {
            assertTrue(Files.isRegularFile(dir.resolve("built/" + f + ".h5")), f);
        }
        assertEquals("graft merge " + dir.resolve("example1_first.h5") + " " + dir.resolve("example1_second.h5") + " --bridge auto --output "
                + dir.resolve("built/example1_first__example1_second.h5"), steps.get(0).get("shell").asText());
    }

    @Test
    void aPlanMayBeJson() throws IOException {
        Path p = dir.resolve("plan.json");
        Files.writeString(p, "{\"steps\": [{\"merge\": {\"models\": [\"example1_first.h5\", \"example1_second.h5\"], \"output\": \"out/a.zip\"}}]}");
        Cli c = Cli.run("run", p.toString(), "--print-commands");
        assertEquals(0, c.exitCode(), c.err());
        assertEquals("graft merge " + dir.resolve("example1_first.h5") + " " + dir.resolve("example1_second.h5") + " --output " + dir.resolve("out/a.zip") + "\n",
                c.out());
    }

    @Test
    void aPlanThatCannotRunIsRefusedBeforeAnyStepNamingTheStepAndTheKey() throws IOException {
        String good = "  - merge: [example3_first.h5, example3_second.h5, --bridge, \"dense:32\", -o, out/ok.h5]\n";
        assertRefused("steps:\n" + good + "  - train: [out/ok.h5, --data, example3_train.csv, --target, label, --epoch, \"3\", -o, out/t.zip]\n",
                "step 2 (train): Unknown options: '--epoch', '3'");
        assertRefused("steps:\n" + good + "  - merge: {models: [example1_first.h5, example1_second.h5], brige: reshape, output: out/x.h5}\n",
                "step 2 (merge), key 'brige': not an option of graft merge");
        assertRefused("steps:\n" + good + "  - predict: {model: out/missing.h5, input: example3_train.csv, output: out/p.csv}\n",
                "step 2 (predict), key 'model': " + dir.resolve("out/missing.h5") + ": no such file, and no step writes it");
        assertRefused("steps:\n" + good + "  - predict: [out/ok.h5, --input, nosuch.npy, -o, out/p.npy]\n",
                "step 2 (predict), key 'input': " + dir.resolve("nosuch.npy") + ": no such file");
        assertRefused("steps:\n" + good + "  - frobnicate: [a]\n", "unknown step 'frobnicate'");
        assertRefused("steps:\n" + good + "  - merge: [example1_first.h5, example1_second.h5, -o, example1_first.h5]\n",
                "step 2 (merge), key 'output': example1_first.h5 is also an input of this step");
        assertRefused("steps:\n" + good + good, "step 1 (merge) and step 2 (merge) both write " + dir.resolve("out/ok.h5"));
        assertRefused("steps:\n" + good + "  - merge: [example3_first.h5, example3_second.h5, -o, out/y.h5]\n",
                "step 2 (merge): " + dir.resolve("example3_first.h5") + " gives (None, 64) but " + dir.resolve("example3_second.h5")
                        + " expects (None, 32); add --bridge dense:32");
        assertRefused("""
                steps:
                  - merge: [out/b.h5, example1_second.h5, -o, out/a.h5]
                  - merge: [out/a.h5, example1_second.h5, -o, out/b.h5]
                """, "steps read each other's outputs in a cycle: step 1 (merge) -> step 2 (merge) -> step 1 (merge)");
        assertRefused("steps:\n  - name: x\n    merge: [example1_first.h5, example1_second.h5, -o, \"${nope}.h5\"]\n", "unknown variable '${nope}'");
    }

    private void assertRefused(String yaml, String message) throws IOException {
        Path p = plan(yaml);
        Cli c = Cli.run("run", p.toString());
        assertEquals(2, c.exitCode(), c.err());
        assertTrue(c.err().startsWith("graft: " + p + ": "), c.err());
        assertTrue(c.err().contains(message), "expected '" + message + "' in: " + c.err());
        assertEquals(1, c.err().lines().count(), c.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing ran");
    }

    @Test
    void aFailureStopsItsDependantsAndWithKeepGoingOnlyThem() throws IOException {
        Path p = plan("""
                steps:
                  - name: bad
                    train: [example1_first.h5, --data, example3_train.csv, --target, nosuch, --epochs, "1", -o, out/t.zip]
                  - name: after_bad
                    predict: [out/t.zip, --input, example3_train.csv, --drop, label, -o, out/p.npy]
                  - name: independent
                    merge: [example1_first.h5, example1_second.h5, -o, out/m.h5]
                """);
        Cli stop = run(p);
        assertEquals(1, stop.exitCode());
        JsonNode steps = stop.json().get("steps");
        assertEquals("failed", steps.get(0).get("status").asText());
        assertTrue(steps.get(0).get("message").asText().contains("nosuch"), steps.get(0).toString());
        assertEquals("not-run", steps.get(1).get("status").asText());
        assertEquals("not-run", steps.get(2).get("status").asText(), "without --keep-going no new step starts");
        assertFalse(stop.json().get("ok").asBoolean());

        Cli going = run(p, "--keep-going");
        assertEquals(1, going.exitCode());
        steps = going.json().get("steps");
        assertEquals("failed", steps.get(0).get("status").asText());
        assertEquals("not-run", steps.get(1).get("status").asText());
        assertTrue(steps.get(1).get("reason").asText().contains("step 1 (train bad), which failed"));
        assertEquals("ran", steps.get(2).get("status").asText());
        assertEquals(List.of(".m.h5.graft-step", "m.h5"), listing(dir.resolve("out")), "no partial output, no temporary file");
    }

    @Test
    void aStepThatFailsOnARebuildPutsThePreviousOutputBack() throws IOException {
        String steps = "steps:\n  - merge: [example1_first.h5, example1_second.h5, -o, out/h.h5]\n"
                + "  - train: [out/h.h5, --data, example3_train.csv, --target, %s, --epochs, \"1\", -o, out/t.zip]\n";
        Path p = plan(String.format(steps, "label"));
        Cli ok = run(p);
        assertEquals("ran", status(ok, 2), ok.err());
        byte[] before = Files.readAllBytes(dir.resolve("out/t.zip"));
        plan(String.format(steps, "nosuch"));
        Cli failed = run(p);
        assertEquals("up-to-date", status(failed, 1));
        assertEquals("failed", status(failed, 2));
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("out/t.zip")), "the earlier output is back, whole");
        assertEquals(List.of(".h.h5.graft-step", "h.h5", "t.zip"), listing(dir.resolve("out")), "no record for t.zip: it is rebuilt next time");
    }

    @Test
    void planOutputsAreByteIdenticalToTheSameCommandsRunOneByOne() throws IOException {
        Path p = plan("""
                steps:
                  - merge: [example3_first.h5, example3_second.h5, --bridge, "dense:32", --freeze, donors, -o, plan/hybrid.h5]
                  - train: [plan/hybrid.h5, --data, example3_train.csv, --target, label, --epochs, "1", -o, plan/trained.h5]
                  - predict: [plan/trained.h5, --input, example3_train.csv, --drop, label, -o, plan/predictions.npy]
                """);
        Cli c = run(p, "-j", "2");
        assertEquals(0, c.exitCode(), c.err());

        Files.createDirectories(dir.resolve("plan-free"));
        String a = dir.resolve("example3_first.h5").toString(), b = dir.resolve("example3_second.h5").toString();
        String data = dir.resolve("example3_train.csv").toString();
        Path hybrid = dir.resolve("plan/hybrid.h5"), trained = dir.resolve("plan/trained.h5"), predictions = dir.resolve("plan/predictions.npy");
        List<byte[]> fromPlan = List.of(Files.readAllBytes(hybrid), Files.readAllBytes(trained), Files.readAllBytes(predictions));
        Files.delete(hybrid);
        Files.delete(trained);
        Files.delete(predictions);
        assertEquals(0, Cli.run("merge", a, b, "--bridge", "dense:32", "--freeze", "donors", "-o", hybrid.toString()).exitCode());
        assertEquals(0, Cli.run("train", hybrid.toString(), "--data", data, "--target", "label", "--epochs", "1", "-o", trained.toString()).exitCode());
        assertEquals(0, Cli.run("predict", trained.toString(), "--input", data, "--drop", "label", "-o", predictions.toString()).exitCode());
        assertArrayEquals(fromPlan.get(0), Files.readAllBytes(hybrid));
        assertArrayEquals(fromPlan.get(1), Files.readAllBytes(trained));
        assertArrayEquals(fromPlan.get(2), Files.readAllBytes(predictions));
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }
}
