package dev.graft.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a {@code .npy} file: magic {@code \x93NUMPY}, version, header length (2 bytes in
 * 1.0, 4 bytes in 2.0 and 3.0), then a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }} padded with spaces and a
 * newline. The dict is parsed here as a literal, never evaluated.
 */
final class NpyHeader {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /**
     * NumPy refuses headers above 10 000 characters unless told to trust the file; we allow more
     * (a legitimate rank-1000 shape), but not so much that a corrupt length makes us allocate gigabytes.
     */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    final int major;
    final int minor;
    final NpyType type;
    final long[] shape;
    final boolean fortranOrder;
    /** Bytes from the start of the file to the first data byte. */
    final long dataOffset;

    NpyHeader(int major, int minor, NpyType type, long[] shape, boolean fortranOrder, long dataOffset) {
        this.major = major;
        this.minor = minor;
        this.type = type;
        this.shape = shape;
        this.fortranOrder = fortranOrder;
        this.dataOffset = dataOffset;
    }

    /** Reads the header and leaves the channel at the first data byte. */
    static NpyHeader read(ReadableByteChannel in, String source) throws IOException {
        ByteBuffer prefix = ByteBuffer.allocate(MAGIC.length + 2);
        int got = NpyReader.readFully(in, prefix);
        prefix.flip();
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= got || prefix.get(i) != MAGIC[i]) {
                throw new DataFileException(source, "not a .npy file (it does not start with \\x93NUMPY)");
            }
        }
        if (got < MAGIC.length + 2) throw new DataFileException(source, "truncated: the file ends inside the .npy header");
        int major = prefix.get(6) & 0xff;
        int minor = prefix.get(7) & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new DataFileException(source, "unsupported .npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (NpyReader.readFully(in, lengthBytes) < lengthBytes.capacity()) {
            throw new DataFileException(source, "truncated: the file ends inside the .npy header");
        }
        lengthBytes.flip();
        long length = major == 1 ? (lengthBytes.getShort() & 0xffff) : (lengthBytes.getInt() & 0xffffffffL);
        if (length > MAX_HEADER_BYTES) {
            throw new DataFileException(source, "malformed .npy header: it claims to be " + length + " bytes long");
        }
        ByteBuffer text = ByteBuffer.allocate((int) length);
        if (NpyReader.readFully(in, text) < length) throw new DataFileException(source, "truncated: the file ends inside the .npy header");
        // 1.0 and 2.0 headers are latin-1; 3.0 exists only to allow UTF-8 (structured field names).
        String dict = new String(text.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parseDict(dict, major, minor, MAGIC.length + 2 + lengthBytes.capacity() + length, source);
    }

    static NpyHeader parseDict(String dict, int major, int minor, long dataOffset, String source) {
        PyLiteral parsed;
        try {
            parsed = PyLiteral.parseDict(dict);
        } catch (IllegalArgumentException e) {
            throw new DataFileException(source, "malformed .npy header: " + e.getMessage() + ": " + abbreviate(dict.strip()));
        }
        Map<String, Object> d = parsed.values;
        for (String key : new String[] {"descr", "fortran_order", "shape"}) {
            if (!d.containsKey(key)) throw new DataFileException(source, "malformed .npy header: no '" + key + "': " + abbreviate(dict.strip()));
        }
        Object descr = d.get("descr");
        if (!(descr instanceof String)) {
            throw new DataFileException(source, "unsupported dtype " + abbreviate(parsed.rawText.get("descr")) + " (structured arrays are not supported)");
        }
        NpyType type = NpyType.parse((String) descr, source);
        Object fortran = d.get("fortran_order");
        if (!(fortran instanceof Boolean)) throw new DataFileException(source, "malformed .npy header: fortran_order is " + abbreviate(parsed.rawText.get("fortran_order")));
        Object shapeValue = d.get("shape");
        if (!(shapeValue instanceof List)) throw new DataFileException(source, "malformed .npy header: shape is " + abbreviate(parsed.rawText.get("shape")));
        List<?> dims = (List<?>) shapeValue;
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            Object dim = dims.get(i);
            if (!(dim instanceof Long) || (Long) dim < 0) {
                throw new DataFileException(source, "malformed .npy header: shape is " + abbreviate(parsed.rawText.get("shape")));
            }
            shape[i] = (Long) dim;
        }
        return new NpyHeader(major, minor, type, shape, (Boolean) fortran, dataOffset);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** Python's repr of a shape tuple: {@code ()}, {@code (3,)}, {@code (3, 4)}. */
    static String shapeRepr(long[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) b.append(", ");
            b.append(shape[i]);
        }
        return b.append(')').toString();
    }

    @Override
    public String toString() {
        return "npy " + major + "." + minor + " " + type.descr + " " + Arrays.toString(shape) + (fortranOrder ? " F" : "");
    }

    /**
     * The subset of Python literal syntax that {@code .npy} headers use: dicts, tuples, lists,
     * quoted strings, integers (with Python 2's {@code L} suffix), True, False, None.
     */
    static final class PyLiteral {
        final Map<String, Object> values = new LinkedHashMap<>();
        /** Each top-level value as written, for messages. */
        final Map<String, String> rawText = new LinkedHashMap<>();
        private final String s;
        private int pos;

        private PyLiteral(String s) {
            this.s = s;
        }

        static PyLiteral parseDict(String text) {
            PyLiteral p = new PyLiteral(text);
            p.skipSpace();
            p.expect('{');
            while (true) {
                p.skipSpace();
                if (p.peek() == '}') {
                    p.pos++;
                    break;
                }
                Object key = p.value();
                if (!(key instanceof String)) throw new IllegalArgumentException("dict key is not a string");
                p.skipSpace();
                p.expect(':');
                p.skipSpace();
                int start = p.pos;
                Object value = p.value();
                p.values.put((String) key, value);
                p.rawText.put((String) key, text.substring(start, p.pos));
                p.skipSpace();
                if (p.peek() == ',') p.pos++;
                else if (p.peek() != '}') throw new IllegalArgumentException("expected ',' or '}' at character " + p.pos);
            }
            p.skipSpace();
            if (p.pos != text.length()) throw new IllegalArgumentException("unexpected text after the dict");
            return p;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') return string();
            if (c == '(' || c == '[') return sequence(c == '(' ? ')' : ']');
            if (c == '-' || c == '+' || (c >= '0' && c <= '9')) return integer();
            if (Character.isLetter(c)) {
                int start = pos;
                while (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) pos++;
                String word = s.substring(start, pos);
                switch (word) {
                    case "True": return Boolean.TRUE;
                    case "False": return Boolean.FALSE;
                    case "None": return null;
                    default: throw new IllegalArgumentException("unexpected '" + word + "'");
                }
            }
            if (c == '{') throw new IllegalArgumentException("nested dict");
            throw new IllegalArgumentException(c == 0 ? "it ends early" : "unexpected '" + c + "' at character " + pos);
        }

        private List<Object> sequence(char close) {
            pos++;
            List<Object> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == close) {
                    pos++;
                    return items;
                }
                items.add(value());
                skipSpace();
                if (peek() == ',') pos++;
                else if (peek() != close) throw new IllegalArgumentException("expected ',' or '" + close + "' at character " + pos);
            }
        }

        private String string() {
            char quote = s.charAt(pos++);
            StringBuilder b = new StringBuilder();
            while (pos < s.length() && s.charAt(pos) != quote) {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) c = s.charAt(pos++);
                b.append(c);
            }
            if (pos >= s.length()) throw new IllegalArgumentException("unterminated string");
            pos++;
            return b.toString();
        }

        private Long integer() {
            int start = pos;
            if (peek() == '-' || peek() == '+') pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            String digits = s.substring(start, pos);
            if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) pos++; // Python 2 long
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad integer '" + digits + "'");
            }
        }

        private void expect(char c) {
            if (peek() != c) throw new IllegalArgumentException("expected '" + c + "' at character " + pos);
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }
    }
}
