package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasResizingLayer;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for {@code Resizing}, handed over as {@value #KERAS_CLASS}: graft's {@link
 * KerasResizingLayer}, TensorFlow's definition of nearest and bilinear resizing. Claimed: {@code height}, {@code width},
 * {@code interpolation} (nearest, bilinear), {@code data_format} (channels last); {@code crop_to_aspect_ratio}, {@code
 * pad_to_aspect_ratio} and {@code antialias} only when false ({@code fill_mode}/{@code fill_value} only matter for the
 * padding).
 */
public class KerasResizingImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftResizing";
    private static final Set<String> CLAIMED = Set.of("height", "width", "interpolation", "data_format", "fill_mode", "fill_value");
    private static final Map<String, Object> HARMLESS = Map.of("crop_to_aspect_ratio", false, "pad_to_aspect_ratio", false, "antialias", false);

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasResizingImport.class);
    }

    public KerasResizingImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> inner = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check("Resizing", inner, CLAIMED, HARMLESS);
        String interpolation = String.valueOf(inner.getOrDefault("interpolation", "bilinear"));
        if (!Set.of("nearest", "bilinear").contains(interpolation)) {
            throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (Resizing): argument interpolation=" + interpolation
                    + " is not computed by graft (nearest and bilinear are)");
        }
        Object format = inner.get("data_format");
        if (format != null && !"channels_last".equals(format)) {
            throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (Resizing): argument data_format=" + format
                    + " is not computed by graft (channels last is)");
        }
        long height = (long) ClaimedConfig.number("Resizing", inner, "height", -1);
        long width = (long) ClaimedConfig.number("Resizing", inner, "width", -1);
        if (height < 1 || width < 1) throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (Resizing) has no height or width");
        this.layer = new KerasResizingLayer.Builder().height(height).width(width).bilinear("bilinear".equals(interpolation)).name(layerName).build();
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
