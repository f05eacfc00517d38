package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast paths must agree bit for bit with the JDK's correctly rounded parsers. */
class DecimalParserTest {
    private static double parse(boolean float32, String text, int expectedStatus) {
        DecimalParser p = new DecimalParser(float32);
        char[] c = text.toCharArray();
        assertEquals(expectedStatus, p.parse(c, 0, c.length), text);
        return p.value;
    }

    private static void check(String text) {
        float f = Float.parseFloat(text);
        if (Float.isInfinite(f)) {
            parse(true, text, DecimalParser.OVERFLOW);
        } else {
            assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((float) parse(true, text, DecimalParser.NUMBER)), "float32 " + text);
        }
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)),
                Double.doubleToRawLongBits(parse(false, text, DecimalParser.NUMBER)), "float64 " + text);
    }

    @Test
    void statuses() {
        assertEquals(DecimalParser.EMPTY, new DecimalParser(true).parse("   ".toCharArray(), 0, 3));
        assertEquals(DecimalParser.NON_FINITE, new DecimalParser(true).parse("-Inf".toCharArray(), 0, 4));
        assertEquals(DecimalParser.NOT_A_NUMBER, new DecimalParser(true).parse("nana".toCharArray(), 0, 4));
        assertEquals(DecimalParser.OVERFLOW, new DecimalParser(false).parse("1e309".toCharArray(), 0, 5));
        DecimalParser p = new DecimalParser(false);
        assertEquals(DecimalParser.NUMBER, p.parse("x 2.5 y".toCharArray(), 1, 6), "only the given range, spaces trimmed");
        assertEquals(2.5, p.value);
    }

    @Test
    void agreesWithTheJdkOnManyShapesOfNumbers() {
        Random r = new Random(1);
        for (int i = 0; i < 5_000; i++) {
            double d = Double.longBitsToDouble(r.nextLong());
            if (!Double.isFinite(d)) continue;
            float f = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10));
            check(Double.toString(d));
            check(Float.toString(f));
            check(String.format(Locale.ROOT, "%." + r.nextInt(12) + "f", f));
            check(String.format(Locale.ROOT, "%." + r.nextInt(18) + "e", d));
            check(Long.toString(r.nextLong() >> r.nextInt(64)));
            check((r.nextInt(2000000) - 1000000) + "." + r.nextInt(1000));
        }
    }

    @Test
    void float32NearHalfwayPoints() {
        // Decimals at, just below and just above the point halfway between two adjacent floats:
        // where an approximation through double could round the wrong way.
        Random r = new Random(3);
        for (int i = 0; i < 3_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt(0x7f000000));
            if (!Float.isFinite(f) || f == 0) continue;
            java.math.BigDecimal low = new java.math.BigDecimal(f);
            java.math.BigDecimal half = low.add(new java.math.BigDecimal(Math.nextUp(f))).divide(java.math.BigDecimal.valueOf(2));
            java.math.BigDecimal nudge = half.ulp().multiply(java.math.BigDecimal.TEN.pow(3)).max(half.abs().scaleByPowerOfTen(-30));
            for (java.math.BigDecimal v : new java.math.BigDecimal[] {half, half.subtract(nudge), half.add(nudge)}) {
                check(v.toString());
                check(v.round(new java.math.MathContext(17)).toString());
                check(v.round(new java.math.MathContext(19)).toString());
            }
        }
    }

    @Test
    void trailingZerosAndLongMantissas() {
        for (String s : new String[] {"1.50000000000", "0.1000000000000000000000001", "123456789012345678901234567890",
            "9007199254740993", "16777217", "0.000000000000000000000000000000000000000000001", "1e-46", "3.4028235e38",
            "3.4028236e38", "1.7976931348623157e308", "4.9e-324", "100000000000000000000000", "1e22", "1e23", "-0.0"}) {
            check(s);
        }
    }
}
