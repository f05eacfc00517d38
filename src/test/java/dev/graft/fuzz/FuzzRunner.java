package dev.graft.fuzz;

import dev.graft.cli.GraftCommand;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs many graft commands in one JVM for {@code bench/fuzz.sh}: a JVM start costs more than most
 * runs, and a campaign of thousands of files must share a busy machine. Each job is a line
 * {@code FILE inspect} or {@code FILE predict INPUT.csv OUT.csv} of the jobs file; jobs run one at a
 * time from the index given, each announced in the progress file before it starts, so that when
 * native code takes the JVM down the script knows which file did it, counts a crash and starts a new
 * JVM after it. A run over the hang limit halts the JVM the same way (a thread stuck in native code
 * cannot be stopped otherwise), and is counted as a hang.
 *
 * <p>Results: one tab-separated line per job: file, command, exit code, peak RSS in KB (VmHWM,
 * reset before each run through /proc/self/clear_refs, so it is that run's peak in a warm JVM),
 * seconds, findings, first line of the message, and how far RSS rose above its level at the run's
 * start (KB): what the run itself took, the JVM's own footprint aside.
 */
public final class FuzzRunner {
    /** A run over this many seconds is a finding (the limit). */
    private static final double SLOW_SECONDS = 20;
    /** A run over this many seconds is a hang: the JVM halts and the script starts a new one. */
    private static final long HANG_SECONDS = 60;
    /** Exit status telling the script the JVM halted on a hang. */
    static final int HANG_EXIT = 86;

    private FuzzRunner() {
    }

    public static void main(String[] args) throws Exception {
        Path jobsFile = Path.of(args[0]);
        Path progress = Path.of(args[1]);
        Path results = Path.of(args[2]);
        int from = Integer.parseInt(args[3]);
        List<String> jobs = Files.readAllLines(jobsFile, StandardCharsets.UTF_8);
        PrintStream realErr = System.err;
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-run");
            t.setDaemon(true);
            return t;
        });
        try (FileOutputStream progressOut = new FileOutputStream(progress.toFile(), true);
                FileOutputStream resultsOut = new FileOutputStream(results.toFile(), true)) {
            for (int i = from; i < jobs.size(); i++) {
                String[] job = jobs.get(i).split("\t");
                // Written straight to the file (no buffer): it must be there if the next call crashes.
                progressOut.write(("BEGIN " + i + "\n").getBytes(StandardCharsets.UTF_8));
                resetPeakRss();
                long rssBefore = statusKb("VmRSS:");
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                ByteArrayOutputStream stray = new ByteArrayOutputStream();
                String[] argv = job[1].equals("inspect")
                        ? new String[] {"inspect", job[0]}
                        : new String[] {"predict", job[0], "--input", job[2], "-o", job[3]};
                long start = System.nanoTime();
                int code;
                PrintStream strayStream = new PrintStream(stray, true, StandardCharsets.UTF_8);
                System.setOut(strayStream);
                System.setErr(strayStream);
                Future<Integer> run = worker.submit(() -> GraftCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), argv));
                try {
                    code = run.get(HANG_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    progressOut.write(("HANG " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    Runtime.getRuntime().halt(HANG_EXIT);
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    // GraftCommand.run catches everything; an escape is itself a finding.
                    e.getCause().printStackTrace(strayStream);
                    code = -1;
                } finally {
                    System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
                    System.setErr(realErr);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (job.length > 3) Files.deleteIfExists(Path.of(job[3]));
                String message = err.toString().strip();
                String strayText = stray.toString(StandardCharsets.UTF_8);
                StringBuilder findings = new StringBuilder();
                if (seconds > SLOW_SECONDS) findings.append(" slow");
                if (message.contains("\tat ") || strayText.contains("\tat ") || message.contains("Exception in thread")
                        || strayText.contains("Exception in thread")) {
                    findings.append(" stacktrace");
                }
                if (message.contains("unexpected error")) findings.append(" unexpected");
                if (code != 0 && code != 1) findings.append(" exit").append(code);
                if (code == 1 && !message.contains(job[0])) findings.append(" unnamed");
                if (code == 1 && message.contains("\n")) findings.append(" multiline");
                String first = message.isEmpty() ? "" : message.lines().findFirst().orElse("");
                if (first.length() > 200) first = first.substring(0, 200);
                long peak = statusKb("VmHWM:");
                String line = String.format(java.util.Locale.ROOT, "%s\t%s\t%d\t%d\t%.2f\t%s\t%s\t%d%n", Path.of(job[0]).getFileName(), job[1], code,
                        peak, seconds, findings.toString().strip(), first.replace('\t', ' '), Math.max(0, peak - rssBefore));
                resultsOut.write(line.getBytes(StandardCharsets.UTF_8));
                if (findings.length() > 0) {
                    Path keep = results.resolveSibling("log").resolve(Path.of(job[0]).getFileName() + "." + job[1]);
                    Files.createDirectories(keep.getParent());
                    Files.writeString(keep, String.join(" ", argv) + "\n--- stderr\n" + message + "\n--- stray\n" + strayText);
                }
            }
            progressOut.write("END\n".getBytes(StandardCharsets.UTF_8));
        }
        System.exit(0);
    }

    /** Writing 5 to clear_refs resets the process's peak RSS (VmHWM) to its current RSS (Linux 4.0+). */
    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux, or not allowed: the peak then covers the JVM's whole life
        }
    }

    /** A size line of /proc/self/status (VmHWM: peak RSS, VmRSS: current), in KB; 0 without /proc. */
    private static long statusKb(String key) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith(key)) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc
        }
        return 0;
    }
}
