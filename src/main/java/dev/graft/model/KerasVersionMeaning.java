package dev.graft.model;

/**
 * The first layer of a model whose numbers depend on the Keras that wrote the file, and why: {@code hard_sigmoid}
 * ({@link HardSigmoidUse}) and an attention layer Keras 3 computes with its explicit softmax ({@link ExplicitSoftmaxUse}).
 * Writers keep a Keras 3 model's version when it has one; merges refuse donors that would need both meanings in one file.
 */
public record KerasVersionMeaning(String layer, String keras2Meaning, String keras3Meaning) {
    private static final String HARD_SIGMOID_2 = "hard_sigmoid (clip(0.2x+0.5))";
    private static final String HARD_SIGMOID_3 = "hard_sigmoid (relu6(x+3)/6)";
    private static final String SOFTMAX_2 = "attention softmax (a query step its masks hide entirely attends evenly)";
    private static final String SOFTMAX_3 = "explicit attention softmax (a query step its masks hide entirely gets zeros)";

    /** The first such layer of {@code model} (nested models searched), hard_sigmoid first; null when it has none. */
    public static KerasVersionMeaning firstOf(ModelGraph model) {
        String layer = HardSigmoidUse.firstLayer(model);
        if (layer != null) return new KerasVersionMeaning(layer, HARD_SIGMOID_2, HARD_SIGMOID_3);
        layer = ExplicitSoftmaxUse.firstLayer(model);
        return layer == null ? null : new KerasVersionMeaning(layer, SOFTMAX_2, SOFTMAX_3);
    }
}
