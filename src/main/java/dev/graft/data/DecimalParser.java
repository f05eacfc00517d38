package dev.graft.data;

/**
 * Parses one CSV cell as a number, straight from the reader's character buffer, without creating
 * a String for the common case.
 *
 * <p>Accepted: optional sign, digits with an optional decimal point, an optional exponent
 * ({@code 1.5e-3}), and {@code nan}, {@code inf}, {@code infinity} in any case (how NumPy, Python
 * and R print them). Not accepted: hexadecimal, Java's {@code 1d}/{@code 1f} suffixes, thousands
 * separators, decimal commas.
 *
 * <p>Results are correctly rounded to the requested precision, as {@link Float#parseFloat} and
 * {@link Double#parseDouble} would give, but most cells avoid those (and the String they need):
 * <ul>
 *   <li>A mantissa and a power of ten that are both exact in the target type need one correctly
 *   rounded multiplication or division (Clinger 1990): short decimals such as {@code 5.1}.</li>
 *   <li>For float32, longer decimals ({@code 0.12345678901234567}, NumPy's {@code %.18e}) are
 *   computed in double, with an error of at most a few double ulps; when that approximation is
 *   not within 64 double ulps of a point halfway between two floats, rounding it to float gives
 *   the same float as rounding the exact decimal. Only the rare near-halfway cases fall back.
 *   Never {@code (float) Double.parseDouble(s)}: rounding twice can differ from rounding once.</li>
 * </ul>
 */
final class DecimalParser {
    static final int NUMBER = 0;
    static final int EMPTY = 1;
    static final int NOT_A_NUMBER = 2;
    /** NaN or infinity written as such. */
    static final int NON_FINITE = 3;
    /** Finite text whose value does not fit the precision (1e39 as float32). */
    static final int OVERFLOW = 4;

    private static final double[] DOUBLE_POW10 = new double[23];
    private static final float[] FLOAT_POW10 = new float[11];

    static {
        double d = 1;
        for (int i = 0; i < DOUBLE_POW10.length; i++, d *= 10) DOUBLE_POW10[i] = d;
        float f = 1;
        for (int i = 0; i < FLOAT_POW10.length; i++, f *= 10) FLOAT_POW10[i] = f;
    }

    private final boolean float32;
    /** The parsed value; a float32 result is held widened, which is exact. */
    double value;

    DecimalParser(boolean float32) {
        this.float32 = float32;
    }

    int parse(char[] c, int start, int end) {
        while (start < end && isSpace(c[start])) start++;
        while (end > start && isSpace(c[end - 1])) end--;
        if (start == end) return EMPTY;

        int i = start;
        boolean negative = false;
        if (c[i] == '-' || c[i] == '+') {
            negative = c[i] == '-';
            i++;
        }
        if (i < end && isLetter(c[i])) return nonFinite(c, i, end, negative);

        long mantissa = 0;
        int exponent = 0;
        int digits = 0;
        boolean exact = true; // false once digits were dropped from the mantissa
        for (; i < end && isDigit(c[i]); i++, digits++) {
            if (mantissa < 100_000_000_000_000_000L) mantissa = mantissa * 10 + (c[i] - '0');
            else {
                exponent++;
                exact &= c[i] == '0';
            }
        }
        if (i < end && c[i] == '.') {
            for (i++; i < end && isDigit(c[i]); i++, digits++) {
                if (mantissa < 100_000_000_000_000_000L) {
                    mantissa = mantissa * 10 + (c[i] - '0');
                    exponent--;
                } else {
                    exact &= c[i] == '0';
                }
            }
        }
        if (digits == 0) return NOT_A_NUMBER;
        if (i < end && (c[i] == 'e' || c[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (c[i] == '-' || c[i] == '+')) negativeExponent = c[i++] == '-';
            if (i == end || !isDigit(c[i])) return NOT_A_NUMBER;
            int e = 0;
            for (; i < end && isDigit(c[i]); i++) e = Math.min(e * 10 + (c[i] - '0'), 100_000);
            exponent += negativeExponent ? -e : e;
        }
        if (i != end) return NOT_A_NUMBER;

        if (!fastPath(mantissa, exponent, negative, exact)) {
            String text = new String(c, start, end - start);
            value = float32 ? Float.parseFloat(text) : Double.parseDouble(text);
        }
        return Double.isInfinite(value) ? OVERFLOW : NUMBER;
    }

    private boolean fastPath(long mantissa, int exponent, boolean negative, boolean exact) {
        if (mantissa == 0) {
            value = negative ? -0.0 : 0.0;
            return true;
        }
        while (exponent < 0 && mantissa % 10 == 0) { // "1.50000" is 15e-1
            mantissa /= 10;
            exponent++;
        }
        if (float32) {
            if (exact && mantissa <= (1L << 24) && exponent >= -10 && exponent <= 10) {
                float m = mantissa;
                float f = exponent < 0 ? m / FLOAT_POW10[-exponent] : m * FLOAT_POW10[exponent];
                value = negative ? -f : f;
                return true;
            }
            return float32ViaDouble(mantissa, exponent, negative);
        }
        if (!exact || mantissa > (1L << 53) || exponent < -22 || exponent > 22) return false;
        double m = mantissa;
        double d = exponent < 0 ? m / DOUBLE_POW10[-exponent] : m * DOUBLE_POW10[exponent];
        value = negative ? -d : d;
        return true;
    }

    /**
     * Error budget: the mantissa (at most 18 digits kept, dropped digits change it by less than
     * 1e-17 relatively) converts to double with half an ulp of error; each of at most two
     * multiplications or divisions by an exact power of ten adds half an ulp. That is under
     * 2 ulps in all, far inside the 64-ulp margin around float halfway points.
     */
    private boolean float32ViaDouble(long mantissa, int exponent, boolean negative) {
        if (exponent < -44 || exponent > 44) return false;
        double d = mantissa;
        if (exponent > 22) d = d * DOUBLE_POW10[22] * DOUBLE_POW10[exponent - 22];
        else if (exponent >= 0) d = d * DOUBLE_POW10[exponent];
        else if (exponent >= -22) d = d / DOUBLE_POW10[-exponent];
        else d = d / DOUBLE_POW10[22] / DOUBLE_POW10[-exponent - 22];
        // Only normal floats: subnormal floats have fewer bits, and the largest may round to infinity.
        if (!(d >= 0x1p-126 && d < 0x1.fffffcp127)) return false;
        long lowBits = Double.doubleToRawLongBits(d) & ((1L << 29) - 1); // bits float32 rounds away
        if (Math.abs(lowBits - (1L << 28)) <= 64) return false;
        float f = (float) d;
        value = negative ? -f : f;
        return true;
    }

    private int nonFinite(char[] c, int from, int end, boolean negative) {
        int length = end - from;
        if (matches(c, from, length, "nan")) value = Double.NaN;
        else if (matches(c, from, length, "inf") || matches(c, from, length, "infinity")) {
            value = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        } else {
            return NOT_A_NUMBER;
        }
        return NON_FINITE;
    }

    private static boolean matches(char[] c, int from, int length, String lowerCase) {
        if (length != lowerCase.length()) return false;
        for (int k = 0; k < length; k++) {
            if (Character.toLowerCase(c[from + k]) != lowerCase.charAt(k)) return false;
        }
        return true;
    }

    static boolean isSpace(char ch) {
        return ch == ' ' || ch == '\t';
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    private static boolean isLetter(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    }
}
