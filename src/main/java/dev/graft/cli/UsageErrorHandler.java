package dev.graft.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A usage error in two lines on stderr instead of picocli's message followed by the whole usage
 * text (CI logs show the tail): {@code graft: <problem>} and where the help is. Under
 * {@code --json} the same message is also the {@code {"error": ...}} document on stdout. Exit 2.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String message = message(ex);
        PrintWriter err = cmd.getErr();
        err.println("graft: " + message);
        err.println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        if (JsonRequest.in(args)) {
            String command = cmd.getCommandSpec().parent() == null ? null : cmd.getCommandSpec().name();
            cmd.getOut().print(ErrorJson.render(ExitCodes.USAGE, command, ErrorJson.fileNamedIn(message, List.of(args)), message));
            cmd.getOut().flush();
        }
        return ExitCodes.USAGE;
    }

    /** picocli's message on one line, with its "did you mean" suggestions folded in. */
    private static String message(ParameterException ex) {
        String m = String.valueOf(ex.getMessage()).strip().replaceAll("\\s*\\R\\s*", "; ");
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            List<String> s = u.getSuggestions();
            m += "; did you mean " + String.join(" or ", s.subList(0, Math.min(3, s.size()))) + "?";
        }
        return m;
    }
}
