package dev.graft.engine.layers;

import java.util.List;
import java.util.function.Function;

/** The {@link HeapStage} that computes a vertex in heap training, from the families that have one. */
public final class HeapStages {
    private HeapStages() {
    }

    /** Each family's factory: returns null for a vertex it does not compute exactly. */
    private static final List<Function<HeapStageSource, HeapStage>> FAMILIES = List.of(
            DenseStage::of,
            ChannelsLastConv2DStage::of,
            ChannelsLastMaxPooling2DStage::of,
            ChannelsLastFlattenStage::of,
            InvertedDropoutStage::of,
            ChannelsLastAveragePooling2DStage::of,
            ChannelsLastConv1DStage::of,
            MaxPooling1DStage::of,
            TimeDistributedDenseStage::of,
            LstmStage::of
    );

    /** The stage that computes the vertex exactly, or null (the network then keeps the engine's step). */
    public static HeapStage of(HeapStageSource source) {
        for (Function<HeapStageSource, HeapStage> family : FAMILIES) {
            HeapStage stage = family.apply(source);
            if (stage != null) return stage;
        }
        return null;
    }
}
