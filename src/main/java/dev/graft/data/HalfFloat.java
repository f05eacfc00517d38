package dev.graft.data;

/**
 * IEEE 754 binary16 conversions. Java 17 has no {@code Float.float16ToFloat}; these follow the
 * same rules: widening is exact, narrowing rounds to nearest, ties to even (as NumPy does), and
 * NaN payloads keep their top bits so that half → float → half gives back the same bits.
 */
final class HalfFloat {
    private HalfFloat() {
    }

    static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        if (exp != 0) return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        // Subnormal or zero: mant * 2^-24 is exact in float.
        float magnitude = mant * 0x1p-24f;
        return sign != 0 ? -magnitude : magnitude;
    }

    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            if (mant == 0) return (short) (sign | 0x7c00);
            int payload = mant >>> 13;
            return (short) (sign | 0x7c00 | (payload != 0 ? payload : 0x200));
        }
        int halfExp = exp - 127 + 15;
        if (halfExp >= 0x1f) return (short) (sign | 0x7c00); // overflow to infinity
        if (halfExp <= 0) {
            // Result is subnormal (or zero): shift the full significand right and round.
            if (halfExp < -10) return (short) sign; // below half the smallest subnormal
            int significand = mant | 0x800000;
            int shift = 14 - halfExp;
            return (short) (sign | roundShift(significand, shift));
        }
        int rounded = roundShift((halfExp << 23) | mant, 13);
        // A carry out of the mantissa correctly bumps the exponent (up to infinity).
        return (short) (sign | rounded);
    }

    /** {@code value >> shift}, rounded to nearest with ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (kept & 1) != 0)) kept++;
        return kept;
    }
}
