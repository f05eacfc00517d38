package dev.graft.surgery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftInfo;
import dev.graft.format.Json;
import dev.graft.model.DType;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import dev.graft.shape.Compatibility;
import dev.graft.shape.IndexInputs;
import dev.graft.shape.GraphShapes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Turns a merge request into a plan: checks every junction, chooses and builds the bridges, makes
 * layer names unique, freezes, and assembles the hybrid as one flat functional graph. Pure: reads
 * no files beyond the donors already loaded, writes nothing, needs no engine.
 */
public final class MergePlanner {
    private static final String[] ROLES = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"};

    private MergePlanner() {
    }

    public static String role(int index) {
        return index < ROLES.length ? ROLES[index] : "donor " + (index + 1);
    }

    public static MergePlan plan(MergeRequest req) {
        List<Donor> donors = req.donors();
        if (donors.size() < 2) throw new MergeException("merge needs at least two models");
        int junctionCount = donors.size() - 1;
        if (req.bridges().size() > 1 && req.bridges().size() != junctionCount) {
            throw new dev.graft.UsageException(req.bridges().size() + " --bridge options for " + junctionCount
                    + " junctions: give one per junction, in order, or one for all");
        }
        List<ModelGraph> models = new ArrayList<>();
        for (Donor d : donors) models.add(checkedDonor(d));
        models = castIfNeeded(donors, models, req.cast());

        List<Map<String, String>> renames = names(donors, models, req.prefixes());
        Set<String> used = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            for (Layer l : models.get(i).layers()) if (i == 0 || !l.isInput()) used.add(renames.get(i).getOrDefault(l.name(), l.name()));
        }

        List<Layer> layers = new ArrayList<>();
        List<Junction> junctions = new ArrayList<>();
        List<List<String>> layersByDonor = new ArrayList<>();
        TensorRef carry = null;
        ModelGraph previous = null;
        for (int i = 0; i < models.size(); i++) {
            ModelGraph g = GraphEdits.rename(models.get(i), renames.get(i));
            List<Layer> taken = new ArrayList<>();
            if (i == 0) {
                taken.addAll(g.layers());
            } else {
                BridgeSpec spec = req.bridges().isEmpty() ? null : req.bridges().get(req.bridges().size() == 1 ? 0 : i - 1);
                Junction j = junction(i, donors, previous, carry, g, spec, req.seed(), used);
                junctions.add(j);
                layers.addAll(j.layers());
                TensorRef bridged = j.layers().isEmpty() ? carry : TensorRef.of(j.layers().get(j.layers().size() - 1).name());
                List<Layer> rest = g.layers().stream().filter(l -> !l.isInput()).toList();
                taken.addAll(GraphEdits.redirect(rest, g.inputs().get(0), bridged));
            }
            if (req.freeze().frozen(i)) taken.replaceAll(l -> l.isInput() ? l : GraphEdits.freeze(l));
            layers.addAll(taken);
            layersByDonor.add(taken.stream().filter(l -> !l.isInput()).map(Layer::name).toList());
            carry = g.outputs().get(0);
            previous = g;
        }
        ModelGraph last = models.get(models.size() - 1);
        ObjectNode training = req.training().applyTo(last.trainingConfig());
        SourceInfo source = HybridSemantics.sourceOf(models, donors.stream().map(d -> d.path().toString()).toList());
        ModelGraph hybrid = new ModelGraph("graft_hybrid", "Model", layers, List.of(TensorRef.of(layers.get(0).name())),
                List.of(carry), training, null, source);
        ObjectNode provenance = provenance(req, junctions, renames, layersByDonor);
        return new MergePlan(hybrid.withProvenance(provenance), donors, junctions, renames, layersByDonor, provenance);
    }

    /**
     * A donor flattened, with the one input and one output a chain needs. Every donor enters in
     * Keras form ({@link SplicedModels}), so the hybrid is one Keras graph whatever it is written as.
     */
    private static ModelGraph checkedDonor(Donor d) {
        ModelGraph spliced = SplicedModels.of(d);
        ModelGraph g;
        try {
            g = d.cut().apply(Flattener.flatten(spliced), "input");
        } catch (MergeException e) {
            // Cuts are written inline after the file here (FILE:until=LAYER): say them that way.
            throw new MergeException(d.path() + ": " + e.getMessage().replaceFirst("^--(until|from|drop-last) ", "$1="));
        }
        if (g.inputs().size() != 1 || g.outputs().size() != 1) {
            throw new MergeException(d.path() + " has " + g.inputs().size() + " input(s) and " + g.outputs().size()
                    + " output(s); merge joins one output to one input");
        }
        Layer first = g.layer(g.inputs().get(0).layer());
        if (first == null || !first.isInput()) throw new MergeException(d.path() + ": its input is not an input layer");
        return g;
    }

    private static List<ModelGraph> castIfNeeded(List<Donor> donors, List<ModelGraph> models, DType cast) {
        Set<DType> types = new HashSet<>();
        List<DType> perDonor = new ArrayList<>();
        for (ModelGraph g : models) {
            DType t = GraphShapes.infer(g).dtype(g.outputs().get(0));
            perDonor.add(t);
            types.add(t);
        }
        if (cast == null) {
            if (types.size() > 1) {
                StringBuilder sb = new StringBuilder("donors compute in different float types (");
                for (int i = 0; i < donors.size(); i++) {
                    if (i > 0) sb.append(", ");
                    sb.append(donors.get(i).path()).append(": ").append(perDonor.get(i).kerasName());
                }
                throw new MergeException(sb.append("); give --cast float32 or --cast float64").toString());
            }
            return models;
        }
        List<ModelGraph> out = new ArrayList<>();
        for (ModelGraph g : models) out.add(Casting.cast(g, cast));
        return out;
    }

    /** Original to hybrid layer names: the chosen prefix for a whole donor, else a prefix only where names collide. */
    private static List<Map<String, String>> names(List<Donor> donors, List<ModelGraph> models, Map<Integer, String> prefixes) {
        List<Map<String, String>> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            Map<String, String> renames = new LinkedHashMap<>();
            String prefix = prefixes.get(i);
            for (Layer l : models.get(i).layers()) {
                if (i > 0 && l.isInput()) continue; // replaced by the junction
                String name = prefix != null ? prefix + l.name() : l.name();
                if (used.contains(name)) {
                    String base = (prefix != null ? prefix : donors.get(i).stem() + "_") + l.name();
                    name = base;
                    for (int k = 2; used.contains(name); k++) name = base + "_" + k;
                }
                used.add(name);
                if (!name.equals(l.name())) renames.put(l.name(), name);
            }
            out.add(renames);
        }
        return out;
    }

    private static Junction junction(int i, List<Donor> donors, ModelGraph prev, TensorRef carry, ModelGraph next, BridgeSpec spec,
                                     long seed, Set<String> used) {
        GraphShapes ps = GraphShapes.infer(prev);
        GraphShapes ns = GraphShapes.infer(next);
        TensorRef in = next.inputs().get(0);
        Shape from = ps.shape(carry);
        Shape to = ns.shape(in);
        String a = donors.get(i - 1).path().toString();
        String b = donors.get(i).path().toString();
        if (from == null) throw new MergeException(a + ": the shape of its output cannot be known (" + firstProblem(prev, ps) + ")");
        if (to == null) throw new MergeException(b + ": its input shape is unknown (the model was saved without one)");
        BridgeBuilder builder = new BridgeBuilder(a, from, b, to, new SplittableRandom(seed + i), used, i);
        List<Layer> bridge;
        boolean auto = spec != null && spec.auto();
        boolean indexInput = IndexInputs.feedsEmbedding(next, in);
        Compatibility.Result r = Compatibility.check(from, ps.dtype(carry), to, ns.dtype(in), indexInput);
        if (indexInput && ps.dtype(carry).isFloating()) {
            throw new MergeException(a + " gives " + from + " but " + b + " expects " + to + ": " + r.reason());
        }
        if (spec == null || spec.isNone()) {
            if (!r.fitsDirectly()) {
                String fix = r.bridge() != null ? "; add --bridge " + r.bridge() : " (" + r.reason() + ")";
                throw new MergeException(a + " gives " + from + " but " + b + " expects " + to + fix);
            }
            bridge = List.of();
        } else if (auto && r.fitsDirectly()) {
            bridge = List.of(); // nothing to bridge: auto adds no layer
        } else {
            bridge = builder.build(auto ? builder.auto() : spec, carry);
        }
        String label = bridge.isEmpty() ? "none" : builder.describe();
        return new Junction(i, carry.layer(), from, ps.dtype(carry), in.layer(), to, ns.dtype(in), label, auto, bridge);
    }

    private static String firstProblem(ModelGraph g, GraphShapes s) {
        for (Layer l : g.layers()) if (s.problem(l.name()) != null) return "layer '" + l.name() + "': " + s.problem(l.name());
        return "unknown layer";
    }

    private static ObjectNode provenance(MergeRequest req, List<Junction> junctions, List<Map<String, String>> renames,
                                         List<List<String>> layersByDonor) {
        ObjectNode p = Json.object();
        p.put("graft_version", GraftInfo.VERSION);
        p.put("command", req.command());
        ArrayNode donors = p.putArray("donors");
        for (int i = 0; i < req.donors().size(); i++) {
            Donor d = req.donors().get(i);
            ObjectNode o = donors.addObject();
            o.put("role", role(i));
            o.put("file", d.path().getFileName().toString()); // with the checksum: the same bytes wherever the donor lies
            o.put("sha256", d.sha256());
            if (!d.cut().isNone()) o.put("cut", d.cut().toString());
            SourceInfo s = d.model().source();
            if (s != null) {
                o.put("format", s.format() == null ? null : s.format().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
                o.put("producer", s.producer());
                o.put("producer_version", s.producerVersion());
            }
            ArrayNode ls = o.putArray("layers");
            layersByDonor.get(i).forEach(ls::add);
            ObjectNode rn = o.putObject("renamed");
            renames.get(i).forEach(rn::put);
            o.put("frozen", req.freeze().frozen(i));
        }
        ArrayNode bridges = p.putArray("bridges");
        for (Junction j : junctions) {
            ObjectNode b = bridges.addObject();
            b.put("junction", j.index());
            b.put("spec", j.bridge());
            b.put("from", j.fromShape().toString());
            b.put("to", j.toShape().toString());
            ArrayNode ls = b.putArray("layers");
            j.layers().forEach(l -> ls.add(l.name()));
            b.put("new_parameters", j.newParameters());
        }
        p.put("seed", req.seed());
        p.put("freeze", req.freeze().toString());
        p.put("cast", req.cast() == null ? null : req.cast().kerasName());
        return p;
    }
}
