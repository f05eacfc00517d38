package dev.graft.cli;

import dev.graft.GraftException;
import dev.graft.engine.HybridZip;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.surgery.MergePlan;
import dev.graft.surgery.OutputTarget;
import java.io.IOException;

/** Writes a planned hybrid in the requested format. The engine starts only for a DL4J zip. */
final class HybridOutput {
    private HybridOutput() {
    }

    static void write(MergePlan plan, OutputTarget target) {
        try {
            if (target.format() == OutputTarget.Format.H5) KerasH5Writer.write(KerasOnly.check(plan), target.path());
            else HybridZip.write(plan, target.path());
        } catch (IOException e) {
            throw new GraftException(target.path() + ": cannot write: " + e.getMessage(), e);
        }
    }
}
