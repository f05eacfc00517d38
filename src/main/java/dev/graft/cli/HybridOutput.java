package dev.graft.cli;

import dev.graft.engine.HybridZip;
import dev.graft.format.keras.KerasModelWriter;
import dev.graft.surgery.MergePlan;
import dev.graft.surgery.OutputTarget;

/** Writes a planned hybrid in the requested format. The engine starts only for a DL4J zip. */
final class HybridOutput {
    private HybridOutput() {
    }

    static void write(MergePlan plan, OutputTarget target) {
        if (target.format().isKeras()) KerasModelWriter.write(KerasOnly.check(plan), target);
        else HybridZip.write(plan, target.path());
    }
}
