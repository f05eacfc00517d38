package dev.graft.engine;

/**
 * The marker values a probe model carries instead of weights: element {@code k} of a layer's
 * concatenated Keras arrays holds {@code -(k + 1)}, so that every engine parameter element shows
 * which Keras element it was copied from. float32 holds such integers exactly up to 2^24; a layer
 * with more elements is probed in several rounds, each round carrying one base-2^24 digit of
 * {@code k}. Codes are negative so that the constants DL4J puts where Keras has no weight (ones,
 * zeros) can never be mistaken for one.
 */
final class ProbeCodes {
    /** Largest integer count float32 represents exactly (2^24). */
    static final long FLOAT32_EXACT = 1L << 24;

    private final long base;

    ProbeCodes(long base) {
        if (base < 2 || base > FLOAT32_EXACT) throw new IllegalArgumentException("base " + base);
        this.base = base;
    }

    long base() {
        return base;
    }

    /** How many rounds it takes to tell {@code elements} indices apart (at least one). */
    int rounds(long elements) {
        int r = 1;
        for (long span = base; span < elements; span = Math.multiplyExact(span, base)) r++;
        return r;
    }

    /** The weight of the digit carried in {@code round}: base^round. */
    long scale(int round) {
        long s = 1;
        for (int i = 0; i < round; i++) s = Math.multiplyExact(s, base);
        return s;
    }

    /** The code element {@code k} carries in {@code round}. */
    float code(long k, int round) {
        return -(float) ((k / scale(round)) % base + 1);
    }

    /** The digit a value carries, or -1 when the value is not a code (a constant, or something computed from codes). */
    long digit(double value) {
        if (!(value <= -1 && value >= -base) || value != Math.rint(value)) return -1;
        return (long) -value - 1;
    }
}
