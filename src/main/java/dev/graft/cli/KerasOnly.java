package dev.graft.cli;

import dev.graft.GraftException;
import dev.graft.format.ModelFileException;
import dev.graft.format.dl4j.Dl4jToKeras;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.AdaptPlan;
import dev.graft.surgery.Donor;
import dev.graft.surgery.MergePlan;

/** A Keras file can hold only Keras layers: a hybrid with a DL4J donor that has no Keras translation goes to a zip. */
final class KerasOnly {
    private KerasOnly() {
    }

    static ModelGraph check(MergePlan plan) {
        for (int i = 0; i < plan.donors().size(); i++) {
            Donor d = plan.donors().get(i);
            String first = plan.layersByDonor().get(i).isEmpty() ? null : plan.layersByDonor().get(i).get(0);
            if (d.isDl4j() && Dl4jToKeras.isDl4jLayer(plan.hybrid().layer(first))) {
                // The planner kept this donor DL4J's: its translation refused a layer, and says which.
                try {
                    Dl4jToKeras.translate(d.model());
                } catch (ModelFileException e) {
                    throw new GraftException(d.path() + ": " + e.getMessage() + "; write the hybrid as .zip");
                }
            }
            if (d.model().source() != null && d.model().source().kerasMajor() == 1) {
                throw new GraftException(d.path() + ": written by Keras " + d.model().source().producerVersion()
                        + ", whose layer configurations a Keras 2 file cannot hold; write the hybrid as .zip");
            }
        }
        return plan.hybrid();
    }

    static ModelGraph check(AdaptPlan plan) {
        Donor d = plan.source();
        if (d.isDl4j()) {
            String layer = plan.kept().isEmpty() ? "?" : plan.kept().get(0);
            Layer l = plan.adapted().layer(layer);
            throw new GraftException(d.path() + ": layer '" + layer + "' (DL4J " + (l == null ? "layer" : l.className())
                    + ") cannot be expressed in a Keras .h5 file; write the adapted model as .zip");
        }
        if (d.model().source() != null && d.model().source().kerasMajor() == 1) {
            throw new GraftException(d.path() + ": written by Keras " + d.model().source().producerVersion()
                    + ", whose layer configurations a Keras 2 file cannot hold; write the adapted model as .zip");
        }
        return plan.adapted();
    }
}
