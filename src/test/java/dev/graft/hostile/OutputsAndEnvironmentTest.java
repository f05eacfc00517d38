package dev.graft.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.graft.cli.Cli;
import dev.graft.data.DataFiles;
import dev.graft.format.TempFiles;
import dev.graft.model.HostArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No lost file and no surprise from the environment: train's reports never overwrite an input
 * (by path, symbolic link or hard link), special files are refused before they are opened, a
 * full disk and a read-only folder are one line before any work, NaN is refused in every data
 * format and blamed on the file that holds it, and leftovers of killed runs are removed.
 */
class OutputsAndEnvironmentTest {
    static final Path DATA = Path.of("samples/example3_train.csv");

    @TempDir
    Path dir;
    Path hybrid;
    Path mount;

    @BeforeEach
    void merge() {
        hybrid = dir.resolve("hybrid.h5");
        Cli r = Cli.run("merge", "samples/example3_first.h5", "samples/example3_second.h5", "--bridge", "dense:32", "-o", hybrid.toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) run("umount", mount.toString());
    }

    private Cli train(String... extra) {
        String[] base = {"train", hybrid.toString(), "--data", DATA.toAbsolutePath().toString(), "--target", "label", "--epochs", "1", "--quiet"};
        String[] args = Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new);
        return Cli.run(args);
    }

    private static void assertOneLine(Cli r, String... fragments) {
        assertEquals(1, r.exitCode(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' in: " + err);
    }

    @Test
    void historyAndPlotNeverOverwriteAnInput() throws Exception {
        Path csv = Files.copy(DATA, dir.resolve("train.csv"));
        byte[] data = Files.readAllBytes(csv);
        byte[] model = Files.readAllBytes(hybrid);
        Cli history = Cli.run("train", hybrid.toString(), "--data", csv.toString(), "--target", "label", "--epochs", "1", "--quiet",
                "-o", dir.resolve("t.h5").toString(), "--history", csv.toString());
        assertOneLine(history, csv + ": --history names an input");
        // Through a symbolic link and a hard link to the model.
        Path symlink = Files.createSymbolicLink(dir.resolve("plot.png"), hybrid);
        assertOneLine(train("-o", dir.resolve("t.h5").toString(), "--plot", symlink.toString()), "--plot names an input");
        Path hardlink = Files.createLink(dir.resolve("curves.png"), hybrid);
        assertOneLine(train("-o", dir.resolve("t.h5").toString(), "--plot", hardlink.toString()), "--plot names an input");
        assertOneLine(train("-o", dir.resolve("t.h5").toString(), "--history", dir.resolve("t.h5").toString()), "names the output model");
        assertArrayEquals(data, Files.readAllBytes(csv));
        assertArrayEquals(model, Files.readAllBytes(hybrid));
        assertTrue(!Files.exists(dir.resolve("t.h5")), "refused before training");
    }

    @Test
    void validationFileIsNeverTheOutput() throws Exception {
        Path val = Files.copy(DATA, dir.resolve("val.csv"));
        byte[] before = Files.readAllBytes(val);
        Cli r = train("--validation", val.toString(), "-o", val.toString(), "--format", "h5", "--force");
        assertOneLine(r, "is also an input");
        assertArrayEquals(before, Files.readAllBytes(val));
    }

    @Test
    void fifoIsRefusedBeforeOpening() throws Exception {
        Path fifo = dir.resolve("model.h5");
        run("mkfifo", fifo.toString());
        Cli inspect = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Cli.run("inspect", fifo.toString()), "blocked on a FIFO");
        assertOneLine(inspect, fifo + ": is not a regular file");
        Path fifoData = dir.resolve("in.csv");
        run("mkfifo", fifoData.toString());
        Cli predict = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Cli.run("predict", "samples/example1_first.h5", "--input", fifoData.toString(), "-o", dir.resolve("p.csv").toString()),
                "blocked on a FIFO");
        assertOneLine(predict, fifoData + ": is not a regular file");
    }

    @Test
    void nanIsBlamedOnTheFileThatHoldsIt() {
        Path x = dir.resolve("x.npy"), y = dir.resolve("y.npy");
        float[] xs = new float[20 * 10];
        xs[3 * 10 + 4] = Float.NaN;
        DataFiles.write(x, HostArray.ofFloats(new long[] {20, 10}, xs));
        DataFiles.write(y, HostArray.ofFloats(new long[] {20, 1}, new float[20]));
        Cli r = Cli.run("train", hybrid.toString(), "--x", x.toString(), "--y", y.toString(), "--epochs", "1", "-o", dir.resolve("t.h5").toString());
        assertOneLine(r, x + ": row 4 holds NaN");
        // predict refuses NaN in an .npy as it does in a CSV.
        Cli p = Cli.run("predict", hybrid.toString(), "--input", x.toString(), "-o", dir.resolve("p.csv").toString());
        assertOneLine(p, x + ": row 4 holds NaN");
    }

    @Test
    void leftoversOfKilledRunsAreRemovedByTheNextRun() throws Exception {
        // A process id that no longer runs: a finished child's.
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        long dead = done.pid();
        Path leftover = Files.writeString(dir.resolve(".out.h5.graft-" + dead + "-1.part.tmp"), "half a file");
        Path mine = Files.writeString(dir.resolve(".out.h5.graft-" + ProcessHandle.current().pid() + "-999.part.tmp"), "in use");
        Path foreign = Files.writeString(dir.resolve(".notes.123.tmp"), "not graft's");
        assertEquals(0, Cli.run("merge", "samples/example1_first.h5", "samples/example1_second.h5", "-o", dir.resolve("out.h5").toString())
                .exitCode());
        assertTrue(!Files.exists(leftover), "a dead run's temporary file is removed");
        assertTrue(Files.exists(mine) && Files.exists(foreign), "a live run's file and other files stay");
        Files.delete(mine);
    }

    @Test
    void fullDiskIsOneLineBeforeWriting() throws Exception {
        mountTmpfs("1m", false);
        // Leave less room than the hybrid needs.
        Files.write(mount.resolve("filler"), new byte[900 * 1024]);
        Path out = mount.resolve("hybrid.h5");
        Cli r = Cli.run("merge", "samples/example3_first.h5", "samples/example3_second.h5", "--bridge", "dense:32", "-o", out.toString());
        assertOneLine(r, out.toString(), "not enough free space in " + mount);
        assertEquals(List.of("filler"), names(mount));
        Cli t = train("-o", out.toString());
        assertOneLine(t, out.toString(), "not enough free space");
    }

    @Test
    void readOnlyFolderIsOneLineBeforeTraining() throws Exception {
        mountTmpfs("1m", true);
        Path out = mount.resolve("trained.h5");
        Cli t = train("-o", out.toString());
        assertOneLine(t, out.toString(), "read-only");
        Cli m = Cli.run("merge", "samples/example1_first.h5", "samples/example1_second.h5", "-o", out.toString());
        assertOneLine(m, out.toString(), "read-only");
        Cli h = train("-o", dir.resolve("t.h5").toString(), "--history", mount.resolve("h.csv").toString());
        assertOneLine(h, "h.csv", "read-only");
        assertEquals(List.of(), names(mount));
    }

    /** A small file system of our own (root only; skipped elsewhere): full disks and read-only folders without touching real ones. */
    private void mountTmpfs(String size, boolean readOnly) throws Exception {
        Path m = Files.createDirectories(dir.resolve("mnt"));
        boolean ok = run("mount", "-t", "tmpfs", "-o", "size=" + size + (readOnly ? ",ro" : ""), "tmpfs", m.toString()) == 0;
        assumeTrue(ok, "cannot mount a tmpfs here (needs root); skipping");
        mount = m;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    static boolean isTemporary(String name) {
        return TempFiles.isTemporaryName(name);
    }
}
