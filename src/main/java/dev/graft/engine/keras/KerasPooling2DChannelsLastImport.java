package dev.graft.engine.keras;

import dev.graft.engine.layers.ChannelsLastSubsampling2DLayer;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.pooling.KerasPooling2D;

/**
 * DL4J Keras-import plug-in for Keras's channels-last {@code MaxPooling2D} and
 * {@code AveragePooling2D} in networks built for training, so that they backpropagate through DL4J's
 * NCHW runtime like the convolutions around them ({@link KerasConv2DChannelsLastImport}). The engine
 * hands them to DL4J under {@value #KERAS_CLASS_MAX} and {@value #KERAS_CLASS_AVERAGE}; call
 * {@link #register()} before {@code KerasModelImport}.
 *
 * <p>Everything is DL4J's own {@link KerasPooling2D} (which reads the pooling type from Keras's class
 * name, given back to it here); only the layer it built is recast as a
 * {@link ChannelsLastSubsampling2DLayer}.
 */
public class KerasPooling2DChannelsLastImport extends KerasPooling2D {

    /** The class names the engine gives channels-last 2-d pooling layers in the files it hands DL4J. */
    public static final String KERAS_CLASS_MAX = "GraftMaxPooling2D";
    public static final String KERAS_CLASS_AVERAGE = "GraftAveragePooling2D";

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS_MAX, KerasPooling2DChannelsLastImport.class);
        KerasLayer.registerCustomLayer(KERAS_CLASS_AVERAGE, KerasPooling2DChannelsLastImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasPooling2DChannelsLastImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(withKerasClassName(layerConfig), false);
        this.layer = ChannelsLastSubsampling2DLayer.copyOf(getSubsampling2DLayer());
    }

    private static Map<String, Object> withKerasClassName(Map<String, Object> layerConfig) {
        Map<String, Object> c = new HashMap<>(layerConfig);
        Object name = c.get("class_name");
        if (KERAS_CLASS_MAX.equals(name)) c.put("class_name", "MaxPooling2D");
        else if (KERAS_CLASS_AVERAGE.equals(name)) c.put("class_name", "AveragePooling2D");
        return c;
    }
}
