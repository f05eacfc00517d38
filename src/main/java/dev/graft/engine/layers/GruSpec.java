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
 */
public record GruSpec(int units, boolean resetAfter, boolean useBias, GruActivation activation,
                      GruActivation recurrentActivation, boolean returnSequences, boolean goBackwards) {

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
