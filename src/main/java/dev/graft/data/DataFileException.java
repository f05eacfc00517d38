package dev.graft.data;

import dev.graft.GraftException;

/**
 * A data file that cannot be read or written as asked. The message is one line, naming the file
 * first and then the exact problem, so that the command line can print it as it is and the user
 * knows what to fix: {@code train.csv: row 7 has 5 fields, expected 6}.
 *
 * <p>Unchecked because every caller handles it the same way (print, exit 1), usually far from
 * where it is thrown.
 */
public final class DataFileException extends GraftException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    public DataFileException(String source, String problem) {
        this(source, problem, null);
    }

    public DataFileException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** What the user named: the file (as given), or {@code file.npz: array 'x'} inside an archive. */
    public String source() {
        return source;
    }

    @Override
    public String problemFile() {
        int archiveMember = source.indexOf(": ");
        return archiveMember < 0 ? source : source.substring(0, archiveMember);
    }

    /** The problem alone, without the file name. */
    public String problem() {
        return problem;
    }
}
