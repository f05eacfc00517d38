package dev.graft.batch;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * A step's stderr, passed on line by line with the step's name in front, so steps running at once
 * never mix within a line; remembers the step's error line ({@code graft: ...}) for the report.
 */
final class PrefixedLines extends Writer {
    private final PrintWriter target;
    private final String prefix;
    private final boolean forward;
    private final StringBuilder line = new StringBuilder();
    private String errorLine;
    private String lastLine;

    PrefixedLines(PrintWriter target, String prefix, boolean forward) {
        this.target = target;
        this.prefix = prefix;
        this.forward = forward;
    }

    @Override
    public void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') emit();
            else if (c == '\r') line.setLength(0); // a progress bar redrawn in place: keep its last state
            else line.append(c);
        }
    }

    private void emit() {
        String l = line.toString();
        line.setLength(0);
        if (l.isBlank()) return;
        if (l.startsWith("graft: ")) errorLine = l.substring("graft: ".length());
        lastLine = l;
        if (forward) {
            synchronized (target) {
                target.println(prefix + l);
                target.flush();
            }
        }
    }

    /** The command's one-line error, else its last line, else null. */
    String message() {
        if (line.length() > 0) emit();
        return errorLine != null ? errorLine : lastLine;
    }

    @Override
    public void flush() {
        // whole lines only: a partial line waits for its end
    }

    @Override
    public void close() {
        if (line.length() > 0) emit();
    }
}
