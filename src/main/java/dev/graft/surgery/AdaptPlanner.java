package dev.graft.surgery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftInfo;
import dev.graft.format.Json;
import dev.graft.model.DType;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import dev.graft.shape.Compatibility;
import dev.graft.shape.GraphShapes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Turns an adapt request into a plan: cut the source ({@link CutSpec}), bridge a new input into it,
 * append a head, bridge its output to a target shape, freeze. Only pure graph edits; the writers
 * execute the plan. The cut model computes exactly the source's tensor at the cut, with the
 * source's weights as they are.
 */
public final class AdaptPlanner {
    private AdaptPlanner() {
    }

    public static AdaptPlan plan(AdaptRequest req) {
        Donor src = req.source();
        String file = src.path().toString();
        ModelGraph spliced = SplicedModels.of(src);
        ModelGraph flat = Flattener.flatten(spliced);
        ModelGraph g;
        try {
            g = src.cut().apply(flat, "input");
        } catch (MergeException e) {
            throw new MergeException(file + ": " + e.getMessage());
        }
        if (g.outputs().size() != 1) {
            List<String> outs = g.outputs().stream().map(TensorRef::layer).toList();
            throw new MergeException(file + " has " + outs.size() + " outputs (" + String.join(", ", outs)
                    + "); adapt keeps one: choose it with --until LAYER");
        }
        int bridgesWanted = (req.fromShape() != null ? 1 : 0) + (req.toShape() != null ? 1 : 0);
        if (req.bridges().size() > Math.max(1, bridgesWanted)) {
            throw new MergeException(req.bridges().size() + " --bridge options for " + bridgesWanted
                    + " bridge" + (bridgesWanted == 1 ? "" : "s") + " (input side first, then output side): give one per bridge, or one for all");
        }
        if (!req.bridges().isEmpty() && bridgesWanted == 0) {
            throw new MergeException("--bridge " + req.bridges().get(0) + " needs a target: give --to-shape, --to-input-of, --from-shape or --from-output-of");
        }

        List<String> kept = g.layers().stream().filter(l -> !l.isInput()).map(Layer::name).toList();
        Set<String> keptSet = new HashSet<>(kept);
        List<String> removed = flat.layers().stream().filter(l -> !l.isInput() && !keptSet.contains(l.name())).map(Layer::name).toList();

        Set<String> used = new HashSet<>();
        g.layers().forEach(l -> used.add(l.name()));
        List<AdaptPlan.Addition> additions = new ArrayList<>();
        int bridgeIndex = 0;

        if (req.fromShape() != null) {
            if (g.inputs().size() != 1) {
                throw new MergeException(file + " has " + g.inputs().size() + " inputs; --from-shape and --from-output-of bridge into one");
            }
            TensorRef oldInput = g.inputs().get(0);
            Shape to = GraphShapes.infer(g).shape(oldInput);
            used.remove(oldInput.layer()); // replaced: its name is free again
            String inputName = unique("input", used);
            Layer newInput = KerasLayerFactory.input(inputName, req.fromShape().dims());
            BridgeSpec spec = pick(req.bridges(), bridgeIndex++);
            BridgeBuilder b = new BridgeBuilder(req.fromWhat(), req.fromShape(), file, to, new SplittableRandom(req.seed() + 1), used, "input_bridge_");
            Built built = build(b, spec, TensorRef.of(inputName), req.fromShape(), to);
            TensorRef feed = built.layers.isEmpty() ? TensorRef.of(inputName) : TensorRef.of(last(built.layers).name());
            List<Layer> layers = new ArrayList<>();
            layers.add(newInput);
            layers.addAll(built.layers);
            List<Layer> rest = g.layers().stream().filter(l -> !l.name().equals(oldInput.layer())).toList();
            layers.addAll(GraphEdits.redirect(rest, oldInput, feed));
            g = g.withLayers(layers, List.of(TensorRef.of(inputName)), g.outputs());
            additions.add(new AdaptPlan.Addition("input bridge", built.spec, built.auto, req.fromShape(), to, built.layers));
        }

        if (req.head() != null) {
            Shape at = outputShape(g, file);
            BridgeBuilder b = new BridgeBuilder(file, at, "the head", null, new SplittableRandom(req.seed() + 2), used, "head_");
            List<Layer> head = b.build(req.head(), g.outputs().get(0));
            g = append(g, head);
            additions.add(new AdaptPlan.Addition("head", req.head().toString(), false, at, outputShape(g, file), head));
        }

        if (req.toShape() != null) {
            Shape at = outputShape(g, file);
            BridgeSpec spec = pick(req.bridges(), req.bridges().size() > 1 ? bridgeIndex : 0);
            BridgeBuilder b = new BridgeBuilder(file, at, req.toWhat(), req.toShape(), new SplittableRandom(req.seed() + 3), used, "output_bridge_");
            Built built = build(b, spec, g.outputs().get(0), at, req.toShape());
            g = append(g, built.layers);
            additions.add(new AdaptPlan.Addition("output bridge", built.spec, built.auto, at, req.toShape(), built.layers));
        }

        g = freeze(g, req.freeze(), keptSet, file);
        ObjectNode provenance = provenance(req, kept, removed, additions);
        // The spliced source's identity stays: the engine computes every layer with the semantics of
        // the Keras that wrote it (or Keras 2's, for a Keras 1 upgrade or a DL4J translation), whatever file comes out.
        ModelGraph adapted = new ModelGraph(spliced.name(), "Model", g.layers(), g.inputs(), g.outputs(),
                req.training().applyTo(spliced.trainingConfig()), provenance, spliced.source());
        return new AdaptPlan(adapted, src, kept, removed, additions, provenance);
    }

    private record Built(List<Layer> layers, String spec, boolean auto) {
    }

    /** One bridge: none when the shapes join and the spec is auto (or none), else the chain. */
    private static Built build(BridgeBuilder b, BridgeSpec spec, TensorRef input, Shape from, Shape to) {
        Compatibility.Result r = Compatibility.check(from, DType.FLOAT32, to, DType.FLOAT32);
        if (spec.isNone()) {
            if (!r.fitsDirectly()) {
                throw new MergeException("--bridge none: " + from + " does not join " + to + (r.bridge() != null ? "; use --bridge " + r.bridge() : ""));
            }
            return new Built(List.of(), "none", false);
        }
        if (spec.auto()) {
            BridgeSpec chosen = b.auto();
            if (chosen.isNone()) return new Built(List.of(), "none", true);
            return new Built(b.build(chosen, input), chosen.toString(), true);
        }
        return new Built(b.build(spec, input), spec.toString(), false);
    }

    private static BridgeSpec pick(List<BridgeSpec> specs, int index) {
        if (specs.isEmpty()) return BridgeSpec.AUTO;
        return specs.get(specs.size() == 1 ? 0 : index);
    }

    private static ModelGraph append(ModelGraph g, List<Layer> added) {
        if (added.isEmpty()) return g;
        List<Layer> layers = new ArrayList<>(g.layers());
        layers.addAll(added);
        return g.withLayers(layers, g.inputs(), List.of(TensorRef.of(last(added).name())));
    }

    private static Shape outputShape(ModelGraph g, String file) {
        GraphShapes s = GraphShapes.infer(g);
        Shape shape = s.shape(g.outputs().get(0));
        if (shape == null) {
            String problem = s.problem(g.outputs().get(0).layer());
            throw new MergeException(file + ": the shape of its output '" + g.outputs().get(0).layer() + "' cannot be known"
                    + (problem == null ? "" : " (" + problem + ")"));
        }
        return shape;
    }

    private static ModelGraph freeze(ModelGraph g, AdaptFreeze freeze, Set<String> kept, String file) {
        Set<String> frozen = new LinkedHashSet<>();
        if (freeze.kept()) frozen.addAll(kept);
        for (String n : freeze.layers()) {
            if (kept.contains(n)) {
                frozen.add(n);
                continue;
            }
            Layer l = g.layer(n);
            if (l != null && !l.isInput()) {
                throw new MergeException("--freeze " + n + ": '" + n + "' is a layer adapt adds; new layers stay trainable");
            }
            List<String> near = Names.nearest(new ArrayList<>(kept), n, 3);
            throw new MergeException("--freeze " + n + ": " + file + " keeps no layer '" + n + "'" + (near.isEmpty() ? "" : "; nearest: " + String.join(", ", near)));
        }
        if (frozen.isEmpty()) return g;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : g.layers()) layers.add(frozen.contains(l.name()) ? GraphEdits.freeze(l) : l);
        return g.withLayers(layers, g.inputs(), g.outputs());
    }

    private static ObjectNode provenance(AdaptRequest req, List<String> kept, List<String> removed, List<AdaptPlan.Addition> additions) {
        ObjectNode p = Json.object();
        p.put("graft_version", GraftInfo.VERSION);
        p.put("command", req.command());
        ArrayNode donors = p.putArray("donors");
        ObjectNode o = donors.addObject();
        Donor d = req.source();
        o.put("role", "source");
        o.put("file", d.path().getFileName().toString()); // with the checksum: the same bytes wherever the source lies
        o.put("sha256", d.sha256());
        SourceInfo s = d.model().source();
        if (s != null) {
            o.put("format", s.format() == null ? null : s.format().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            o.put("producer", s.producer());
            o.put("producer_version", s.producerVersion());
        }
        o.put("cut", d.cut().toString());
        ArrayNode ls = o.putArray("layers");
        kept.forEach(ls::add);
        ArrayNode rm = o.putArray("removed");
        removed.forEach(rm::add);
        ArrayNode bridges = p.putArray("bridges");
        for (AdaptPlan.Addition a : additions) {
            ObjectNode b = bridges.addObject();
            b.put("role", a.role());
            b.put("spec", a.spec());
            b.put("from", a.from().toString());
            b.put("to", a.to().toString());
            ArrayNode al = b.putArray("layers");
            a.layers().forEach(l -> al.add(l.name()));
            b.put("new_parameters", a.newParameters());
        }
        p.put("seed", req.seed());
        p.put("freeze", req.freeze().toString());
        return p;
    }

    private static String unique(String base, Set<String> used) {
        String n = base;
        for (int k = 2; used.contains(n); k++) n = base + "_" + k;
        used.add(n);
        return n;
    }

    private static Layer last(List<Layer> layers) {
        return layers.get(layers.size() - 1);
    }
}
