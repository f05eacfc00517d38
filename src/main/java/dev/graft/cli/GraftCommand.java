package dev.graft.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code graft} command: only wiring of the subcommands and global options. */
@Command(name = "graft", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Splice trained neural networks (Keras .h5/.keras, DL4J zips) into hybrid models.",
        subcommands = {InspectCommand.class, MergeCommand.class, AdaptCommand.class, PredictCommand.class, TrainCommand.class, ConvertCommand.class,
            RunCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:success",
            "1:a model or data problem (unreadable, unsupported, incompatible)",
            "2:usage error (one line; see COMMAND --help)",
            "3:inspect A B: the models join through a bridge graft builds (named in the output)",
            "4:inspect A B: no bridge graft builds joins them"})
public final class GraftCommand implements Runnable {
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * Runs with the given streams (tests capture them; {@code graft run} passes its own). Never
     * exits the JVM: the exit code is returned.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new GraftCommand());
        cl.setExecutionExceptionHandler(new ErrorReporter());
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        cl.setUsageHelpAutoWidth(true);
        // picocli skips its unmatched-argument error when --help is also given, so "graft nosuch --help"
        // would print the top-level help and exit 0, fooling a script probing for a command.
        cl.setExecutionStrategy(parseResult -> {
            if (!parseResult.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(parseResult.commandSpec().commandLine(), parseResult.unmatched());
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is needed: inspect, merge, adapt, predict, train, convert, run or completion");
    }
}
