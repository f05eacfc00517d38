package dev.graft.cli;

import dev.graft.GraftException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception that escaped a command into one line on stderr and an exit code (under
 * {@code --json}, also an {@code {"error": ...}} document on stdout). A stack trace is printed only
 * with {@code --verbose}: users act on the message, not on the trace. A {@link dev.graft.UsageException}
 * thrown by a plain class is a usage error like picocli's own.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean verbose = hasOption(parseResult, "--verbose");
        int code;
        String message;
        String file = null;
        if (ex instanceof GraftException g) {
            code = g.exitCode();
            message = g.userMessage();
            file = g.problemFile();
        } else {
            code = ExitCodes.MODEL_OR_DATA;
            message = "unexpected error: " + ex + (verbose ? "" : " (run with --verbose for details)");
        }
        err.println("graft: " + message);
        if (code == ExitCodes.USAGE) err.println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        if (verbose) ex.printStackTrace(err);
        err.flush();
        if (hasOption(parseResult, "--json")) {
            List<String> args = parseResult.expandedArgs();
            if (file == null) file = ErrorJson.fileNamedIn(message, args);
            cmd.getOut().print(ErrorJson.render(code, cmd.getCommandSpec().name(), file, message));
            cmd.getOut().flush();
        }
        return code;
    }

    private static boolean hasOption(ParseResult pr, String name) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(name)) return true;
        }
        return false;
    }
}
