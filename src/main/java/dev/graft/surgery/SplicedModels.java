package dev.graft.surgery;

import dev.graft.GraftException;
import dev.graft.format.ModelFileException;
import dev.graft.format.dl4j.Dl4jToKeras;
import dev.graft.format.keras.Keras1Upgrade;
import dev.graft.model.ModelGraph;

/**
 * A donor as the Keras model graft splices: merge and adapt edit one kind of graph, which the
 * {@code .h5} writer and the engine (for {@code .zip}) compile alike, so the splice exists once. A
 * DL4J network enters as its Keras translation (built from its parsed graph, not re-read from its
 * path), a Keras 1 model as its Keras 2 upgrade (what the engine computes for it anyway); one that
 * has neither is refused with one line naming the file, the layer and the reason.
 */
public final class SplicedModels {
    private static final String ZIP_HINT = "; write the model as .zip";

    private SplicedModels() {
    }

    /**
     * @throws MergeException naming the donor's file and the layer that has no Keras form
     */
    public static ModelGraph of(Donor donor) {
        ModelGraph model = donor.model();
        if (Dl4jToKeras.isDl4j(model)) {
            try {
                return Dl4jToKeras.translate(model);
            } catch (ModelFileException e) {
                throw new MergeException(donor.path() + ": " + e.getMessage() + "; graft merges and adapts a DL4J network as its Keras translation");
            }
        }
        if (model.source() != null && model.source().kerasMajor() == 1) {
            try {
                return Keras1Upgrade.apply(model);
            } catch (GraftException e) {
                String why = e.getMessage().endsWith(ZIP_HINT) ? e.getMessage().substring(0, e.getMessage().length() - ZIP_HINT.length())
                        : e.getMessage();
                throw new MergeException(donor.path() + ": written by Keras " + model.source().producerVersion() + ": " + why
                        + "; graft merges and adapts a Keras 1 model as its Keras 2 upgrade");
            }
        }
        return model;
    }
}
