package dev.graft.shape;

import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;

/**
 * Inputs that take integer indices: those an Embedding reads. Keras models usually declare such an
 * input float32, so its dtype alone does not say it; a float output fed there would be truncated
 * to indices, which is never what a join means.
 */
public final class IndexInputs {
    private IndexInputs() {
    }

    /** Whether an Embedding reads this tensor, directly or through a nested model's input. */
    public static boolean feedsEmbedding(ModelGraph model, TensorRef input) {
        for (Layer l : model.layers()) {
            for (LayerCall call : l.calls()) {
                int at = call.inputs().indexOf(input);
                if (at < 0) continue;
                if ("Embedding".equals(l.className())) return true;
                if (l.nested() != null && at < l.nested().inputs().size() && feedsEmbedding(l.nested(), l.nested().inputs().get(at))) return true;
            }
        }
        return false;
    }
}
