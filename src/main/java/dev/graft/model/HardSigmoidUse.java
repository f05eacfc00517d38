package dev.graft.model;

/**
 * Where a model uses {@code hard_sigmoid}, the one activation whose meaning depends on the Keras that wrote the file
 * (Keras 3 redefined it as relu6(x+3)/6; Keras 1 and 2 mean clip(0.2x+0.5)). Writers and merges ask it which Keras a
 * file must say.
 */
public final class HardSigmoidUse {
    private HardSigmoidUse() {
    }

    /** The first layer (nested models searched) whose configuration names {@code hard_sigmoid}, or null. */
    public static String firstLayer(ModelGraph model) {
        for (Layer l : model.layers()) {
            if (l.nested() != null) {
                String inner = firstLayer(l.nested());
                if (inner != null) return inner;
            } else if (l.config() != null && l.config().toString().contains("\"hard_sigmoid\"")) {
                return l.name();
            }
        }
        return null;
    }
}
