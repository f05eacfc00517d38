package dev.graft.model;

import java.util.Locale;

/** Element types graft meets in model files. */
public enum DType {
    FLOAT16(2), FLOAT32(4), FLOAT64(8), INT32(4), INT64(8), UINT8(1), BOOL(1), STRING(0);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return this == FLOAT16 || this == FLOAT32 || this == FLOAT64;
    }

    /** Keras spelling: {@code float32}. */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses Keras dtype names ({@code float32}, {@code int64}, {@code bool}, ...). Null when unknown. */
    public static DType fromKeras(String name) {
        if (name == null) return null;
        switch (name.toLowerCase(Locale.ROOT)) {
            case "float16": case "half": return FLOAT16;
            case "float32": case "float": return FLOAT32;
            case "float64": case "double": return FLOAT64;
            case "int32": case "int": return INT32;
            case "int64": case "long": return INT64;
            case "uint8": return UINT8;
            case "bool": return BOOL;
            case "string": return STRING;
            default: return null;
        }
    }
}
