package dev.graft.data;

import dev.graft.model.DType;

/**
 * How to read a CSV file. Immutable; start from {@link #defaults()} and change what differs:
 * {@code CsvOptions.defaults().withDtype(DType.FLOAT64).allowingNonFinite()}.
 */
public final class CsvOptions {
    /** Whether the first row names the columns. */
    public enum Header {
        /** A header when the first row has a cell that is not a number (or starts with {@code # }, as np.savetxt writes it). */
        AUTO,
        PRESENT,
        ABSENT
    }

    private static final CsvOptions DEFAULTS = new CsvOptions(null, Header.AUTO, DType.FLOAT32, false);

    private final Character delimiter;
    private final Header header;
    private final DType dtype;
    private final boolean allowNonFinite;

    private CsvOptions(Character delimiter, Header header, DType dtype, boolean allowNonFinite) {
        this.delimiter = delimiter;
        this.header = header;
        this.dtype = dtype;
        this.allowNonFinite = allowNonFinite;
    }

    /** Detected delimiter and header, float32 values, NaN and infinity refused. */
    public static CsvOptions defaults() {
        return DEFAULTS;
    }

    /** A fixed delimiter instead of detecting {@code ,} {@code ;} or tab. */
    public CsvOptions withDelimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') throw new IllegalArgumentException("cannot use " + delimiter + " as a delimiter");
        return new CsvOptions(delimiter, header, dtype, allowNonFinite);
    }

    public CsvOptions withHeader(Header header) {
        return new CsvOptions(delimiter, header, dtype, allowNonFinite);
    }

    /** FLOAT32 (default) or FLOAT64: values are parsed directly to this precision. */
    public CsvOptions withDtype(DType dtype) {
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) throw new IllegalArgumentException("CSV values are read as float32 or float64, not " + dtype.kerasName());
        return new CsvOptions(delimiter, header, dtype, allowNonFinite);
    }

    /** Accept {@code nan}, {@code inf}, {@code -inf} cells instead of refusing them. */
    public CsvOptions allowingNonFinite() {
        return new CsvOptions(delimiter, header, dtype, true);
    }

    /** The fixed delimiter, or null to detect it. */
    public Character delimiter() {
        return delimiter;
    }

    public Header header() {
        return header;
    }

    public DType dtype() {
        return dtype;
    }

    public boolean allowNonFinite() {
        return allowNonFinite;
    }
}
