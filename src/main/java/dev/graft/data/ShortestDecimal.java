package dev.graft.data;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Prints a float or double as a short decimal that reads back as exactly the same value.
 *
 * <p>The digits are Java's {@code Float.toString}/{@code Double.toString} (the shortest, or in
 * rare cases one digit longer on Java 17, that uniquely identify the value; checked by reading
 * back, with 9 or 17 significant digits as a guaranteed fallback). The layout is Python's
 * {@code repr}: plain notation for 1e-4 <= |x| < 1e16 ({@code 12345678.0} rather than Java's
 * {@code 1.2345678E7}), otherwise {@code 1.5e-05}, {@code 1e+16}. Non-finite values are
 * {@code nan}, {@code inf}, {@code -inf}, as NumPy writes and reads them. A float32 value is
 * printed with float32's shortest digits ({@code 0.1}, not {@code 0.10000000149011612}), so it
 * must be read back as float32 to get the same bits.
 */
final class ShortestDecimal {
    private ShortestDecimal() {
    }

    static String of(float f) {
        if (!Float.isFinite(f)) return nonFinite(f);
        String text = Float.toString(f);
        if (Float.floatToRawIntBits(Float.parseFloat(text)) != Float.floatToRawIntBits(f)) {
            text = new BigDecimal(f).round(new MathContext(9)).toString();
        }
        return pythonLayout(text);
    }

    static String of(double d) {
        if (!Double.isFinite(d)) return nonFinite(d);
        String text = Double.toString(d);
        if (Double.doubleToRawLongBits(Double.parseDouble(text)) != Double.doubleToRawLongBits(d)) {
            text = new BigDecimal(d).round(new MathContext(17)).toString();
        }
        return pythonLayout(text);
    }

    private static String nonFinite(double d) {
        return Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
    }

    /** Re-lays out Java's or BigDecimal's text ({@code -1.25E-7}, {@code 123.5}, {@code 1.0E10}). */
    static String pythonLayout(String text) {
        boolean negative = text.startsWith("-");
        String body = negative ? text.substring(1) : text;
        int e = body.indexOf('E');
        int exponent = e < 0 ? 0 : Integer.parseInt(body.substring(e + 1));
        String mantissa = e < 0 ? body : body.substring(0, e);
        int point = mantissa.indexOf('.');
        String digits = point < 0 ? mantissa : mantissa.substring(0, point) + mantissa.substring(point + 1);
        int intDigits = (point < 0 ? mantissa.length() : point) + exponent; // digits before the point
        int lead = 0;
        while (lead < digits.length() && digits.charAt(lead) == '0') lead++;
        digits = digits.substring(lead);
        intDigits -= lead;
        int end = digits.length();
        while (end > 0 && digits.charAt(end - 1) == '0') end--;
        digits = digits.substring(0, end);

        StringBuilder out = new StringBuilder(24);
        if (negative) out.append('-');
        if (digits.isEmpty()) return out.append("0.0").toString();
        int scientific = intDigits - 1;
        if (scientific >= -4 && scientific < 16) {
            if (intDigits <= 0) {
                out.append("0.");
                for (int i = intDigits; i < 0; i++) out.append('0');
                out.append(digits);
            } else if (intDigits >= digits.length()) {
                out.append(digits);
                for (int i = digits.length(); i < intDigits; i++) out.append('0');
                out.append(".0");
            } else {
                out.append(digits, 0, intDigits).append('.').append(digits, intDigits, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) out.append('.').append(digits, 1, digits.length());
            out.append('e').append(scientific < 0 ? '-' : '+');
            int magnitude = Math.abs(scientific);
            if (magnitude < 10) out.append('0');
            out.append(magnitude);
        }
        return out.toString();
    }
}
