package dev.graft.engine;

import dev.graft.surgery.AdaptPlan;
import dev.graft.surgery.Flattener;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes an adapted model as a DL4J ComputationGraph zip: the adapted graph (Keras form, whatever
 * the source was: {@link dev.graft.surgery.SplicedModels}) built on the engine as it is, the layers
 * {@code --freeze} names frozen as a feature extractor. The same graph the {@code .h5} writer gets,
 * so a {@code .zip} and its {@code .h5} twin compute the same, in Keras layout.
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
        EngineModel m = EngineModel.ofKeras(plan.adapted());
        // DL4J's Keras import reads no "trainable": the layers --freeze names are frozen here, on a
        // copy of the network with the same parameters.
        Map<String, Boolean> frozen = frozen(plan);
        return frozen.isEmpty() ? m : FrozenDonors.apply(m, frozen);
    }

    /** The kept layers adapt froze (trainable in the source, not in the plan), each as a feature extractor. */
    private static Map<String, Boolean> frozen(AdaptPlan plan) {
        Map<String, Boolean> frozen = new HashMap<>();
        var source = Flattener.flatten(plan.source().model());
        for (String name : plan.kept()) {
            var before = source.layer(name);
            var after = plan.adapted().layer(name);
            if (before != null && after != null && before.trainable() && !after.trainable()) frozen.put(name, true);
        }
        return frozen;
    }
}
