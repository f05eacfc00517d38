package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.surgery.Donor;
import dev.graft.surgery.Junction;
import dev.graft.surgery.MergePlan;
import dev.graft.format.dl4j.Dl4jNetworks;
import dev.graft.format.dl4j.Dl4jToKeras;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.Flattener;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a planned hybrid as a DL4J ComputationGraph zip by compiling the same hybrid graph the
 * plan writes as {@code .h5} ({@link MergePlan#hybrid()}): one splice, so a {@code .zip} and an
 * {@code .h5} of the same plan hold the same layers and bridge weights and compute the same. DL4J
 * donors enter that plan as their Keras translation ({@link dev.graft.format.dl4j.Dl4jToKeras}),
 * built from their parsed graph; frozen donors are frozen on the engine as DL4J records it.
 *
 * <p>Two kinds of donor cannot enter one Keras graph, and only they still go through the
 * {@link GraphSplicer}, which joins separately built engine networks: a DL4J network with a layer
 * Keras has no equivalent for (Graves LSTMs, variational autoencoders, zips without an input
 * shape: its DL4J vertices are copied as they are), and a Keras 1 donor (the engine reads Keras 1
 * configurations only from a file that is Keras 1 throughout).
 */
public final class HybridZip {
    private HybridZip() {
    }

    public static void write(MergePlan plan, Path out) {
        EngineModel hybrid = needsSplicer(plan) ? spliced(plan) : compiled(plan);
        fixSeeds(hybrid.graph(), plan.provenance().path("seed").asLong(42));
        hybrid.writeZip(out, plan.provenance());
    }

    /** The plan's hybrid graph on the engine, its frozen donors frozen. */
    static EngineModel compiled(MergePlan plan) {
        EngineModel hybrid = EngineModel.ofKeras(plan.hybrid());
        Map<String, Boolean> frozen = new HashMap<>();
        for (int i = 0; i < plan.donors().size(); i++) {
            if (!plan.frozen(i)) continue;
            for (String layer : plan.layersByDonor().get(i)) frozen.put(layer, i == 0);
        }
        return frozen.isEmpty() ? hybrid : FrozenDonors.apply(hybrid, frozen);
    }

    /** Whether a donor cannot enter the plan's one Keras graph (see the class comment). */
    static boolean needsSplicer(MergePlan plan) {
        for (int i = 0; i < plan.donors().size(); i++) {
            Donor d = plan.donors().get(i);
            if (d.model().source() != null && d.model().source().kerasMajor() == 1) return true;
            List<String> layers = plan.layersByDonor().get(i);
            if (isDl4j(d) && !layers.isEmpty() && Dl4jToKeras.isDl4jLayer(plan.hybrid().layer(layers.get(0)))) return true;
        }
        return false;
    }

    private static EngineModel spliced(MergePlan plan) {
        boolean anyDl4j = plan.donors().stream().anyMatch(HybridZip::isDl4j);
        if (!anyDl4j && plan.junctions().stream().anyMatch(j -> !spliceable(j))) {
            // A chain of bridge layers (flatten, pooling, dropout, ...): every donor is Keras, so
            // the hybrid graph the plan drew is built on the engine as it is.
            return EngineModel.ofKeras(plan.hybrid());
        }
        for (Junction j : plan.junctions()) {
            if (!spliceable(j)) {
                throw new EngineException("junction " + j.index() + ": bridge " + j.bridge() + " joins a DL4J donor only as one step"
                        + " (reshape, flatten or dense:N); use one of those");
            }
        }
        List<SpliceDonor> donors = new ArrayList<>();
        for (int i = 0; i < plan.donors().size(); i++) {
            Donor d = plan.donors().get(i);
            EngineModel m = donorModel(d);
            donors.add(new SpliceDonor(m, plan.renames().get(i), plan.frozen(i)));
        }
        List<SpliceBridge> bridges = new ArrayList<>();
        for (Junction j : plan.junctions()) bridges.add(bridge(j));
        return GraphSplicer.splice(donors, bridges);
    }

    /**
     * DL4J seeds every layer configuration it creates from the clock; recording the merge's seed
     * instead makes the same command give the same zip.
     */
    static void fixSeeds(org.deeplearning4j.nn.graph.ComputationGraph graph, long seed) {
        var conf = graph.getConfiguration();
        conf.getDefaultConfiguration().setSeed(seed);
        for (var v : conf.getVertices().values()) {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) lv.getLayerConf().setSeed(seed);
        }
    }

    /** A donor on the engine, cut as the merge asked. */
    private static EngineModel donorModel(Donor d) {
        if (d.cut().isNone()) return isDl4j(d) ? EngineModel.ofDl4j(d.path()) : EngineModel.ofKeras(d.model());
        ModelGraph cut = d.cut().apply(Flattener.flatten(d.model()), "input");
        if (!isDl4j(d)) return EngineModel.ofKeras(cut);
        if (d.cut().from() != null) {
            throw new EngineException(d.path() + ": a DL4J donor is cut with until= or drop-last= only; from= is not supported yet");
        }
        Set<String> kept = new HashSet<>();
        cut.layers().forEach(l -> kept.add(l.name()));
        return Dl4jCut.cut(Dl4jNetworks.restore(d.path()), kept, cut.outputs().get(0).layer(), Set.of());
    }

    private static boolean isDl4j(Donor d) {
        return d.model().source() != null && d.model().source().format() == ModelFormat.DL4J_ZIP;
    }

    /** Junctions the splicer joins itself: none, or one Reshape, Flatten or Dense layer. */
    private static boolean spliceable(Junction j) {
        if (j.layers().isEmpty()) return true;
        if (j.layers().size() > 1) return false;
        String c = j.layers().get(0).className();
        return c.equals("Reshape") || c.equals("Flatten") || c.equals("Dense") || c.equals("Conv1D");
    }

    private static SpliceBridge bridge(Junction j) {
        if (j.layers().isEmpty()) return SpliceBridge.direct("junction" + j.index());
        Layer l = j.layers().get(0);
        if ("Flatten".equals(l.className())) {
            long n = j.fromShape().elementsPerSample();
            return SpliceBridge.reshape(l.name(), List.of(n));
        }
        if ("Reshape".equals(l.className())) {
            List<Long> target = new ArrayList<>();
            for (JsonNode d : l.config().path("target_shape")) target.add(d.asLong());
            return SpliceBridge.reshape(l.name(), target);
        }
        HostArray kernel = l.weights().get(0).read();
        long[] s = kernel.shape(); // (in, units), or (1, in, units) for a per-step Dense written as Conv1D
        HostArray k2 = kernel.reshape(s[s.length - 2], s[s.length - 1]);
        return SpliceBridge.dense(l.name(), l.config().path("activation").asText("linear"), k2, l.weights().get(1).read());
    }
}
