package dev.graft.engine.layers;

/**
 * What decides a Keras SimpleRNN's arithmetic, apart from its weights.
 *
 * @param units             size of the state (Keras {@code units})
 * @param useBias           Keras {@code use_bias}
 * @param activation        Keras {@code activation} (with the producer's {@code hard_sigmoid})
 * @param returnSequences   all steps' states, else the last one
 * @param goBackwards       read the sequence from its last step to its first (outputs in processing order, as Keras)
 * @param maskValue         the value whose steps (all features equal to it) Keras masks, as the Masking or
 *                          {@code Embedding(mask_zero)} layer the SimpleRNN reads says; null when nothing masks it
 * @param zeroOutputForMask Keras {@code zero_output_for_mask}: a masked step outputs zeros, not the carried state
 */
public record SimpleRnnSpec(int units, boolean useBias, GruActivation activation, boolean returnSequences, boolean goBackwards,
                            Double maskValue, boolean zeroOutputForMask) {
    public SimpleRnnSpec {
        if (units <= 0) throw new IllegalArgumentException("SimpleRNN units must be positive, got " + units);
        if (activation == null) throw new IllegalArgumentException("SimpleRNN activation must be given");
    }
}
