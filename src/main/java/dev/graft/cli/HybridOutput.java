package dev.graft.cli;

import dev.graft.GraftException;
import dev.graft.engine.AdaptedZip;
import dev.graft.engine.HybridZip;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.AdaptPlan;
import dev.graft.surgery.MergePlan;
import dev.graft.surgery.OutputTarget;
import java.io.IOException;

/**
 * Writes a planned model (a merge's hybrid, an adapted model) in the requested format. Both
 * commands choose the format here, so a format added once serves both. The engine starts only
 * for a DL4J zip.
 */
final class HybridOutput {
    private HybridOutput() {
    }

    static void write(MergePlan plan, OutputTarget target) {
        if (target.format() == OutputTarget.Format.ZIP) {
            HybridZip.write(plan, target.path());
        } else {
            writeKeras(KerasOnly.check(plan), target);
        }
    }

    static void write(AdaptPlan plan, OutputTarget target) {
        if (target.format() == OutputTarget.Format.ZIP) {
            AdaptedZip.write(plan, target.path());
        } else {
            writeKeras(KerasOnly.check(plan), target);
        }
    }

    /** A Keras model graph, in the Keras format the target names. */
    private static void writeKeras(ModelGraph model, OutputTarget target) {
        try {
            KerasH5Writer.write(model, target.path());
        } catch (IOException e) {
            throw new GraftException(target.path() + ": cannot write: " + e.getMessage(), e);
        }
    }
}
