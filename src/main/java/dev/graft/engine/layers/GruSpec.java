package dev.graft.engine.layers;

/**
 * What decides a Keras GRU's arithmetic, apart from its weights.
 *
 * @param units               size of the state (Keras {@code units})
 * @param resetAfter          Keras {@code reset_after}: reset gate applied after the recurrent matrix product
 * @param useBias             Keras {@code use_bias}
 * @param activation          candidate activation (Keras {@code activation})
 * @param recurrentActivation gate activation (Keras {@code recurrent_activation})
 * @param returnSequences     all steps' states, else the last one
 * @param goBackwards         read the sequence from its last step to its first
 * @param maskValue           the value whose steps (all features equal to it) Keras masks, as the Masking or
 *                            {@code Embedding(mask_zero)} layer the GRU reads says; null when nothing masks it
 * @param zeroOutputForMask   Keras {@code zero_output_for_mask}: a masked step outputs zeros, not the carried state
 */
public record GruSpec(int units, boolean resetAfter, boolean useBias, GruActivation activation,
                      GruActivation recurrentActivation, boolean returnSequences, boolean goBackwards,
                      Double maskValue, boolean zeroOutputForMask) {

    /** A GRU that reads no mask. */
    public GruSpec(int units, boolean resetAfter, boolean useBias, GruActivation activation,
                   GruActivation recurrentActivation, boolean returnSequences, boolean goBackwards) {
        this(units, resetAfter, useBias, activation, recurrentActivation, returnSequences, goBackwards, null, false);
    }

    public GruSpec {
        if (units <= 0) {
            throw new IllegalArgumentException("GRU units must be positive, got " + units);
        }
        if (activation == null || recurrentActivation == null) {
            throw new IllegalArgumentException("GRU activations must be given");
        }
    }

    /** Rows of the bias parameter: Keras keeps a separate recurrent bias row when reset_after is set. */
    public int biasRows() {
        return resetAfter ? 2 : 1;
    }
}
