package dev.graft.engine;

import dev.graft.format.dl4j.Dl4jNetworks;
import dev.graft.surgery.AdaptPlan;
import dev.graft.surgery.Flattener;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Writes an adapted model as a DL4J ComputationGraph zip. A Keras source's adapted graph is built
 * on the engine as it is; a DL4J source is cut on the engine ({@link Dl4jCut}), its vertices and
 * parameters copied as they are.
 */
public final class AdaptedZip {
    private AdaptedZip() {
    }

    public static void write(AdaptPlan plan, Path out) {
        EngineModel model = build(plan);
        HybridZip.fixSeeds(model.graph(), plan.provenance().path("seed").asLong(42));
        model.writeZip(out, plan.provenance());
    }

    /** The adapted model on the engine. */
    public static EngineModel build(AdaptPlan plan) {
        if (!plan.source().isDl4j()) {
            EngineModel m = EngineModel.ofKeras(plan.adapted());
            // DL4J's Keras import reads no "trainable": the layers --freeze names are frozen here, as a
            // feature extractor, on a copy of the network with the same parameters.
            Set<String> frozen = new HashSet<>(frozen(plan));
            frozen.retainAll(m.graph().getConfiguration().getVertices().keySet());
            if (frozen.isEmpty()) return m;
            Set<String> all = new HashSet<>(m.graph().getConfiguration().getVertices().keySet());
            all.addAll(m.graph().getConfiguration().getNetworkInputs());
            EngineModel refrozen = Dl4jCut.cut(m.graph(), all, m.outputNames().get(0), frozen);
            return EngineModel.of(refrozen.graph(), m.inputs(), m.outputs());
        }
        if (!plan.additions().stream().allMatch(a -> a.layers().isEmpty()) || plan.source().cut().from() != null) {
            throw new EngineException(plan.source().path() + ": a DL4J network is cut here with --until or --drop-last only;"
                    + " a new input, bridge or head on a DL4J source is not supported yet (cut it to a .zip, then merge)");
        }
        ComputationGraph source = Dl4jNetworks.restore(plan.source().path());
        Set<String> kept = new HashSet<>(plan.kept());
        plan.adapted().inputs().forEach(r -> kept.add(r.layer()));
        return Dl4jCut.cut(source, kept, plan.adapted().outputs().get(0).layer(), frozen(plan));
    }

    /** The kept layers adapt froze (trainable in the source, not in the plan). */
    private static Set<String> frozen(AdaptPlan plan) {
        Set<String> frozen = new HashSet<>();
        var source = Flattener.flatten(plan.source().model());
        for (String name : plan.kept()) {
            var before = source.layer(name);
            var after = plan.adapted().layer(name);
            if (before != null && after != null && before.trainable() && !after.trainable()) frozen.add(name);
        }
        return frozen;
    }
}
