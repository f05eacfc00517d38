package dev.graft.shape;

import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Max and average pooling over windows, and global pooling over all spatial axes. */
final class PoolingRules {
    private PoolingRules() {}

    static void register(RuleRegistry r) {
        r.add(call -> windowed(call, 1), "MaxPooling1D", "AveragePooling1D", "MaxPool1D", "AvgPool1D");
        r.add(call -> windowed(call, 2), "MaxPooling2D", "AveragePooling2D", "MaxPool2D", "AvgPool2D");
        r.add(call -> windowed(call, 3), "MaxPooling3D", "AveragePooling3D", "MaxPool3D", "AvgPool3D");
        r.add(call -> global(call, 1), "GlobalMaxPooling1D", "GlobalAveragePooling1D",
                "GlobalMaxPool1D", "GlobalAvgPool1D");
        r.add(call -> global(call, 2), "GlobalMaxPooling2D", "GlobalAveragePooling2D",
                "GlobalMaxPool2D", "GlobalAvgPool2D");
        r.add(call -> global(call, 3), "GlobalMaxPooling3D", "GlobalAveragePooling3D",
                "GlobalMaxPool3D", "GlobalAvgPool3D");
    }

    /**
     * {@code pool_size} (Keras 1 1D: {@code pool_length}) defaults to 2 on every axis;
     * {@code strides} (Keras 1 1D: {@code stride}) defaults to the pool size, so windows don't overlap.
     */
    private static List<Shape> windowed(InferenceCall call, int rank) {
        LayerConfig c = call.config();
        long[] pool = c.tuple(rank, 2L, "pool_size", "pool_length");
        long[] strides = c.has("strides", "stride") ? c.tuple(rank, null, "strides", "stride") : pool.clone();
        Padding padding = c.padding();
        if (padding != Padding.VALID && padding != Padding.SAME) {
            throw call.error("cannot use '" + padding.keras() + "' padding: pooling allows valid or same");
        }
        DataFormat format = c.dataFormat();
        SpatialShape in = SpatialShape.split(call, call.onlyInput(), rank, format);
        List<Long> spatial = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            Long out = ConvArithmetic.poolOutputLength(in.spatial.get(i), pool[i], padding, strides[i]);
            if (out != null && out < 1) {
                throw call.error("input " + call.onlyInput() + " is too small: spatial axis " + (i + 1)
                        + " would have size " + out + " with pool size " + pool[i] + ", stride " + strides[i]
                        + " and '" + padding.keras() + "' padding");
            }
            spatial.add(out);
        }
        return List.of(in.withSpatial(spatial).toShape(format));
    }

    /** Reduces every spatial axis; {@code keepdims} (Keras 2.6+) keeps them with size 1. */
    private static List<Shape> global(InferenceCall call, int rank) {
        LayerConfig c = call.config();
        DataFormat format = c.dataFormat();
        SpatialShape in = SpatialShape.split(call, call.onlyInput(), rank, format);
        if (c.bool(false, "keepdims")) {
            return List.of(in.withSpatial(Collections.nCopies(rank, 1L)).toShape(format));
        }
        return List.of(Shape.of(in.batch, in.channels));
    }
}
