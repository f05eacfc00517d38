package dev.graft.surgery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.DType;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;

/** {@code --cast}: a donor computing in another float type, with its weights converted when read. */
final class Casting {
    private Casting() {
    }

    static ModelGraph cast(ModelGraph g, DType target) {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : g.layers()) {
            ObjectNode c = l.config().deepCopy();
            if (c.has("dtype")) c.put("dtype", target.kerasName());
            List<Weight> weights = new ArrayList<>();
            for (Weight w : l.weights()) {
                weights.add(w.dtype() == target || !w.dtype().isFloating() ? w
                        : new Weight(w.name(), w.shape(), target, w.trainable(), () -> w.read().castTo(target)));
            }
            layers.add(l.withConfig(c).withWeights(weights));
        }
        return g.withLayers(layers, g.inputs(), g.outputs());
    }
}
