package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import java.util.List;

/**
 * The JSON document a command prints on stdout when it fails under {@code --json}, so that
 * {@code graft ... --json | python3 -m json.tool} always has one document to parse:
 * {@code {"error": {"exit_code": 1, "kind": "model_or_data", "command": "merge", "file": "b.h5", "message": "..."}}}.
 */
final class ErrorJson {
    private ErrorJson() {
    }

    /**
     * @param command the subcommand's name ({@code merge}), or null before one was recognised
     * @param file    the file the problem is about, as the user named it, or null
     */
    static String render(int exitCode, String command, String file, String message) {
        ObjectNode e = Json.object();
        e.put("exit_code", exitCode);
        e.put("kind", kind(exitCode));
        e.put("command", command);
        e.put("file", file);
        e.put("message", message);
        ObjectNode o = Json.object();
        o.set("error", e);
        return Json.compact(o) + "\n";
    }

    static String kind(int exitCode) {
        switch (exitCode) {
            case ExitCodes.USAGE: return "usage";
            case ExitCodes.MODEL_OR_DATA: return "model_or_data";
            default: return "internal";
        }
    }

    /**
     * The file a one-line message is about when the exception does not say: the text before its
     * first {@code ": "} when that is one of the command line's arguments (or the FILE of a
     * NAME=FILE argument), e.g. {@code out.h5: already exists}.
     */
    static String fileNamedIn(String message, List<String> args) {
        if (message == null) return null;
        int colon = message.indexOf(": ");
        if (colon <= 0) return null;
        String head = message.substring(0, colon);
        for (String a : args) {
            if (a.equals(head)) return head;
            int eq = a.indexOf('=');
            if (eq > 0 && a.substring(eq + 1).equals(head)) return head;
            for (String part : a.split(",")) if (part.equals(head)) return head;
        }
        return null;
    }
}
