package dev.graft.engine.keras;

import dev.graft.engine.layers.ChannelsLastSubsampling1DLayer;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.pooling.KerasPooling1D;

/**
 * DL4J Keras-import plug-in for Keras's channels-last {@code MaxPooling1D} and
 * {@code AveragePooling1D}, which DL4J 1.0.0-M2.1 imports and computes forward, but whose NWC
 * backward pass throws: nothing before such a layer could train. The engine hands them to DL4J under
 * {@value #KERAS_CLASS_MAX} and {@value #KERAS_CLASS_AVERAGE}; call {@link #register()} before
 * {@code KerasModelImport}.
 *
 * <p>Everything is DL4J's own {@link KerasPooling1D}; only the layer it built is recast as a
 * {@link ChannelsLastSubsampling1DLayer}, which pools through DL4J's NCW runtime, and given back the
 * pooling type DL4J's builder loses (DL4J's own import computes AveragePooling1D as max pooling).
 */
public class KerasPooling1DChannelsLastImport extends KerasPooling1D {

    /** The class names the engine gives channels-last 1-d pooling layers in the files it hands DL4J. */
    public static final String KERAS_CLASS_MAX = "GraftMaxPooling1D";
    public static final String KERAS_CLASS_AVERAGE = "GraftAveragePooling1D";

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS_MAX, KerasPooling1DChannelsLastImport.class);
        KerasLayer.registerCustomLayer(KERAS_CLASS_AVERAGE, KerasPooling1DChannelsLastImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasPooling1DChannelsLastImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        // DL4J reads the pooling type from the class name: give it Keras's.
        super(withKerasClassName(layerConfig), false);
        ChannelsLastSubsampling1DLayer pooling = ChannelsLastSubsampling1DLayer.copyOf(getSubsampling1DLayer());
        // DL4J's Subsampling1DLayer.Builder drops the pooling type it is given (M2.1), so its import
        // makes every AveragePooling1D a max pooling: set it here.
        pooling.setPoolingType(KERAS_CLASS_AVERAGE.equals(layerConfig.get("class_name")) ? PoolingType.AVG : PoolingType.MAX);
        pooling.setAvgPoolIncludePadInDivisor(false);   // Keras averages over the steps inside the sequence only
        this.layer = pooling;
    }

    private static Map<String, Object> withKerasClassName(Map<String, Object> layerConfig) {
        Map<String, Object> c = new HashMap<>(layerConfig);
        Object name = c.get("class_name");
        if (KERAS_CLASS_MAX.equals(name)) c.put("class_name", "MaxPooling1D");
        else if (KERAS_CLASS_AVERAGE.equals(name)) c.put("class_name", "AveragePooling1D");
        return c;
    }
}
