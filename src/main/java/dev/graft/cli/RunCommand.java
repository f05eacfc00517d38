package dev.graft.cli;

import dev.graft.batch.Plan;
import dev.graft.batch.PlanBuilder;
import dev.graft.batch.PlanException;
import dev.graft.batch.PlanRunner;
import dev.graft.batch.RunOptions;
import dev.graft.batch.Step;
import dev.graft.batch.StepResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graft run PLAN}: run a plan file's steps in one process, in dependency order, skipping what is up to date. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the steps of a plan file (YAML or JSON) in one process: each after",
            "the steps whose outputs it reads, independent ones in parallel (-j),",
            "skipping steps whose outputs were built from the same input bytes,",
            "options and graft version. The whole plan is checked before any step runs."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:every step ran or was up to date (or the plan was printed)",
            "1:a step failed (its message is in the progress and in --json)",
            "2:usage error, or a plan that cannot run as written (the step and key are named)"})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN", description = "Plan file (.yaml or .json); relative paths in it are relative to its folder.")
    Path planFile;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1", description = "Steps run at once (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = {"-k", "--keep-going"}, description = "After a failure, still run the steps that do not depend on it.")
    boolean keepGoing;

    @Option(names = "--force", description = "Run every step, even those up to date.")
    boolean force;

    @Option(names = {"-n", "--dry-run"}, description = "Print what would run and why; run nothing.")
    boolean dryRun;

    @Option(names = "--print-commands", description = "Print the equivalent shell commands, in an order that works; run nothing.")
    boolean printCommands;

    @Option(names = "--quiet", description = "Only one line per step on stderr, not the steps' own messages.")
    boolean quiet;

    @Option(names = "--json", description = "Print one JSON document on stdout: each step's status, reason, outputs and seconds.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (jobs < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--jobs must be at least 1");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan plan;
        try {
            plan = PlanBuilder.build(planFile, new GraftSubcommands());
        } catch (PlanException e) {
            err.println("graft: " + e.userMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        if (printCommands) {
            for (Step s : plan.order()) out.println(s.shellLine());
            out.flush();
            return ExitCodes.OK;
        }
        long start = System.nanoTime();
        PlanRunner runner = new PlanRunner(plan, new GraftSubcommands(), new RunOptions(jobs, force, keepGoing, dryRun, quiet), err, json ? null : out);
        try {
            runner.check();
        } catch (PlanException e) {
            err.println("graft: " + e.userMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        List<StepResult> results = runner.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean failed = results.stream().anyMatch(r -> r.status() == StepResult.Status.FAILED);
        if (json) out.print(RunReport.json(plan, results, dryRun, seconds));
        err.print(RunReport.summary(results, seconds));
        out.flush();
        err.flush();
        return failed ? ExitCodes.MODEL_OR_DATA : ExitCodes.OK;
    }
}
