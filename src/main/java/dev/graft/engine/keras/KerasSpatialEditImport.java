package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasSpatialEditLayer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for Keras 2 and 3's {@code Cropping1D/3D}, {@code ZeroPadding1D/3D}, nearest {@code
 * UpSampling1D/3D} and the channels-first {@code Cropping2D}, {@code ZeroPadding2D} and nearest {@code UpSampling2D},
 * handed over as {@code Graft} + the Keras class ({@link #KERAS_CLASSES}): graft's {@link KerasSpatialEditLayer} on
 * Keras's layout. Claimed: {@code cropping}/{@code padding} (one int, one per axis, or a (before, after) pair per axis;
 * for 1-d a two-int list is the pair), {@code size} (one int or one per axis; Keras 1's {@code length}), {@code
 * data_format}; {@code interpolation} only when nearest (bilinear and bicubic go to {@code KerasResizingImport}).
 */
public class KerasSpatialEditImport extends KerasLayer {
    /** The Keras classes this plug-in computes; each is registered as {@code "Graft" + class}. */
    public static final Set<String> KERAS_CLASSES = Set.of("Cropping1D", "Cropping2D", "Cropping3D", "ZeroPadding1D", "ZeroPadding2D",
            "ZeroPadding3D", "UpSampling1D", "UpSampling2D", "UpSampling3D");
    public static final String PREFIX = "Graft";
    private static final Set<String> CLAIMED = Set.of("cropping", "padding", "size", "length", "data_format", "dim_ordering");
    private static final Map<String, Object> HARMLESS = Map.of("interpolation", "nearest");

    public static void register() {
        for (String c : KERAS_CLASSES) KerasLayer.registerCustomLayer(PREFIX + c, KerasSpatialEditImport.class);
    }

    public KerasSpatialEditImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        String kerasClass = String.valueOf(layerConfig.get("class_name")).substring(PREFIX.length());
        Map<String, Object> inner = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check(kerasClass, inner, CLAIMED, HARMLESS);
        int n = kerasClass.charAt(kerasClass.length() - 2) - '0';
        Object format = inner.get("data_format");
        boolean channelsFirst = "channels_first".equals(format);
        if (format != null && !channelsFirst && !"channels_last".equals(format)) {
            throw refusal(kerasClass, "data_format", format);
        }
        KerasSpatialEditLayer.Builder b = new KerasSpatialEditLayer.Builder().spatialRank(n).channelsFirst(channelsFirst).name(layerName);
        if (kerasClass.startsWith("UpSampling")) {
            Object size = inner.containsKey("size") ? inner.get("size") : inner.get("length");
            b.repeat(perAxis(kerasClass, "size", size == null ? 2 : size, n));
        } else {
            boolean crop = kerasClass.startsWith("Cropping");
            String key = crop ? "cropping" : "padding";
            long fallback = crop && n == 2 ? 0 : 1;
            long[][] pairs = pairs(kerasClass, key, inner.get(key), n, fallback);
            if (crop) b.crop(pairs[0], pairs[1]);
            else b.pad(pairs[0], pairs[1]);
        }
        try {
            this.layer = b.build();
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKerasConfigurationException(e.getMessage());
        }
    }

    private UnsupportedKerasConfigurationException refusal(String kerasClass, String key, Object value) {
        return new UnsupportedKerasConfigurationException("layer '" + layerName + "' (" + kerasClass + "): argument " + key + "=" + value
                + " is not computed by graft (non-negative ints per axis are)");
    }

    /** One int for every axis or one per axis. */
    private long[] perAxis(String kerasClass, String key, Object v, int n) throws UnsupportedKerasConfigurationException {
        long[] out = new long[n];
        if (v instanceof Number x) {
            Arrays.fill(out, integer(kerasClass, key, x));
        } else if (v instanceof List<?> l && l.size() == n) {
            for (int i = 0; i < n; i++) out[i] = integer(kerasClass, key, l.get(i));
        } else {
            throw refusal(kerasClass, key, v);
        }
        return out;
    }

    /** (before[], after[]) per axis from Keras's forms: one int, one per axis, a (before, after) pair per axis. */
    private long[][] pairs(String kerasClass, String key, Object v, int n, long fallback) throws UnsupportedKerasConfigurationException {
        long[][] out = new long[2][n];
        if (v == null) {
            Arrays.fill(out[0], fallback);
            Arrays.fill(out[1], fallback);
        } else if (v instanceof List<?> l && n == 1 && l.size() == 2 && !(l.get(0) instanceof List<?>)) {
            out[0][0] = integer(kerasClass, key, l.get(0));
            out[1][0] = integer(kerasClass, key, l.get(1));
        } else if (v instanceof List<?> l && l.size() == n && l.get(0) instanceof List<?>) {
            for (int i = 0; i < n; i++) {
                if (!(l.get(i) instanceof List<?> p) || p.size() != 2) throw refusal(kerasClass, key, v);
                out[0][i] = integer(kerasClass, key, p.get(0));
                out[1][i] = integer(kerasClass, key, p.get(1));
            }
        } else {
            long[] each = perAxis(kerasClass, key, v, n);
            out[0] = each;
            out[1] = each.clone();
        }
        return out;
    }

    private long integer(String kerasClass, String key, Object v) throws UnsupportedKerasConfigurationException {
        if (v instanceof Number x && x.doubleValue() == Math.rint(x.doubleValue()) && x.longValue() >= 0) return x.longValue();
        throw refusal(kerasClass, key, v);
    }

    @Override
    public int getNumParams() {
        return 0;
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) throw new InvalidKerasConfigurationException("layer " + layerName + " takes one input");
        try {
            return ((KerasSpatialEditLayer) layer).getOutputType(-1, inputType[0]);
        } catch (IllegalStateException e) {
            throw new InvalidKerasConfigurationException(e.getMessage(), e);
        }
    }
}
