package dev.graft.batch;

import dev.graft.batch.StepResult.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a plan: each step once the steps it reads from have finished, up to {@code jobs} at once on
 * threads of this JVM, skipping steps that are up to date. A failed step's dependants do not run;
 * the rest run with {@code keepGoing}, otherwise no new step starts. A step's outputs are replaced
 * whole or not at all: an existing output is set aside while the step runs and put back if it fails
 * (or the run is interrupted), so a failed run leaves the previous files or none, never half of one.
 */
public final class PlanRunner {
    /** Exit codes of {@code inspect A B} that are verdicts (a bridge is needed; none fits), not failures. */
    private static final Set<Integer> INSPECT_VERDICTS = Set.of(3, 4);

    private final Plan plan;
    private final StepCommands commands;
    private final RunOptions options;
    private final PrintWriter progress;
    private final PrintWriter stdout;
    private final FileChecksums sums = new FileChecksums();
    /** Outputs set aside by running steps: put back if the JVM is stopped mid-step. */
    private final Map<Path, Path> setAside = new ConcurrentHashMap<>();

    /**
     * @param progress where per-step progress goes (stderr)
     * @param stdout   where each step's stdout goes as one block when it finishes, or null to keep it in the results
     */
    public PlanRunner(Plan plan, StepCommands commands, RunOptions options, PrintWriter progress, PrintWriter stdout) {
        this.plan = plan;
        this.commands = commands;
        this.options = options;
        this.progress = progress;
        this.stdout = stdout;
    }

    /**
     * Before anything runs: each step whose command has a {@code --dry-run} (merge: donors readable,
     * every junction joins with its bridge) and whose inputs all exist before the run is dry-run,
     * unless it is up to date (it ran with these very inputs and options). Throws PlanException.
     */
    public void check() {
        for (Step s : plan.order()) {
            if (!plan.dependsOn().get(s.index()).isEmpty()) continue; // its inputs do not exist yet, or are about to change
            if (commands.spec(s.kind()).findOption("--dry-run") == null) continue;
            if (s.commandArgs().contains("--dry-run") || s.commandArgs().contains("--help") || s.commandArgs().contains("-h")) continue;
            if (!options.force() && StepStamp.whyRun(s, sums) == null) continue;
            List<String> args = new ArrayList<>(s.commandArgs());
            args.add("--dry-run");
            PrefixedLines err = new PrefixedLines(progress, "", false);
            int code = commands.execute(s.kind(), args, new PrintWriter(Writer.nullWriter()), new PrintWriter(err));
            if (code != 0) {
                String m = err.message();
                throw new PlanException(plan.file() + ": " + s.label() + ": " + (m == null ? "its dry run failed with exit code " + code : m));
            }
        }
    }

    public List<StepResult> run() {
        return options.dryRun() ? dryRun() : execute();
    }

    private List<StepResult> dryRun() {
        Map<Integer, StepResult> results = new LinkedHashMap<>();
        for (Step s : plan.order()) {
            String why = null;
            for (int d : plan.dependsOn().get(s.index())) {
                if (results.get(d).status() == Status.WOULD_RUN) {
                    why = "reads what " + plan.step(d).label() + " would rebuild";
                    break;
                }
            }
            if (why == null) why = options.force() ? "--force" : StepStamp.whyRun(s, sums);
            StepResult r = why == null ? new StepResult(s, Status.UP_TO_DATE, "up to date", null, 0, -1, "")
                    : new StepResult(s, Status.WOULD_RUN, why, null, 0, -1, "");
            results.put(s.index(), r);
            say(s, r.status() == Status.WOULD_RUN ? "would run: " + why : "up to date");
        }
        return inPlanOrder(results);
    }

    private List<StepResult> execute() {
        Map<Integer, StepResult> results = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.jobs()), r -> {
            Thread t = new Thread(r, "graft-run-step");
            t.setDaemon(true);
            return t;
        });
        Thread restore = new Thread(this::putBackSetAside);
        Runtime.getRuntime().addShutdownHook(restore); // Ctrl-C mid-step: the old outputs come back
        ExecutorCompletionService<StepResult> done = new ExecutorCompletionService<>(pool);
        Set<Integer> started = new java.util.HashSet<>();
        int running = 0;
        boolean stopping = false;
        try {
            while (true) {
                if (!stopping) {
                    for (Step s : plan.order()) {
                        if (running >= Math.max(1, options.jobs())) break;
                        if (started.contains(s.index()) || results.containsKey(s.index())) continue;
                        if (!plan.dependsOn().get(s.index()).stream().allMatch(d -> succeeded(results.get(d)))) continue;
                        started.add(s.index());
                        running++;
                        done.submit(() -> runStep(s));
                    }
                }
                if (running == 0) break;
                StepResult r = take(done);
                running--;
                results.put(r.step().index(), r);
                if (r.status() == Status.FAILED) {
                    for (int d : plan.dependantsOf(r.step().index())) {
                        if (!results.containsKey(d)) {
                            StepResult nr = StepResult.notRun(plan.step(d), "needs " + r.step().label() + ", which failed");
                            results.put(d, nr);
                            say(nr.step(), "not run: " + nr.reason());
                        }
                    }
                    if (!options.keepGoing()) stopping = true;
                }
            }
        } finally {
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(restore);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        String firstFailure = results.values().stream().filter(r -> r.status() == Status.FAILED).map(r -> r.step().label()).findFirst().orElse(null);
        for (Step s : plan.steps()) {
            if (!results.containsKey(s.index())) {
                StepResult nr = StepResult.notRun(s, "stopped after " + firstFailure + " failed (--keep-going runs the rest)");
                results.put(s.index(), nr);
                say(s, "not run: " + nr.reason());
            }
        }
        return inPlanOrder(results);
    }

    private static boolean succeeded(StepResult r) {
        return r != null && (r.status() == Status.RAN || r.status() == Status.UP_TO_DATE);
    }

    private static StepResult take(ExecutorCompletionService<StepResult> done) {
        try {
            return done.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a step's runner failed", e.getCause()); // runStep catches everything
        }
    }

    private StepResult runStep(Step s) {
        long start = System.nanoTime();
        String why;
        try {
            why = options.force() ? "--force" : StepStamp.whyRun(s, sums);
        } catch (RuntimeException e) {
            why = "cannot tell whether it is up to date (" + e.getMessage() + ")";
        }
        if (why == null) {
            StepResult r = new StepResult(s, Status.UP_TO_DATE, "up to date", null, seconds(start), -1, "");
            say(s, "up to date");
            return r;
        }
        say(s, "running (" + why + ")");
        StringWriter out = new StringWriter();
        PrefixedLines err = new PrefixedLines(progress, "  [" + s.shortName() + "] ", !options.quiet());
        int code;
        String crash = null;
        try {
            StepStamp.forget(s);
            setAsideOutputs(s);
            code = commands.execute(s.kind(), s.commandArgs(), new PrintWriter(out), new PrintWriter(err));
        } catch (Throwable t) { // one step's crash (even an Error) must not take the other steps with it
            code = -1;
            crash = "graft failed inside the step: " + t;
        }
        boolean ok = code == 0 || ("inspect".equals(s.kind()) && INSPECT_VERDICTS.contains(code));
        String message = crash != null ? crash : err.message();
        if (ok) {
            try {
                dropSetAside(s);
                StepStamp.write(s, sums);
            } catch (IOException | RuntimeException e) {
                ok = false;
                message = "cannot record the step's outputs: " + e.getMessage();
            }
        }
        if (!ok) putBack(s);
        String text = out.toString();
        if (stdout != null && !text.isEmpty()) {
            synchronized (stdout) {
                stdout.print(text);
                stdout.flush();
            }
        }
        double secs = seconds(start);
        if (ok) {
            say(s, String.format(Locale.ROOT, "ran in %.2f s", secs));
            return new StepResult(s, Status.RAN, why, null, secs, code, text);
        }
        String m = message == null ? "exit code " + code : message;
        say(s, "FAILED (exit " + code + "): " + m);
        return new StepResult(s, Status.FAILED, why, m, secs, code, text);
    }

    private void setAsideOutputs(Step s) throws IOException {
        for (Path out : s.outputs()) {
            Path dir = out.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir); // a plan's outputs may go to folders that do not exist yet
            Path aside = asideOf(out);
            Files.deleteIfExists(aside); // left by a run that was killed outright
            if (Files.isRegularFile(out)) {
                Files.move(out, aside, StandardCopyOption.REPLACE_EXISTING);
                setAside.put(out, aside);
            }
        }
    }

    private void dropSetAside(Step s) throws IOException {
        for (Path out : s.outputs()) {
            Path aside = setAside.remove(out);
            if (aside != null) Files.deleteIfExists(aside);
        }
    }

    /** A failed step: what it wrote goes, what was there before comes back. */
    private void putBack(Step s) {
        for (Path out : s.outputs()) {
            try {
                sums.forget(out);
                Path aside = setAside.remove(out);
                if (aside != null) Files.move(aside, out, StandardCopyOption.REPLACE_EXISTING);
                else Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // its record is gone: the step runs again next time
            }
        }
    }

    private void putBackSetAside() {
        setAside.forEach((out, aside) -> {
            try {
                Files.move(aside, out, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // best effort while the JVM stops
            }
        });
    }

    private static Path asideOf(Path out) {
        return out.resolveSibling("." + out.getFileName() + ".graft-old");
    }

    private void say(Step s, String what) {
        synchronized (progress) {
            progress.println("graft run: [" + s.index() + "/" + plan.steps().size() + "] " + s.shortName() + ": " + what);
            progress.flush();
        }
    }

    private static double seconds(long start) {
        return Math.round((System.nanoTime() - start) / 1e6) / 1000.0;
    }

    private List<StepResult> inPlanOrder(Map<Integer, StepResult> results) {
        List<StepResult> out = new ArrayList<>();
        for (Step s : plan.steps()) out.add(results.get(s.index()));
        return out;
    }
}
