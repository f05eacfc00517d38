package dev.graft.format.dl4j;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the header of {@code coefficients.bin} before ND4J reads it. ND4J allocates the array its
 * header announces before it reads the values, so a truncated or damaged file can make it reserve
 * gigabytes (or fail inside native code) only to hit the end of the data; reading the header here
 * turns that into a quick, precise message.
 *
 * <p>The file is two ND4J data buffers, shape information then values, each written as: the
 * allocation mode (Java UTF string), the element count (an int for the modes of ND4J before
 * 1.0.0-beta, a long for {@code LONG_SHAPE} and {@code MIXED_DATA_TYPES}), the element type (UTF
 * string), then the elements, big-endian.
 */
final class CoefficientsHeader {
    /** Allocation modes whose element count is a 32-bit int (ND4J's {@code AllocationMode} ordinals below 3). */
    private static final java.util.Set<String> INT_LENGTH_MODES = java.util.Set.of("HEAP", "JAVACPP", "DIRECT");
    private static final java.util.Set<String> LONG_LENGTH_MODES = java.util.Set.of("LONG_SHAPE", "MIXED_DATA_TYPES");
    private static final Map<String, Integer> ELEMENT_BYTES = Map.ofEntries(
            Map.entry("DOUBLE", 8), Map.entry("FLOAT", 4), Map.entry("HALF", 2), Map.entry("BFLOAT16", 2),
            Map.entry("LONG", 8), Map.entry("INT", 4), Map.entry("SHORT", 2), Map.entry("BYTE", 1),
            Map.entry("UBYTE", 1), Map.entry("BOOL", 1), Map.entry("UINT16", 2), Map.entry("UINT32", 4),
            Map.entry("UINT64", 8));

    private CoefficientsHeader() {
    }

    /**
     * @param in        the entry's bytes (consumed only as far as the value header)
     * @param entrySize the entry's uncompressed size, or -1 when the zip does not say
     * @return null when the header is plausible, else what is wrong with it
     */
    static String problem(InputStream in, long entrySize) throws IOException {
        DataInputStream data = new DataInputStream(in);
        long consumed = 0;
        try {
            for (int buffer = 0; buffer < 2; buffer++) {
                String mode = data.readUTF();
                consumed += utfBytes(mode);
                long count;
                if (INT_LENGTH_MODES.contains(mode)) {
                    count = data.readInt();
                    consumed += 4;
                } else if (LONG_LENGTH_MODES.contains(mode)) {
                    count = data.readLong();
                    consumed += 8;
                } else {
                    return "is corrupt: it is not an ND4J array (unknown allocation mode '" + printable(mode) + "')";
                }
                String type = data.readUTF();
                consumed += utfBytes(type);
                Integer width = ELEMENT_BYTES.get(type);
                // Another type (e.g. a compressed buffer) is left for ND4J to judge.
                if (width == null) return null;
                if (count < 0) return "is corrupt: its header announces " + count + " values";
                long remaining = entrySize < 0 ? Long.MAX_VALUE : entrySize - consumed;
                if (count > remaining / width) {
                    String what = buffer == 0 ? "shape entries" : type.toLowerCase(Locale.ROOT) + " values";
                    String bytes = count <= Long.MAX_VALUE / width ? " (" + count * width + " bytes)" : "";
                    return "is truncated: its header announces " + count + " " + what + bytes + " but only "
                            + Math.max(0, remaining) + " bytes follow";
                }
                // The shape information is small: skip it to reach the values' header. The values
                // themselves are not read here (ND4J reads them next).
                if (buffer == 0) {
                    data.skipNBytes(count * width);
                    consumed += count * width;
                }
            }
        } catch (EOFException e) {
            return "is truncated or corrupt: it ends inside its header";
        } catch (java.io.UTFDataFormatException e) {
            return "is corrupt: it is not an ND4J array (unreadable header)";
        }
        return null;
    }

    /**
     * The number of values the header announces, or -1 when it cannot tell (an element type it
     * does not know); read before ND4J allocates that many.
     */
    static long declaredValues(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        long count = -1;
        for (int buffer = 0; buffer < 2; buffer++) {
            String mode = data.readUTF();
            if (INT_LENGTH_MODES.contains(mode)) {
                count = data.readInt();
            } else if (LONG_LENGTH_MODES.contains(mode)) {
                count = data.readLong();
            } else {
                return -1;
            }
            Integer width = ELEMENT_BYTES.get(data.readUTF());
            if (width == null || count < 0) return -1;
            if (buffer == 0) data.skipNBytes(count * width);
        }
        return count;
    }

    private static long utfBytes(String s) {
        return 2 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String printable(String s) {
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 20 ? t.substring(0, 20) + "..." : t;
    }
}
