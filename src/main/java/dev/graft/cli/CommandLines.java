package dev.graft.cli;

import java.util.List;

/** A command line as text a shell would accept again, for provenance. */
final class CommandLines {
    private CommandLines() {
    }

    static String render(String command, List<String> args) {
        StringBuilder sb = new StringBuilder(command);
        for (String a : args) sb.append(' ').append(a.matches("[A-Za-z0-9_./:=,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        return sb.toString();
    }
}
