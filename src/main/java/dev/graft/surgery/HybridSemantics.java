package dev.graft.surgery;

import dev.graft.GraftInfo;
import dev.graft.model.KerasVersionMeaning;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import java.util.List;

/**
 * Which Keras a hybrid's layers mean. A hybrid file says Keras 2 ({@code graft} as its producer), which is what every
 * layer means except those Keras 3 computes differently ({@link KerasVersionMeaning}: {@code hard_sigmoid}, which Keras 3
 * redefined as relu6(x+3)/6 instead of clip(0.2x+0.5), and attention with Keras 3's explicit softmax). A hybrid whose
 * Keras 3 donor has one keeps that donor's Keras 3 version (the file then says Keras 3, as a converted model does), or
 * those layers would compute Keras 2's numbers; donors meaning both versions cannot share one file.
 */
final class HybridSemantics {
    private HybridSemantics() {
    }

    /** The source a hybrid of {@code donors} (flattened, in Keras form) records; {@code paths} name them in a refusal. */
    static SourceInfo sourceOf(List<ModelGraph> donors, List<String> paths) {
        String keras3Version = null;
        String keras3Use = null;
        String keras2Use = null;
        for (int i = 0; i < donors.size(); i++) {
            ModelGraph d = donors.get(i);
            KerasVersionMeaning meaning = KerasVersionMeaning.firstOf(d);
            if (meaning == null) continue;
            String layer = "layer '" + meaning.layer() + "' of " + paths.get(i);
            if (d.source() != null && d.source().kerasMajor() >= 3) {
                keras3Use = keras3Use == null ? layer + " Keras 3's " + meaning.keras3Meaning() : keras3Use;
                keras3Version = keras3Version == null ? d.source().producerVersion() : keras3Version;
            } else {
                keras2Use = keras2Use == null ? layer + " uses Keras 1/2's " + meaning.keras2Meaning() : keras2Use;
            }
        }
        if (keras3Use != null && keras2Use != null) {
            throw new MergeException(keras2Use + " and " + keras3Use + ": one model file cannot mean both");
        }
        if (keras3Use != null) return new SourceInfo(null, ModelFormat.KERAS_H5, "keras", keras3Version, null, -1);
        return new SourceInfo(null, ModelFormat.KERAS_H5, "graft", GraftInfo.VERSION, null, -1);
    }
}
