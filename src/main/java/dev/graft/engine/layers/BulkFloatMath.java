package dev.graft.engine.layers;

/**
 * {@code exp}, {@code sigmoid} and {@code tanh} over runs of a float array, in place (an instance holds one thread's
 * scratch), for the inference paths that
 * compute on batch columns (an LSTM's gates, a softmax over a thousand samples at once). {@code Math.exp} is an
 * intrinsic but scalar, in double (JFR on an {@code LSTM(8)} with attention: the loops around it were two thirds of the
 * predict time). Here the work is split in two loops per block of values: one of float multiply-adds and
 * {@code Math.min/max}, which C2 vectorises (the range reduction {@code x = k·ln 2 + r} with {@code k} rounded by adding and removing 1.5·2²³, and
 * Cephes' {@code expf} polynomial for {@code e^r}), and a short scalar one that applies {@code 2^k} through its bits
 * (C2 in Java 17 vectorises no float/int conversion).
 *
 * <p>Accuracy over every 61st float of the whole range (BulkFloatMathTest): {@code exp} within 1 unit in the last place of the correctly rounded
 * result for normal results, subnormal results within one subnormal unit, {@code +inf} above {@code ln(Float.MAX_VALUE)},
 * 0 below {@code ln(2^-150)}; {@code sigmoid} and {@code tanh} within two units in the last place (sigmoid down to its
 * subnormal results); NaN gives NaN; a zero result may lose its sign.
 */
final class BulkFloatMath {
    /** Values per block: the block's scratch stays in the first-level cache. */
    private static final int BLOCK = 512;
    /**
     * A block's values, its {@code k} and, for the sigmoid, its signs: every loop indexes all its arrays alike from 0
     * (C2 in Java 17 left a loop unvectorised that read {@code a[from + i]} beside {@code k[i]}). An instance per pass
     * and thread (a ThreadLocal's lookup, called per batch column, showed in JFR).
     */
    private final float[] v = new float[BLOCK];
    private final float[] k = new float[BLOCK];
    private final float[] negative = new float[BLOCK];

    private static final float LOG2E = 1.44269504f;
    /** ln 2 in two parts, the first with few enough bits that {@code k·LN2_HI} is exact for every {@code k} used. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Adding and subtracting 1.5·2²³ rounds a float of magnitude below 2²² to the nearest integer. */
    private static final float ROUND = 12582912f;
    /** Below e^-104 the result rounds to 0; above e^89 it overflows: clamping there keeps {@code k} in [-150, 129]. */
    private static final float EXP_MIN = -104f;
    private static final float EXP_MAX = 89f;
    /** tanh(±10) is ±1 in float: clamping there keeps e^(2x) finite. */
    private static final float TANH_LIMIT = 10f;

    /** Scratch for one thread's calls: not for sharing between threads. */
    BulkFloatMath() {
    }

    /** {@code a[from .. from+n) = e^a[i]}. */
    void exp(float[] a, int from, int n) {
        for (int start = from, end = from + n; start < end; start += BLOCK) {
            int m = Math.min(BLOCK, end - start);
            System.arraycopy(a, start, v, 0, m);
            reduce(v, m, 1f, EXP_MIN, EXP_MAX, k);
            for (int i = 0; i < m; i++) v[i] = scale(v[i] + 1f, (int) k[i]);
            System.arraycopy(v, 0, a, start, m);
        }
    }

    /**
     * {@code a[from .. from+n) = 1 / (1 + e^-a[i])}, as {@code e^x / (1 + e^x)} for negative {@code x} (so that the
     * result follows e^x down to the subnormals instead of stopping at 0 where e^-x overflows): with {@code e = e^-|x|},
     * {@code (e·n + 1 - n) / (1 + e)} where {@code n} is 1 for negative {@code x} and 0 otherwise, made without a branch
     * (a branch stops C2 from vectorising the loop) as {@code min(1, max(0, -x·2^100·2^100))}, 0 or 1 for every
     * float but NaN.
     */
    void sigmoid(float[] a, int from, int n) {
        for (int start = from, end = from + n; start < end; start += BLOCK) {
            int m = Math.min(BLOCK, end - start);
            System.arraycopy(a, start, v, 0, m);
            for (int i = 0; i < m; i++) {
                float x = v[i];
                negative[i] = Math.min(1f, Math.max(0f, x * -0x1p100f * 0x1p100f));
                v[i] = -Math.abs(x);
            }
            reduce(v, m, 1f, EXP_MIN, 0f, k);
            // k is in [-150, 0] here: 2^(k + 24) is a normal float, and the constant 2^-24 rounds once to a subnormal
            // (one factor built from bits instead of scale's two: that loop is scalar, half the sigmoid's time)
            for (int i = 0; i < m; i++) v[i] = (v[i] + 1f) * Float.intBitsToFloat(((int) k[i] + (127 + 24)) << 23) * 0x1p-24f;
            for (int i = 0; i < m; i++) v[i] = (v[i] * negative[i] + (1f - negative[i])) / (1f + v[i]);
            System.arraycopy(v, 0, a, start, m);
        }
    }

    /** {@code a[from .. from+n) = tanh(a[i])}, as {@code (e^2x - 1) / (e^2x + 1)} with {@code e^2x - 1} kept exact near 0. */
    void tanh(float[] a, int from, int n) {
        for (int start = from, end = from + n; start < end; start += BLOCK) {
            int m = Math.min(BLOCK, end - start);
            System.arraycopy(a, start, v, 0, m);
            reduce(v, m, 2f, -2 * TANH_LIMIT, 2 * TANH_LIMIT, k);
            for (int i = 0; i < m; i++) {
                // e^2x - 1 = (2^k - 1) + 2^k·(e^r - 1): for k = 0 (|x| below 0.17) no cancellation at all
                float s = Float.intBitsToFloat(((int) k[i] + 127) << 23);
                v[i] = (s - 1f) + s * v[i];
            }
            for (int i = 0; i < m; i++) v[i] = v[i] / (v[i] + 2f);
            System.arraycopy(v, 0, a, start, m);
        }
    }

    /**
     * For {@code x = factor·v[i]} clamped to {@code [min, max]}: {@code k = round(x / ln 2)} into {@code k[i]} and
     * {@code e^r - 1} with {@code r = x - k·ln 2} into {@code v[i]}. One loop of multiply-adds and min/max, which C2
     * vectorises (NaN passes through the min/max and the polynomial).
     */
    private static void reduce(float[] v, int n, float factor, float min, float max, float[] k) {
        for (int i = 0; i < n; i++) {
            float x = Math.max(min, Math.min(max, factor * v[i]));
            float kf = (x * LOG2E + ROUND) - ROUND;
            float r = x - kf * LN2_HI - kf * LN2_LO;
            float p = 1.9875691500e-4f;
            p = p * r + 1.3981999507e-3f;
            p = p * r + 8.3334519073e-3f;
            p = p * r + 4.1665795894e-2f;
            p = p * r + 1.6666665459e-1f;
            p = p * r + 5.0000001201e-1f;
            v[i] = p * r * r + r;
            k[i] = kf;
        }
    }

    /**
     * {@code p · 2^k} for {@code k} in [-150, 129], in two factors that are normal floats each: the product is exact
     * until the result is subnormal or overflows, where it rounds once (to a subnormal, 0 or infinity).
     */
    private static float scale(float p, int k) {
        int k1 = k >> 1;
        return p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k - k1 + 127) << 23);
    }
}
