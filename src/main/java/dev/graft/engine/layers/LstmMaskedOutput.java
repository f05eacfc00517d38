package dev.graft.engine.layers;

/**
 * What a Keras LSTM outputs at a masked step (its state, h and c, is carried over unchanged in every
 * case). Keras releases disagree only before the first unmasked step and when asked for zeros:
 * <ul>
 *   <li>{@link #STATE}: multi-backend Keras up to 2.2 ({@code output = where(mask, output, states[0])}),
 *       i.e. the carried {@code h}, which before any unmasked step is the initial state;</li>
 *   <li>{@link #PREVIOUS}: tf.keras and Keras 3 with {@code zero_output_for_mask=False}: the previous
 *       step's output, zeros before the first unmasked step;</li>
 *   <li>{@link #ZERO}: {@code zero_output_for_mask=True}: zeros.</li>
 * </ul>
 */
public enum LstmMaskedOutput {
    STATE,
    PREVIOUS,
    ZERO
}
