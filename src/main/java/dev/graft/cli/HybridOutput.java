package dev.graft.cli;

import dev.graft.engine.AdaptedZip;
import dev.graft.engine.HybridZip;
import dev.graft.format.keras.KerasModelWriter;
import dev.graft.surgery.AdaptPlan;
import dev.graft.surgery.MergePlan;
import dev.graft.surgery.OutputTarget;

/**
 * Writes a planned model (a merge's hybrid, an adapted model) in the requested format. Both
 * commands choose the format here, so a format added once serves both. A plan is one Keras graph
 * whatever its donors were ({@link dev.graft.surgery.SplicedModels}), so every format writes the
 * same layers. The engine starts only for a DL4J zip.
 */
final class HybridOutput {
    private HybridOutput() {
    }

    static void write(MergePlan plan, OutputTarget target) {
        if (target.format().isKeras()) KerasModelWriter.write(plan.hybrid(), target);
        else HybridZip.write(plan, target.path());
    }

    static void write(AdaptPlan plan, OutputTarget target) {
        if (target.format().isKeras()) KerasModelWriter.write(plan.adapted(), target);
        else AdaptedZip.write(plan, target.path());
    }
}
