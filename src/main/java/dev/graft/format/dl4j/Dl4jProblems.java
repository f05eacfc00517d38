package dev.graft.format.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Wording of DL4J failures as one short line: DL4J's own messages run over many lines and quote
 * the whole configuration JSON.
 */
final class Dl4jProblems {
    private static final int MAX_LENGTH = 200;
    private static volatile String dl4jVersion;

    private Dl4jProblems() {
    }

    /** The first line of a message, without the JSON excerpt Jackson appends, at most 200 characters. */
    static String oneLine(String message) {
        if (message == null) return "";
        String s = message.strip();
        int source = s.indexOf(" at [Source:");
        if (source >= 0) {
            s = s.substring(0, source);
            // Jackson puts the location inside parentheses: drop the parenthesis it leaves open.
            int open = s.lastIndexOf(" (");
            if (open >= 0 && s.indexOf(')', open) < 0) s = s.substring(0, open);
        }
        int nl = s.indexOf('\n');
        if (nl >= 0) s = s.substring(0, nl);
        s = s.strip();
        if (s.endsWith(";")) s = s.substring(0, s.length() - 1);
        return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH - 3) + "..." : s;
    }

    /**
     * The innermost cause in a user's terms: its message (DL4J's and Jackson's say what is wrong
     * without their class names), or for an exception that only shows a bug inside DL4J (a null
     * pointer, a bad cast) just that, since its message would mean nothing to the user.
     */
    static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String name = root.getClass().getSimpleName();
        if (root instanceof NullPointerException || root instanceof ClassCastException || root instanceof IndexOutOfBoundsException
                || root instanceof ArithmeticException) {
            return "an internal DL4J error (" + name + ")";
        }
        String m = oneLine(root.getMessage());
        return m.isEmpty() ? name : m;
    }

    /** {@code DL4J 1.0.0-M2.1}, read from the DL4J jar graft runs with. */
    static String dl4j() {
        String v = dl4jVersion;
        if (v == null) {
            v = "";
            try (InputStream in = Dl4jProblems.class.getResourceAsStream(
                    "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    v = p.getProperty("version", "");
                }
            } catch (IOException ignored) {
                // The version only decorates messages.
            }
            dl4jVersion = v;
        }
        return v.isEmpty() ? "DL4J" : "DL4J " + v;
    }

    /** The first exception of {@code type} in the cause chain of {@code t}, or null. */
    static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) return type.cast(c);
        }
        return null;
    }
}
