package dev.graft.data;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Splits CSV text into records of fields (RFC 4180 quoting: {@code "a, b"}, {@code ""} for a quote
 * inside quotes, line breaks inside quotes), one record at a time into reused buffers.
 *
 * <p>Also: line ends may be {@code \n}, {@code \r\n} or {@code \r}; spaces around unquoted fields
 * are dropped; lines holding nothing but spaces are skipped, wherever they are. {@link #line()}
 * is the 1-based line a record starts on, as an editor shows it, even after quoted line breaks.
 */
final class CsvTokenizer {
    private static final int EOF = -1;

    private final Reader in;
    private final char delimiter;
    private final String source;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int limit;

    private int line = 1;
    private int recordLine;
    private char[] text = new char[256];
    private int textLength;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] quoted = new boolean[16];
    private int fieldCount;
    private boolean sawDelimiter;

    CsvTokenizer(Reader in, char delimiter, String source) {
        this.in = in;
        this.delimiter = delimiter;
        this.source = source;
    }

    /** Advances to the next record that is not blank; false at the end of the input. */
    boolean next() throws IOException {
        while (true) {
            if (peek() == EOF) return false;
            readRecord();
            boolean blank = fieldCount == 1 && !quoted[0] && ends[0] == starts[0] && !sawDelimiter;
            if (!blank) return true;
        }
    }

    int fieldCount() {
        return fieldCount;
    }

    int line() {
        return recordLine;
    }

    char[] chars() {
        return text;
    }

    int start(int field) {
        return starts[field];
    }

    int end(int field) {
        return ends[field];
    }

    boolean quoted(int field) {
        return quoted[field];
    }

    String field(int field) {
        return new String(text, starts[field], ends[field] - starts[field]);
    }

    private void readRecord() throws IOException {
        fieldCount = 0;
        textLength = 0;
        recordLine = line;
        sawDelimiter = false;
        while (true) {
            int c = readField();
            if (c == delimiter) {
                sawDelimiter = true;
                continue;
            }
            return; // line end or end of input
        }
    }

    /** Reads one field; returns what ended it: the delimiter, '\n' (any line end) or EOF. */
    private int readField() throws IOException {
        if (fieldCount == starts.length) growFields();
        int c = read();
        while (c != delimiter && DecimalParser.isSpace((char) c) && c != EOF) c = read();
        int field = fieldCount++;
        if (c == '"') {
            quoted[field] = true;
            starts[field] = textLength;
            int openedOn = line;
            while (true) {
                c = read();
                if (c == EOF) {
                    throw new DataFileException(source, "row " + openedOn + ", column " + field + ": the quoted field is never closed");
                }
                if (c == '"') {
                    if (peek() != '"') break;
                    read();
                } else if (c == '\r' || c == '\n') {
                    if (c == '\r' && peek() == '\n') {
                        append('\r');
                        c = read();
                    }
                    line++;
                }
                append((char) c);
            }
            ends[field] = textLength;
            c = read();
            while (c != delimiter && DecimalParser.isSpace((char) c) && c != EOF) c = read();
            if (c == delimiter || c == EOF) return c;
            if (isLineEnd(c)) return endLine(c);
            throw new DataFileException(source, "row " + recordLine + ", column " + field + ": text after the closing quote");
        }
        quoted[field] = false;
        starts[field] = textLength;
        while (c != delimiter && c != EOF && !isLineEnd(c)) {
            append((char) c);
            c = read();
        }
        int end = textLength;
        while (end > starts[field] && DecimalParser.isSpace(text[end - 1]) && text[end - 1] != delimiter) end--;
        ends[field] = end;
        return isLineEnd(c) ? endLine(c) : c;
    }

    private static boolean isLineEnd(int c) {
        return c == '\n' || c == '\r';
    }

    private int endLine(int c) throws IOException {
        if (c == '\r' && peek() == '\n') read();
        line++;
        return '\n';
    }

    private void append(char c) {
        if (textLength == text.length) text = Arrays.copyOf(text, text.length * 2);
        text[textLength++] = c;
    }

    private void growFields() {
        int n = starts.length * 2;
        starts = Arrays.copyOf(starts, n);
        ends = Arrays.copyOf(ends, n);
        quoted = Arrays.copyOf(quoted, n);
    }

    private int read() throws IOException {
        if (pos == limit && !fill()) return EOF;
        return buf[pos++];
    }

    private int peek() throws IOException {
        if (pos == limit && !fill()) return EOF;
        return buf[pos];
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) return false;
        pos = 0;
        limit = n;
        return true;
    }
}
