package dev.graft.batch;

/** Quoting for the shell lines {@code graft run --print-commands} prints. */
final class ShellWords {
    private ShellWords() {
    }

    static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=,+@%-]+")) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
