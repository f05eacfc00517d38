package dev.graft.format.dl4j;

import dev.graft.model.Layer;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A functional model's layers in the order Keras 3 lists them ({@code keras/src/ops/function.py}, {@code map_graph}):
 * by depth, the layer farthest from the outputs first, layers of one depth in the order a depth-first walk from the
 * outputs meets them. Keras 3's loader of legacy {@code .h5} files pairs the file's weight groups with the model's
 * layers by position in that order, so a translated model whose layers come in DL4J's order (a branch listed before
 * the longer path beside it) must be written in Keras's, or Keras loads a layer's weights into another. Layers the walk
 * does not reach keep their place after the others. Each layer is called once, as in a translation.
 */
final class KerasLayerOrder {
    private KerasLayerOrder() {
    }

    static List<Layer> of(List<Layer> layers, List<TensorRef> outputs) {
        Map<String, Layer> byName = new LinkedHashMap<>();
        for (Layer l : layers) byName.put(l.name(), l);
        Map<String, Integer> walkIndex = new HashMap<>();
        List<String> postOrder = new ArrayList<>();
        Set<String> finished = new HashSet<>();
        for (TensorRef o : outputs) walk(o.layer(), byName, walkIndex, postOrder, finished);
        Map<String, Integer> depth = new HashMap<>();
        // Keras: each node, outputs first, passes its depth + 1 on to the nodes it reads (the deepest path wins)
        for (int i = postOrder.size() - 1; i >= 0; i--) {
            String name = postOrder.get(i);
            int d = depth.computeIfAbsent(name, n -> 0);
            for (String parent : inputsOf(byName.get(name))) depth.merge(parent, d + 1, Math::max);
        }
        List<Layer> ordered = new ArrayList<>(postOrder.stream().map(byName::get).toList());
        ordered.sort(Comparator.<Layer>comparingInt(l -> -depth.get(l.name())).thenComparingInt(l -> walkIndex.get(l.name())));
        for (Layer l : layers) if (!finished.contains(l.name())) ordered.add(l);
        return ordered;
    }

    private static void walk(String name, Map<String, Layer> byName, Map<String, Integer> walkIndex, List<String> postOrder,
                             Set<String> finished) {
        Layer l = byName.get(name);
        if (l == null || finished.contains(name)) return;
        walkIndex.putIfAbsent(name, walkIndex.size());
        for (String parent : inputsOf(l)) walk(parent, byName, walkIndex, postOrder, finished);
        finished.add(name);
        postOrder.add(name);
    }

    private static List<String> inputsOf(Layer l) {
        if (l == null || l.calls().isEmpty()) return List.of();
        return l.calls().get(0).inputs().stream().map(TensorRef::layer).toList();
    }
}
