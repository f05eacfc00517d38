package dev.graft.cli;

import dev.graft.batch.StepCommands;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * graft's own subcommands as plan steps, found by name in the picocli command tree: a subcommand
 * added to {@link GraftCommand} is a step kind at once. Each step runs on a fresh command tree, as
 * a new process would, with its own output streams.
 */
final class GraftSubcommands implements StepCommands {
    /** Not steps: help has nothing to build, and a plan does not run plans. */
    private static final Set<String> NOT_STEPS = Set.of("help", "run");

    /**
     * One command tree for reading specs and parsing (building a tree costs tens of milliseconds of
     * reflection; picocli resets it before each parse). Running a step always gets a fresh tree.
     */
    private CommandLine parser;

    @Override
    public Set<String> kinds() {
        Set<String> out = new TreeSet<>(parser().getSubcommands().keySet());
        out.removeAll(NOT_STEPS);
        return out;
    }

    @Override
    public CommandLine.Model.CommandSpec spec(String kind) {
        CommandLine sub = parser().getSubcommands().get(kind);
        if (sub == null || NOT_STEPS.contains(kind)) throw new IllegalArgumentException("not a step: " + kind);
        return sub.getCommandSpec();
    }

    @Override
    public synchronized CommandLine.ParseResult parse(String kind, List<String> args) {
        spec(kind); // refuses what is not a step
        List<String> all = new ArrayList<>(args.size() + 1);
        all.add(kind);
        all.addAll(args);
        // picocli parses a subcommand from its root
        return parser().parseArgs(all.toArray(String[]::new)).subcommand();
    }

    private synchronized CommandLine parser() {
        if (parser == null) parser = GraftCommand.commandLine();
        return parser;
    }

    @Override
    public int execute(String kind, List<String> args, PrintWriter out, PrintWriter err) {
        List<String> all = new ArrayList<>(args.size() + 1);
        all.add(kind);
        all.addAll(args);
        int code = GraftCommand.run(out, err, all.toArray(String[]::new));
        out.flush();
        err.flush();
        return code;
    }
}
