package dev.graft.surgery;

import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces nested models (a Sequential or Functional used as a layer) by their layers, wired
 * directly into the outer graph. Nested models are what Keras users report failing to reload,
 * and what DL4J's importer cannot read. A nested model called several times (a shared tower)
 * becomes shared layers called several times, so its weights stay shared.
 */
public final class Flattener {
    private Flattener() {
    }

    public static boolean hasNested(ModelGraph model) {
        return model.layers().stream().anyMatch(l -> l.nested() != null);
    }

    public static ModelGraph flatten(ModelGraph model) {
        if (!hasNested(model)) return model;
        return new Flattener.Run(model).result();
    }

    /** One flattening pass over one graph. */
    private static final class Run {
        private final ModelGraph model;
        /** Output layers under construction, by (possibly new) name, with their calls so far. */
        private final Map<String, Layer> built = new LinkedHashMap<>();
        private final Map<String, List<LayerCall>> callsOf = new HashMap<>();
        /** Tensors of the outer graph, resolved to tensors of the flat graph. */
        private final Map<TensorRef, TensorRef> resolved = new HashMap<>();
        private final Set<String> taken;

        Run(ModelGraph model) {
            this.model = model;
            this.taken = new java.util.HashSet<>();
            for (Layer l : model.layers()) if (l.nested() == null) taken.add(l.name());
        }

        ModelGraph result() {
            for (Layer layer : model.layers()) {
                if (layer.nested() == null) {
                    addCalls(layer, layer.name(), layer.calls(), resolved);
                } else {
                    inline(layer);
                }
            }
            List<Layer> layers = new ArrayList<>();
            for (Map.Entry<String, Layer> e : built.entrySet()) layers.add(e.getValue().withCalls(callsOf.get(e.getKey())));
            return model.withLayers(layers, resolve(model.inputs(), resolved), resolve(model.outputs(), resolved));
        }

        /** Adds a plain layer's calls, remembering where its outputs now are. */
        private void addCalls(Layer layer, String flatName, List<LayerCall> calls, Map<TensorRef, TensorRef> scope) {
            List<LayerCall> existing = callsOf.computeIfAbsent(flatName, k -> new ArrayList<>());
            if (!built.containsKey(flatName)) built.put(flatName, flatName.equals(layer.name()) ? layer : layer.withName(flatName));
            if (layer.isInput()) {
                scope.put(TensorRef.of(layer.name()), TensorRef.of(flatName));
                return;
            }
            for (int k = 0; k < calls.size(); k++) {
                LayerCall c = calls.get(k);
                int flatIndex = existing.size();
                existing.add(new LayerCall(resolve(c.inputs(), scope), c.kwargs()));
                // Output tensor indices are unknown here; map the ones referenced lazily via the node.
                scope.put(new TensorRef(layer.name(), k, -1), new TensorRef(flatName, flatIndex, -1));
            }
        }

        private void inline(Layer nestedLayer) {
            ModelGraph inner = flatten(nestedLayer.nested());
            Map<String, String> names = innerNames(inner);
            for (int k = 0; k < nestedLayer.calls().size(); k++) {
                List<TensorRef> args = resolve(nestedLayer.calls().get(k).inputs(), resolved);
                Map<TensorRef, TensorRef> scope = new HashMap<>();
                for (int i = 0; i < inner.inputs().size() && i < args.size(); i++) scope.put(inner.inputs().get(i), args.get(i));
                for (Layer il : inner.layers()) {
                    if (il.isInput()) continue;
                    addCalls(il, names.get(il.name()), il.calls(), scope);
                }
                List<TensorRef> outs = resolve(inner.outputs(), scope);
                for (int t = 0; t < outs.size(); t++) resolved.put(new TensorRef(nestedLayer.name(), k, t), outs.get(t));
            }
        }

        /** Inner layers keep their names unless the outer graph already uses them. */
        private Map<String, String> innerNames(ModelGraph inner) {
            Map<String, String> names = new HashMap<>();
            for (Layer il : inner.layers()) {
                if (il.isInput()) continue;
                String name = il.name();
                if (taken.contains(name)) {
                    String base = inner.name() + "_" + name;
                    name = base;
                    for (int i = 1; taken.contains(name); i++) name = base + "_" + i;
                }
                taken.add(name);
                names.put(il.name(), name);
            }
            return names;
        }

        private static List<TensorRef> resolve(List<TensorRef> refs, Map<TensorRef, TensorRef> scope) {
            List<TensorRef> out = new ArrayList<>();
            for (TensorRef r : refs) out.add(resolve(r, scope));
            return out;
        }

        private static TensorRef resolve(TensorRef r, Map<TensorRef, TensorRef> scope) {
            TensorRef direct = scope.get(r);
            if (direct != null) return direct;
            TensorRef node = scope.get(new TensorRef(r.layer(), r.node(), -1));
            if (node != null) return new TensorRef(node.layer(), node.node(), r.tensor());
            TensorRef input = scope.get(TensorRef.of(r.layer()));
            if (input != null && r.node() == 0) return new TensorRef(input.layer(), input.node(), r.tensor());
            throw new IllegalStateException("unresolved tensor " + r);
        }
    }
}
