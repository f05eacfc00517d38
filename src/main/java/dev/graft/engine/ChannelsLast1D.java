package dev.graft.engine;

import dev.graft.engine.keras.KerasConv1DChannelsLastImport;
import dev.graft.engine.keras.KerasPooling1DChannelsLastImport;
import dev.graft.model.Layer;
import java.util.Map;

/**
 * Hands Keras 2 and 3's channels-last {@code Conv1D}, {@code MaxPooling1D} and
 * {@code AveragePooling1D} to the engine's own import plug-ins ({@link KerasConv1DChannelsLastImport},
 * {@link KerasPooling1DChannelsLastImport}). DL4J 1.0.0-M2.1 computes these layers forward, but the
 * backward passes of its channels-last (NWC) 1-d convolution and pooling fail, so nothing at or before
 * them could train. The plug-ins compute them through DL4J's channels-first (NCW) runtimes, between
 * two axis swaps. The configuration and weights stay Keras's; only the class name changes.
 *
 * <p>Keras 1 files keep DL4J's own import: their 1-d layers carry Keras 1's dimension ordering, which
 * DL4J reads its own way.
 */
final class ChannelsLast1D {
    private static final Map<String, String> ENGINE_CLASS = Map.of(
            "Conv1D", KerasConv1DChannelsLastImport.KERAS_CLASS,
            "MaxPooling1D", KerasPooling1DChannelsLastImport.KERAS_CLASS_MAX,
            "AveragePooling1D", KerasPooling1DChannelsLastImport.KERAS_CLASS_AVERAGE);

    private ChannelsLast1D() {
    }

    static boolean applies(Layer layer, int kerasMajor) {
        return kerasMajor >= 2 && ENGINE_CLASS.containsKey(layer.className())
                && "channels_last".equals(layer.config().path("data_format").asText("channels_last"))
                && layer.config().path("groups").asInt(1) == 1;
    }

    /** DL4J's stock AveragePooling1D computes max pooling (its builder drops the pooling type): never use it. */
    static boolean wrongForward(Layer layer) {
        return "AveragePooling1D".equals(layer.className());
    }

    static Layer forEngine(Layer layer) {
        return new Layer(layer.name(), ENGINE_CLASS.get(layer.className()), layer.config(), layer.calls(), layer.weights(), null,
                layer.declaredOutputShapes());
    }
}
