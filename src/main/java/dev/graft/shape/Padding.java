package dev.graft.shape;

import java.util.Locale;

/** Convolution and pooling padding modes ({@code padding} in Keras 2/3, {@code border_mode} in Keras 1). */
enum Padding {
    VALID,
    SAME,
    /** Conv1D only: left-pads so output step t sees inputs up to t; length as for SAME. */
    CAUSAL,
    /** Keras 1 (Theano) only: every partial overlap produces an output. */
    FULL;

    static Padding parse(String className, String value) {
        if (value == null) return VALID;
        switch (value.toLowerCase(Locale.ROOT)) {
            case "valid": return VALID;
            case "same": return SAME;
            case "causal": return CAUSAL;
            case "full": return FULL;
            default:
                throw new ShapeInferenceException(className + ": unknown padding '" + value
                        + "' (expected valid, same, causal or full)");
        }
    }

    String keras() {
        return name().toLowerCase(Locale.ROOT);
    }
}
