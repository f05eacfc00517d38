package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasResizingLayer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for {@code Resizing}, handed over as {@value #KERAS_CLASS}, and for a bilinear or bicubic
 * {@code UpSampling2D}, handed over as {@value #UPSAMPLING_CLASS}: graft's {@link KerasResizingLayer}, TensorFlow's
 * definition of nearest, bilinear, bicubic and area resizing. Claimed for Resizing: {@code height}, {@code width}, {@code
 * interpolation} (nearest, bilinear, bicubic, area; lanczos3/5 are refused by name), {@code data_format}, {@code
 * crop_to_aspect_ratio}, {@code pad_to_aspect_ratio} with {@code fill_value} ({@code fill_mode} constant, the only mode
 * Keras's resize accepts); {@code antialias} only when false. For UpSampling2D: {@code size}, {@code interpolation},
 * {@code data_format}.
 */
public class KerasResizingImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftResizing";
    public static final String UPSAMPLING_CLASS = "GraftUpSampling2DResize";
    private static final Set<String> CLAIMED = Set.of("height", "width", "interpolation", "data_format", "crop_to_aspect_ratio",
            "pad_to_aspect_ratio", "fill_value", "size", "dim_ordering");
    private static final Map<String, Object> HARMLESS = Map.of("antialias", false, "fill_mode", "constant");
    private static final Set<String> COMPUTED = Set.of("nearest", "bilinear", "bicubic", "area");

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasResizingImport.class);
        KerasLayer.registerCustomLayer(UPSAMPLING_CLASS, KerasResizingImport.class);
    }

    public KerasResizingImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        boolean upSampling = UPSAMPLING_CLASS.equals(layerConfig.get("class_name"));
        String kerasClass = upSampling ? "UpSampling2D" : "Resizing";
        Map<String, Object> inner = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check(kerasClass, inner, CLAIMED, HARMLESS);
        String interpolation = String.valueOf(inner.getOrDefault("interpolation", upSampling ? "nearest" : "bilinear"));
        if (!COMPUTED.contains(interpolation)) {
            throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (" + kerasClass + "): argument interpolation=" + interpolation
                    + " is not computed by graft (nearest, bilinear, bicubic and area are, as TensorFlow defines them)");
        }
        Object format = inner.get("data_format");
        if (format != null && !"channels_last".equals(format) && !"channels_first".equals(format)) {
            throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (" + kerasClass + "): argument data_format=" + format
                    + " is not computed by graft");
        }
        KerasResizingLayer.Builder b = new KerasResizingLayer.Builder().interpolation(interpolation).channelsFirst("channels_first".equals(format))
                .name(layerName);
        if (upSampling) {
            long[] size = upSamplingSize(inner.get("size"));
            b.factors(size[0], size[1]);
        } else {
            long height = (long) ClaimedConfig.number(kerasClass, inner, "height", -1);
            long width = (long) ClaimedConfig.number(kerasClass, inner, "width", -1);
            if (height < 1 || width < 1) throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (Resizing) has no height or width");
            b.height(height).width(width).cropToAspectRatio(Boolean.TRUE.equals(inner.get("crop_to_aspect_ratio")))
                    .padToAspectRatio(Boolean.TRUE.equals(inner.get("pad_to_aspect_ratio")))
                    .fillValue(ClaimedConfig.number(kerasClass, inner, "fill_value", 0));
        }
        try {
            this.layer = b.build();
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (" + kerasClass + "): " + e.getMessage());
        }
    }

    private long[] upSamplingSize(Object v) throws UnsupportedKerasConfigurationException {
        if (v == null) return new long[] {2, 2};
        if (v instanceof Number n && n.longValue() >= 1) return new long[] {n.longValue(), n.longValue()};
        if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number c && a.longValue() >= 1
                && c.longValue() >= 1) {
            return new long[] {a.longValue(), c.longValue()};
        }
        throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (UpSampling2D): argument size=" + v
                + " is not computed by graft (one or two positive ints are)");
    }

    @Override
    public int getNumParams() {
        return 0;
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) throw new InvalidKerasConfigurationException("Resizing layer " + layerName + " takes one input");
        try {
            return ((KerasResizingLayer) layer).getOutputType(-1, inputType[0]);
        } catch (IllegalStateException e) {
            throw new InvalidKerasConfigurationException(e.getMessage(), e);
        }
    }
}
