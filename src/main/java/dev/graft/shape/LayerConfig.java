package dev.graft.shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Read access to a layer's {@code config} object that tolerates the three spellings found in real
 * files. Each getter takes several keys: the Keras 2/3 name first, then Keras 1 names (for example
 * {@code "units", "output_dim"}); the first key that is present and not {@code null} wins.
 * Keys Keras 3 adds ({@code module}, {@code registered_name}, a {@code dtype} object) are never read.
 */
final class LayerConfig {
    private final String className;
    private final JsonNode node;

    LayerConfig(String className, JsonNode node) {
        this.className = className;
        this.node = node == null || node.isNull() || node.isMissingNode()
                ? JsonNodeFactory.instance.objectNode() : node;
    }

    String className() {
        return className;
    }

    JsonNode json() {
        return node;
    }

    /** The value of the first key that is present and not JSON {@code null}, else {@code null}. */
    JsonNode get(String... keys) {
        for (String k : keys) {
            JsonNode v = node.get(k);
            if (v != null && !v.isNull()) return v;
        }
        return null;
    }

    boolean has(String... keys) {
        return get(keys) != null;
    }

    Long optLong(String... keys) {
        JsonNode v = get(keys);
        return v == null ? null : toLong(v, keys[0]);
    }

    long requireLong(String... keys) {
        Long v = optLong(keys);
        if (v == null) throw missing(keys);
        return v;
    }

    long longOr(long fallback, String... keys) {
        Long v = optLong(keys);
        return v == null ? fallback : v;
    }

    String string(String fallback, String... keys) {
        JsonNode v = get(keys);
        return v == null ? fallback : v.asText();
    }

    boolean bool(boolean fallback, String... keys) {
        JsonNode v = get(keys);
        return v == null ? fallback : v.asBoolean();
    }

    /**
     * A per-axis tuple such as {@code kernel_size}: Keras accepts one integer for every axis or a
     * list with one entry per axis, and files hold both forms. Absent means {@code fallback}.
     */
    long[] tuple(int rank, Long fallback, String... keys) {
        JsonNode v = get(keys);
        long[] out = new long[rank];
        if (v == null) {
            if (fallback == null) throw missing(keys);
            java.util.Arrays.fill(out, fallback);
        } else if (v.isArray()) {
            if (v.size() != rank) {
                throw new ShapeInferenceException(className + ": '" + keys[0] + "' should have "
                        + rank + " entr" + (rank == 1 ? "y" : "ies") + ", got " + v);
            }
            for (int i = 0; i < rank; i++) out[i] = toLong(v.get(i), keys[0]);
        } else {
            java.util.Arrays.fill(out, toLong(v, keys[0]));
        }
        return out;
    }

    /** A list of integers that may contain {@code null} (a target shape, a batch shape). */
    List<Long> longList(String key) {
        JsonNode v = get(key);
        if (v == null) return null;
        if (!v.isArray()) throw new ShapeInferenceException(className + ": '" + key + "' should be a list, got " + v);
        List<Long> out = new ArrayList<>();
        for (JsonNode e : v) out.add(e.isNull() ? null : toLong(e, key));
        return out;
    }

    /** {@code data_format} (Keras 2/3) or {@code dim_ordering} (Keras 1). */
    DataFormat dataFormat() {
        return DataFormat.parse(className, string(null, "data_format", "dim_ordering"));
    }

    /** {@code padding} (Keras 2/3) or {@code border_mode} (Keras 1). */
    Padding padding() {
        JsonNode v = get("padding", "border_mode");
        return Padding.parse(className, v == null ? null : v.asText());
    }

    /**
     * The layer a wrapper holds: {@code {"class_name": ..., "config": {...}}}, with Keras 3's extra
     * {@code module}/{@code registered_name} keys ignored.
     */
    LayerConfig wrapped(String key) {
        JsonNode inner = get(key);
        if (inner == null || !inner.has("class_name")) {
            throw new ShapeInferenceException(className + ": config has no wrapped layer under '" + key + "'");
        }
        return new LayerConfig(inner.get("class_name").asText(), inner.get("config"));
    }

    private long toLong(JsonNode v, String key) {
        if (v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) return v.asLong();
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
        }
        throw new ShapeInferenceException(className + ": '" + key + "' should be an integer, got " + v);
    }

    ShapeInferenceException missing(String... keys) {
        StringBuilder sb = new StringBuilder(className).append(": config has no '").append(keys[0]).append("'");
        if (keys.length > 1) {
            sb.append(" (nor ");
            for (int i = 1; i < keys.length; i++) {
                if (i > 1) sb.append(", ");
                sb.append("'").append(keys[i]).append("'");
            }
            sb.append(")");
        }
        return new ShapeInferenceException(sb.toString());
    }
}
