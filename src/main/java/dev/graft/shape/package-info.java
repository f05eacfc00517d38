/**
 * Output shapes of Keras layer calls, computed from saved configs in pure Java.
 *
 * <p>{@link dev.graft.shape.ShapeInference} is the entry point. It looks the layer's class name up
 * in a {@code RuleRegistry}, where each family of layers (identity-like, core, convolution,
 * pooling, reshaping, resizing, recurrent, wrappers, merge, attention, code layers) registers one
 * rule per shape behaviour under every name Keras 1, 2 and 3 used for it. Rules read the config
 * through {@code LayerConfig}, which accepts each setting under its Keras 2/3 key and its Keras 1
 * key ({@code units}/{@code output_dim}, {@code padding}/{@code border_mode},
 * {@code data_format}/{@code dim_ordering}, ...), so no rule needs to know which Keras wrote the
 * file. Length arithmetic lives in {@code ConvArithmetic} and mirrors Keras's own formulas.
 *
 * <p>Adding a layer: write (or reuse) a rule in the family it belongs to and register the class
 * names there; add a test with a real config snippet and a hand-computed expected shape.
 */
package dev.graft.shape;
