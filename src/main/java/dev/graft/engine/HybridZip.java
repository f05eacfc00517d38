package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.format.dl4j.Dl4jZipWriter;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.surgery.Donor;
import dev.graft.surgery.Junction;
import dev.graft.surgery.MergePlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a planned hybrid as a DL4J ComputationGraph zip: each donor becomes an engine network
 * (Keras donors through the Keras import, DL4J donors as they are), and the splicer joins them
 * through the bridges the plan drew, so a {@code .zip} and an {@code .h5} of the same plan hold
 * the same bridge weights.
 */
public final class HybridZip {
    private HybridZip() {
    }

    public static void write(MergePlan plan, Path out) {
        List<SpliceDonor> donors = new ArrayList<>();
        for (int i = 0; i < plan.donors().size(); i++) {
            Donor d = plan.donors().get(i);
            EngineModel m = d.model().source() != null && d.model().source().format() == ModelFormat.DL4J_ZIP
                    ? EngineModel.ofDl4j(d.path()) : EngineModel.ofKeras(d.model());
            donors.add(new SpliceDonor(m, plan.renames().get(i), plan.frozen(i)));
        }
        List<SpliceBridge> bridges = new ArrayList<>();
        for (Junction j : plan.junctions()) bridges.add(bridge(j));
        EngineModel hybrid = GraphSplicer.splice(donors, bridges);
        fixSeeds(hybrid.graph(), plan.provenance().path("seed").asLong(42));
        Dl4jZipWriter.write(hybrid.graph(), out, plan.provenance());
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

    private static SpliceBridge bridge(Junction j) {
        if (j.layers().isEmpty()) return SpliceBridge.direct("junction" + j.index());
        Layer l = j.layers().get(0);
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
