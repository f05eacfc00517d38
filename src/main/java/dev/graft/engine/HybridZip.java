package dev.graft.engine;

import dev.graft.surgery.MergePlan;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a planned hybrid as a DL4J ComputationGraph zip by compiling the same hybrid graph the
 * plan writes as {@code .h5} ({@link MergePlan#hybrid()}): one splice, so a {@code .zip} and an
 * {@code .h5} of the same plan hold the same layers and bridge weights and compute the same. Every
 * donor is in that plan in Keras form ({@link dev.graft.surgery.SplicedModels}: a DL4J donor as its
 * translation, built from its parsed graph; a Keras 1 donor as its Keras 2 upgrade); frozen donors
 * are frozen on the engine as DL4J records it.
 */
public final class HybridZip {
    private HybridZip() {
    }

    public static void write(MergePlan plan, Path out) {
        EngineModel hybrid = compiled(plan);
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
}
