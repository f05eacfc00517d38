package dev.graft.shape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;

/** Layers that grow or shrink the spatial axes by fixed amounts: padding, cropping, up-sampling, resizing. */
final class ResizingRules {
    private ResizingRules() {}

    static void register(RuleRegistry r) {
        r.add(call -> pad(call, 1), "ZeroPadding1D");
        r.add(call -> pad(call, 2), "ZeroPadding2D");
        r.add(call -> pad(call, 3), "ZeroPadding3D");
        r.add(call -> crop(call, 1), "Cropping1D");
        r.add(call -> crop(call, 2), "Cropping2D");
        r.add(call -> crop(call, 3), "Cropping3D");
        r.add(call -> upSample(call, 1), "UpSampling1D");
        r.add(call -> upSample(call, 2), "UpSampling2D");
        r.add(call -> upSample(call, 3), "UpSampling3D");
        r.add(ResizingRules::fixedSize, "Resizing", "CenterCrop");
    }

    private static List<Shape> pad(InferenceCall call, int rank) {
        DataFormat format = call.config().dataFormat();
        SpatialShape in = SpatialShape.split(call, call.onlyInput(), rank, format);
        long[][] pads = pairs(call, rank, "padding", 1);
        List<Long> spatial = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            Long d = in.spatial.get(i);
            spatial.add(d == null ? null : d + pads[i][0] + pads[i][1]);
        }
        return List.of(in.withSpatial(spatial).toShape(format));
    }

    private static List<Shape> crop(InferenceCall call, int rank) {
        DataFormat format = call.config().dataFormat();
        SpatialShape in = SpatialShape.split(call, call.onlyInput(), rank, format);
        // Keras defaults: Cropping1D (1, 1), Cropping2D nothing, Cropping3D 1 on each side.
        long[][] crops = pairs(call, rank, "cropping", rank == 2 ? 0 : 1);
        List<Long> spatial = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            Long d = in.spatial.get(i);
            Long out = d == null ? null : d - crops[i][0] - crops[i][1];
            if (out != null && out < 1) {
                throw call.error("crops " + (crops[i][0] + crops[i][1]) + " from spatial axis " + (i + 1)
                        + " of " + call.onlyInput() + ", which leaves nothing");
            }
            spatial.add(out);
        }
        return List.of(in.withSpatial(spatial).toShape(format));
    }

    /** {@code size} repeats each step/row/column; Keras 1's UpSampling1D calls it {@code length}. */
    private static List<Shape> upSample(InferenceCall call, int rank) {
        DataFormat format = call.config().dataFormat();
        SpatialShape in = SpatialShape.split(call, call.onlyInput(), rank, format);
        long[] size = call.config().tuple(rank, 2L, "size", "length");
        List<Long> spatial = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            Long d = in.spatial.get(i);
            spatial.add(d == null ? null : d * size[i]);
        }
        return List.of(in.withSpatial(spatial).toShape(format));
    }

    /** Image preprocessing layers that always produce {@code height x width} images. */
    private static List<Shape> fixedSize(InferenceCall call) {
        LayerConfig c = call.config();
        DataFormat format = c.dataFormat();
        SpatialShape in = SpatialShape.split(call, call.onlyInput(), 2, format);
        return List.of(in.withSpatial(List.of(c.requireLong("height"), c.requireLong("width"))).toShape(format));
    }

    /**
     * Per-axis (before, after) amounts. Keras accepts one int for all, one int per axis, or one pair
     * per axis; for 1D layers a two-int list is the (left, right) pair. Keras 1's ZeroPadding2D also
     * wrote a flat (top, bottom, left, right) list or a dict of {@code top_pad}, ... keys.
     */
    static long[][] pairs(InferenceCall call, int rank, String key, long fallback) {
        LayerConfig c = call.config();
        JsonNode v = c.get(key);
        long[][] out = new long[rank][2];
        if (v == null) {
            for (long[] p : out) p[0] = p[1] = fallback;
        } else if (v.isObject()) {
            String[][] names = rank == 1 ? new String[][] {{"left_pad", "right_pad"}}
                    : new String[][] {{"top_pad", "bottom_pad"}, {"left_pad", "right_pad"}};
            if (rank > 2) throw bad(call, key, v);
            for (int i = 0; i < rank; i++) {
                out[i][0] = v.path(names[i][0]).asLong(0);
                out[i][1] = v.path(names[i][1]).asLong(0);
            }
        } else if (!v.isArray()) {
            for (long[] p : out) p[0] = p[1] = integer(call, key, v);
        } else if (rank == 1 && v.size() == 2 && !v.get(0).isArray()) {
            out[0][0] = integer(call, key, v.get(0));
            out[0][1] = integer(call, key, v.get(1));
        } else if (v.size() == rank && v.get(0).isArray()) {
            for (int i = 0; i < rank; i++) {
                JsonNode p = v.get(i);
                if (!p.isArray() || p.size() != 2) throw bad(call, key, v);
                out[i][0] = integer(call, key, p.get(0));
                out[i][1] = integer(call, key, p.get(1));
            }
        } else if (v.size() == rank) {
            for (int i = 0; i < rank; i++) out[i][0] = out[i][1] = integer(call, key, v.get(i));
        } else if (rank == 2 && v.size() == 4) {
            for (int i = 0; i < 4; i++) out[i / 2][i % 2] = integer(call, key, v.get(i));
        } else {
            throw bad(call, key, v);
        }
        return out;
    }

    private static long integer(InferenceCall call, String key, JsonNode v) {
        if (!v.isIntegralNumber()) throw bad(call, key, v);
        return v.asLong();
    }

    private static ShapeInferenceException bad(InferenceCall call, String key, JsonNode v) {
        return call.error(key + " " + v + " is not an int, a list of ints or a list of (before, after) pairs");
    }
}
