package dev.graft.batch;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/**
 * graft's subcommands as a plan sees them. Steps are looked up by name, so a new subcommand is a
 * new step kind without any change here; each step is parsed with the subcommand's own picocli
 * spec, the same one the shell uses.
 */
public interface StepCommands {
    /** The subcommands a plan may use as steps. */
    Set<String> kinds();

    /** A subcommand's options and parameters. */
    CommandLine.Model.CommandSpec spec(String kind);

    /** Parses a step's arguments as {@code graft KIND ARGS...} would, without running it; throws picocli's ParameterException. */
    CommandLine.ParseResult parse(String kind, List<String> args);

    /** Runs one subcommand to its end, as {@code graft KIND ARGS...} would, writing to these streams; returns its exit code. */
    int execute(String kind, List<String> args, PrintWriter out, PrintWriter err);
}
