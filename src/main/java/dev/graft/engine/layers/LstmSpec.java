package dev.graft.engine.layers;

/**
 * What decides a Keras LSTM's arithmetic apart from its weights, for the LSTMs DL4J's own layer cannot
 * compute: those that return their state or start from a given one.
 *
 * @param units               size of the state (Keras {@code units})
 * @param useBias             Keras {@code use_bias}
 * @param activation          cell and output activation (Keras {@code activation})
 * @param recurrentActivation gate activation (Keras {@code recurrent_activation})
 * @param returnSequences     all steps' outputs, else the last one
 * @param returnState         also give the final {@code h} and {@code c} (packed, see {@link KerasLstmStateVertex})
 * @param initialState        the layer takes {@code h0} and {@code c0} as its second and third inputs
 * @param goBackwards         read the sequence from its last step to its first
 * @param maskValue           steps whose features all equal this value are masked (Keras {@code mask_zero}
 *                            embeddings and {@code Masking} layers, as DL4J's import detects them); null: none
 * @param maskedOutput        the output at a masked step (irrelevant without {@code maskValue})
 */
public record LstmSpec(int units, boolean useBias, GruActivation activation, GruActivation recurrentActivation,
                       boolean returnSequences, boolean returnState, boolean initialState, boolean goBackwards,
                       Double maskValue, LstmMaskedOutput maskedOutput) {

    public LstmSpec {
        if (units <= 0) {
            throw new IllegalArgumentException("LSTM units must be positive, got " + units);
        }
        if (activation == null || recurrentActivation == null) {
            throw new IllegalArgumentException("LSTM activations must be given");
        }
        if (maskedOutput == null) {
            maskedOutput = LstmMaskedOutput.PREVIOUS;
        }
    }

    /** Steps of output before the packed states: all steps, or one (the last output). */
    public long outputSteps(long steps) {
        return returnSequences ? steps : 1;
    }
}
