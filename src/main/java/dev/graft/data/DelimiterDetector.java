package dev.graft.data;

import java.io.IOException;
import java.io.StringReader;

/**
 * Picks the delimiter of a CSV file from its first lines: the candidate ({@code ,} {@code ;}
 * tab) that splits every sampled row into the same number (at least two) of fields.
 *
 * <p>When several qualify, tab wins over semicolon over comma: a file whose rows all hold
 * semicolons is a semicolon file with decimal commas ({@code 1,5;2,25}), not the reverse, and
 * tabs almost never occur inside values. When none is consistent, the most frequent one in the
 * first row is taken, so the reader can then name the row that does not fit.
 */
final class DelimiterDetector {
    static final char[] CANDIDATES = {'\t', ';', ','};
    static final int SAMPLE_CHARS = 1 << 16;
    private static final int SAMPLE_ROWS = 50;

    private DelimiterDetector() {
    }

    /**
     * @param sample the start of the file
     * @param complete whether the sample is the whole file (else its last row may be cut short)
     */
    static char detect(String sample, boolean complete) {
        for (char candidate : CANDIDATES) {
            if (consistent(sample, complete, candidate)) return candidate;
        }
        char best = ',';
        int bestCount = 0;
        int firstLineEnd = sample.indexOf('\n');
        String first = firstLineEnd < 0 ? sample : sample.substring(0, firstLineEnd);
        for (char candidate : CANDIDATES) {
            int count = (int) first.chars().filter(ch -> ch == candidate).count();
            if (count > bestCount) {
                best = candidate;
                bestCount = count;
            }
        }
        return best;
    }

    private static boolean consistent(String sample, boolean complete, char delimiter) {
        CsvTokenizer rows = new CsvTokenizer(new StringReader(sample), delimiter, "sample");
        int expected = -1;
        int previous = -1;
        int seen = 0;
        try {
            while (seen < SAMPLE_ROWS && rows.next()) {
                // The previous row is judged only once we know it was not the cut-off last one.
                if (previous >= 0) {
                    if (expected < 0) expected = previous;
                    if (previous != expected) return false;
                }
                previous = rows.fieldCount();
                seen++;
            }
            if (previous >= 0 && complete) {
                if (expected < 0) expected = previous;
                if (previous != expected) return false;
            }
        } catch (DataFileException | IOException e) {
            // An unclosed quote at the cut: judge on the rows read so far.
        }
        return expected >= 2;
    }
}
