package dev.graft.kill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.cli.Cli;
import dev.graft.format.ModelFiles;
import dev.graft.format.TempFiles;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at random moments of {@code merge}, {@code adapt} and {@code train} writes: afterwards the output is the
 * old file or a complete new one (never half of one), and once graft has run again in that folder
 * no temporary file is left, there or in the temporary folder. A child JVM repeats the command
 * (see {@link RepeatCommand}) and is killed after a random delay, so each JVM start pays for
 * several kill points' worth of writes.
 *
 * <p>Each kill costs a JVM start (and, for train, the engine's start): the suite kills each command
 * a few times; {@code bench/kill.sh} runs 30 or more of each ({@code -Dgraft.kills=N}).
 */
class KillDuringWriteTest {
    private static final int MERGE_KILLS = Integer.getInteger("graft.kills", 6);
    private static final int TRAIN_KILLS = Integer.getInteger("graft.kills", 3);

    @TempDir
    Path dir;

    @Test
    void mergeKilledMidWrite() throws Exception {
        Path out = dir.resolve("hybrid.h5");
        outputSurvivesKills(out, 7, "merge", abs("samples/example1_first.h5"), abs("samples/example1_second.h5"), "-o", out.toString(), "--force");
    }

    @Test
    void adaptKilledMidWrite() throws Exception {
        Path out = dir.resolve("features.h5");
        outputSurvivesKills(out, 13, "adapt", abs("samples/ts_classifier.h5"), "--until", "max_pooling1d", "--head", "gap",
                "-o", out.toString(), "--force");
    }

    /** A command whose output bytes are deterministic, killed MERGE_KILLS times: the old output or the complete new one. */
    private void outputSurvivesKills(Path out, long seed, String... command) throws Exception {
        // The reference: what a completed run writes (graft's output bytes are deterministic).
        assertEquals(0, Cli.run(command).exitCode());
        byte[] complete = Files.readAllBytes(out);
        Files.writeString(out, "the old output");
        byte[] old = Files.readAllBytes(out);
        SplittableRandom random = new SplittableRandom(seed);
        int killed = killRepeatedly(command, random, MERGE_KILLS, () -> {
            byte[] now = Files.readAllBytes(out);
            assertTrue(java.util.Arrays.equals(now, old) || java.util.Arrays.equals(now, complete),
                    "after a kill the output is the old file or the complete new one (" + now.length + " bytes)");
        });
        assertEquals(MERGE_KILLS, killed);
        // The next run in that folder removes what the killed ones left.
        assertEquals(0, Cli.run(command).exitCode());
        assertArrayEquals(complete, Files.readAllBytes(out));
        assertEquals(List.of(), leftovers(dir));
    }

    @Test
    void trainKilledMidWrite() throws Exception {
        Path out = dir.resolve("trained.zip");
        Path history = dir.resolve("history.csv");
        String[] train = trainCommand(out, history);
        assertEquals(0, Cli.run(train).exitCode(), "reference run");
        Files.writeString(out, "the old output");
        byte[] old = Files.readAllBytes(out);
        SplittableRandom random = new SplittableRandom(11);
        int killed = 0;
        killed += killRepeatedly(train, random, TRAIN_KILLS, () -> {
            byte[] now = Files.readAllBytes(out);
            if (!java.util.Arrays.equals(now, old)) assertReopens(out);
        });
        assertEquals(TRAIN_KILLS, killed);
        // Run again as the killed ones ran (same temporary folder), to completion.
        Process again = new ProcessBuilder(childCommand(train, true)).redirectErrorStream(true).start();
        String said = new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, again.waitFor(), said);
        assertReopens(out);
        assertEquals(List.of(), leftovers(dir));
        assertEquals(List.of(), leftovers(dir.resolve("tmp")));
    }

    private String[] trainCommand(Path out, Path history) throws IOException {
        Path csv = dir.resolve("train.csv");
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 10; c++) sb.append("f").append(c).append(',');
        sb.append("label\n");
        SplittableRandom r = new SplittableRandom(3);
        for (int row = 0; row < 64; row++) {
            for (int c = 0; c < 10; c++) sb.append(String.format(java.util.Locale.ROOT, "%.3f,", r.nextDouble()));
            sb.append(r.nextInt(2)).append('\n');
        }
        Files.writeString(csv, sb.toString());
        Path hybrid = dir.resolve("hybrid.h5");
        assertEquals(0, Cli.run("merge", abs("samples/example1_first.h5"), abs("samples/example1_second.h5"), "-o", hybrid.toString()).exitCode());
        return new String[] {"train", hybrid.toString(), "--data", csv.toString(), "--target", "label", "--epochs", "1", "-o", out.toString(),
            "--history", history.toString(), "--force", "--quiet"};
    }

    interface Check {
        void run() throws Exception;
    }

    /**
     * Starts the command in a child JVM repeating it, kills it with SIGKILL after a random delay,
     * checks, and does so {@code times} times; returns the number of kills.
     */
    private int killRepeatedly(String[] command, SplittableRandom random, int times, Check check) throws Exception {
        int kills = 0;
        List<String> cmd = childCommand(command, false);
        for (int t = 0; t < times; t++) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            // Wait for the first completed run (the JVM and the engine are warm), then kill within the next runs.
            String first = lines.readLine();
            assertTrue(first != null && first.startsWith("done"), "child: " + first);
            Thread.sleep(random.nextInt(400));
            p.destroyForcibly();
            p.waitFor();
            kills++;
            check.run();
        }
        return kills;
    }

    private List<String> childCommand(String[] command, boolean once) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-Dgraft.repeat.once=" + once, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), RepeatCommand.class.getName()));
        cmd.addAll(List.of(command));
        return cmd;
    }

    private static void assertReopens(Path model) {
        ModelGraph m = ModelFiles.read(model);
        for (Layer l : m.layers()) for (Weight w : l.weights()) w.read();
    }

    private static List<String> leftovers(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).filter(TempFiles::isTemporaryName).toList();
        }
    }

    private static String abs(String repoPath) {
        return Path.of(repoPath).toAbsolutePath().toString();
    }
}
