package dev.graft.data;

import dev.graft.model.DType;
import java.nio.ByteOrder;

/**
 * An element type as a {@code .npy} header spells it ({@code descr}): byte order, kind, width.
 * Only plain numbers and booleans are accepted; anything else is refused with the reason.
 */
final class NpyType {
    final String descr;
    final ByteOrder order;
    /** NumPy kind letter: f, i, u or b. */
    final char kind;
    final int itemSize;

    private NpyType(String descr, ByteOrder order, char kind, int itemSize) {
        this.descr = descr;
        this.order = order;
        this.kind = kind;
        this.itemSize = itemSize;
    }

    /** Parses a {@code descr} string such as {@code <f4}; {@code source} names the file for errors. */
    static NpyType parse(String descr, String source) {
        if (descr.length() < 2) throw unsupported(descr, source, "");
        char orderChar = descr.charAt(0);
        String rest = descr.substring(1);
        if (orderChar != '<' && orderChar != '>' && orderChar != '|' && orderChar != '=') {
            // NumPy always writes a byte-order character; a bare "f4" is not from numpy.save.
            throw unsupported(descr, source, "");
        }
        char kind = rest.charAt(0);
        String why = refusalReason(kind, rest);
        if (why != null) throw unsupported(descr, source, why);
        int size;
        try {
            size = Integer.parseInt(rest.substring(1));
        } catch (NumberFormatException e) {
            throw unsupported(descr, source, "");
        }
        boolean known = (kind == 'f' && (size == 2 || size == 4 || size == 8))
                || (kind == 'i' && (size == 1 || size == 2 || size == 4 || size == 8))
                || (kind == 'u' && (size == 1 || size == 2 || size == 4))
                || (kind == 'b' && size == 1);
        if (!known) {
            if (kind == 'u' && size == 8) throw unsupported(descr, source, " (uint64 does not fit in int64; convert to int64 or float64)");
            if (kind == 'f' && size > 8) throw unsupported(descr, source, " (extended-precision floats are not supported; convert to float64)");
            throw unsupported(descr, source, "");
        }
        // '=' is "native"; NumPy never writes it, and every platform it would come from is little-endian.
        ByteOrder order = orderChar == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return new NpyType(descr, order, kind, size);
    }

    private static String refusalReason(char kind, String rest) {
        switch (kind) {
            case 'O': return " (object arrays need Python)";
            case 'c': return " (complex numbers are not supported)";
            case 'U': case 'S': case 'a': return " (text arrays are not supported; graft reads numbers)";
            case 'M': case 'm': return " (dates and times are not supported)";
            case 'V': return " (raw or structured records are not supported)";
            default: return null;
        }
    }

    static DataFileException unsupported(String descr, String source, String why) {
        return new DataFileException(source, "unsupported dtype '" + descr + "'" + (why.isEmpty()
                ? " (supported: float16/32/64, int8/16/32/64, uint8/16/32, bool)" : why));
    }

    /**
     * The {@link DType} the values are held as. {@code DType} has no int8, int16, uint16 or uint32:
     * those widen, without loss, to the narrowest type graft has that holds every value.
     */
    DType heldAs() {
        switch (kind) {
            case 'f': return itemSize == 2 ? DType.FLOAT16 : itemSize == 4 ? DType.FLOAT32 : DType.FLOAT64;
            case 'b': return DType.BOOL;
            case 'u': return itemSize == 1 ? DType.UINT8 : itemSize == 2 ? DType.INT32 : DType.INT64;
            default: return itemSize == 8 ? DType.INT64 : DType.INT32;
        }
    }

    /** The little-endian {@code descr} NumPy uses for a {@link DType}, or null when it has none. */
    static String descrFor(DType dtype) {
        switch (dtype) {
            case FLOAT16: return "<f2";
            case FLOAT32: return "<f4";
            case FLOAT64: return "<f8";
            case INT32: return "<i4";
            case INT64: return "<i8";
            case UINT8: return "|u1";
            case BOOL: return "|b1";
            default: return null;
        }
    }

    static NpyType forWriting(DType dtype) {
        String descr = descrFor(dtype);
        return descr == null ? null : parse(descr, "");
    }
}
