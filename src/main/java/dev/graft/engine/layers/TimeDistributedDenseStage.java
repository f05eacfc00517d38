package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.layers.recurrent.TimeDistributedLayer;

/**
 * The heap stage of a Dense layer applied to every step of a sequence ({@link SequenceTimeDistributed}, DL4J's
 * {@link TimeDistributed} of a {@link DenseLayer}, steps-outer NWC as the Keras import makes it; a merge's {@code dense:N}
 * bridge between sequence layers): in Keras's {@code (steps, features)} layout a batch's steps are {@code rows · steps}
 * rows of one Dense layer, which is what DL4J's layer computes after reshaping them so. The arithmetic is
 * {@link DenseStage}'s.
 */
public final class TimeDistributedDenseStage {
    private TimeDistributedDenseStage() {
    }

    /** The stage for a time-distributed Dense layer computed on the heap, or null. */
    public static HeapStage of(HeapStageSource source) {
        if (!(source.layer() instanceof TimeDistributed td) || td.getRnnDataFormat() != RNNFormat.NWC) return null;
        if (!(td.getUnderlying() instanceof DenseLayer conf) || conf.getClass() != DenseLayer.class || conf.hasLayerNorm()) return null;
        if (!(source.runtime() instanceof TimeDistributedLayer runtime) || !HeapStageChecks.plainVertex(source.vertex())) return null;
        if (!HeapStageChecks.keepsEverything(td.getIDropout()) || !HeapStageChecks.plain(conf)) return null;
        int[] shape = source.inputShape();
        if (shape == null || shape.length != 2) return null;
        HeapStageSource inner = new HeapStageSource(source.name(), source.vertex(), conf, runtime.getUnderlying(), source.learns(), new int[] {shape[1]},
                source.random());
        return DenseStage.of(inner, conf, shape[1], shape[0], new int[] {shape[0], 0});
    }
}
