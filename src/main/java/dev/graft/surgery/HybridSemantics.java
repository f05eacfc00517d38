package dev.graft.surgery;

import dev.graft.GraftInfo;
import dev.graft.model.HardSigmoidUse;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import java.util.List;

/**
 * Which Keras a hybrid's layers mean. A hybrid file says Keras 2 ({@code graft} as its producer), which is what every
 * layer means except one: Keras 3 redefined {@code hard_sigmoid} (relu6(x+3)/6 instead of clip(0.2x+0.5)). A hybrid whose
 * Keras 3 donor uses it keeps that donor's Keras 3 version (the file then says Keras 3, as a converted model does), or its
 * hard_sigmoid layers would compute Keras 2's function; donors meaning both definitions cannot share one file.
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
            String layer = HardSigmoidUse.firstLayer(d);
            if (layer == null) continue;
            String use = "layer '" + layer + "' of " + paths.get(i);
            if (d.source() != null && d.source().kerasMajor() >= 3) {
                keras3Use = keras3Use == null ? use : keras3Use;
                keras3Version = keras3Version == null ? d.source().producerVersion() : keras3Version;
            } else {
                keras2Use = keras2Use == null ? use : keras2Use;
            }
        }
        if (keras3Use != null && keras2Use != null) {
            throw new MergeException(keras2Use + " uses Keras 1/2's hard_sigmoid (clip(0.2x+0.5)) and " + keras3Use
                    + " Keras 3's (relu6(x+3)/6): one model file cannot mean both");
        }
        if (keras3Use != null) return new SourceInfo(null, ModelFormat.KERAS_H5, "keras", keras3Version, null, -1);
        return new SourceInfo(null, ModelFormat.KERAS_H5, "graft", GraftInfo.VERSION, null, -1);
    }
}
