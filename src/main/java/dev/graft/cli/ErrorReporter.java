package dev.graft.cli;

import dev.graft.GraftException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception that escaped a command into one line on stderr and an exit code. A stack
 * trace is printed only with {@code --verbose}: users act on the message, not on the trace.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean verbose = parseResult.hasMatchedOption("--verbose") || hasVerbose(parseResult);
        if (ex instanceof GraftException g) {
            err.println("graft: " + g.userMessage());
        } else {
            err.println("graft: unexpected error: " + ex + (verbose ? "" : " (run with --verbose for details)"));
        }
        if (verbose) ex.printStackTrace(err);
        err.flush();
        return ExitCodes.MODEL_OR_DATA;
    }

    private static boolean hasVerbose(ParseResult pr) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) return true;
        }
        return false;
    }
}
