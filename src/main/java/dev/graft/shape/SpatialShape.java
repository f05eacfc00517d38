package dev.graft.shape;

import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * An image-like or sequence tensor split into batch, channel and spatial axes according to its
 * data format, so convolution, pooling and resizing rules can work on the spatial axes alone.
 */
final class SpatialShape {
    private static final String[][] AXIS_NAMES = {
        {},
        {"steps"},
        {"height", "width"},
        {"depth", "height", "width"},
    };

    final Long batch;
    final Long channels;
    final List<Long> spatial;

    SpatialShape(Long batch, Long channels, List<Long> spatial) {
        this.batch = batch;
        this.channels = channels;
        this.spatial = nullable(spatial);
    }

    /** Splits {@code shape}, failing with the expected layout when the rank is wrong. */
    static SpatialShape split(InferenceCall call, Shape shape, int spatialRank, DataFormat format) {
        call.requireRank(shape, spatialRank + 2, layout(spatialRank, format, ""));
        List<Long> d = shape.dims();
        if (format == DataFormat.CHANNELS_LAST) {
            return new SpatialShape(d.get(0), d.get(d.size() - 1), d.subList(1, d.size() - 1));
        }
        return new SpatialShape(d.get(0), d.get(1), d.subList(2, d.size()));
    }

    /** The axes in order, e.g. {@code (batch, height, width, channels)}; {@code extra} goes after batch. */
    static String layout(int spatialRank, DataFormat format, String extra) {
        StringBuilder sb = new StringBuilder("(batch, ").append(extra);
        if (format == DataFormat.CHANNELS_FIRST) sb.append("channels, ");
        for (String name : AXIS_NAMES[spatialRank]) sb.append(name).append(", ");
        if (format == DataFormat.CHANNELS_LAST) sb.append("channels, ");
        sb.setLength(sb.length() - 2);
        return sb.append(")").toString();
    }

    SpatialShape withSpatial(List<Long> newSpatial) {
        return new SpatialShape(batch, channels, newSpatial);
    }

    SpatialShape withChannels(Long newChannels) {
        return new SpatialShape(batch, newChannels, spatial);
    }

    Shape toShape(DataFormat format) {
        List<Long> d = new ArrayList<>();
        d.add(batch);
        if (format == DataFormat.CHANNELS_FIRST) d.add(channels);
        d.addAll(spatial);
        if (format == DataFormat.CHANNELS_LAST) d.add(channels);
        return Shape.of(d);
    }

    // List.copyOf rejects nulls, and unknown dimensions are nulls.
    private static List<Long> nullable(List<Long> dims) {
        return java.util.Collections.unmodifiableList(new ArrayList<>(dims));
    }
}
