package dev.graft.engine;

import dev.graft.engine.keras.KerasConv2DChannelsLastImport;
import dev.graft.engine.keras.KerasPooling2DChannelsLastImport;
import dev.graft.model.Layer;
import java.util.Map;

/**
 * Hands Keras 2 and 3's channels-last {@code Conv2D}, {@code MaxPooling2D} and
 * {@code AveragePooling2D} to the engine's own import plug-ins ({@link KerasConv2DChannelsLastImport},
 * {@link KerasPooling2DChannelsLastImport}) in networks built for training. DL4J 1.0.0-M2.1 computes
 * these layers forward, but the backward pass of its channels-last (NHWC) convolution fails, so a
 * plain Keras CNN could not train. The plug-ins compute them through DL4J's channels-first (NCHW)
 * runtimes, between axis permutations. The configuration and weights stay Keras's; only the class
 * name changes. Networks built for computing keep DL4J's stock classes.
 *
 * <p>Keras 1 files keep DL4J's own import: their 2-d layers carry Keras 1's dimension ordering, which
 * DL4J reads its own way.
 */
final class ChannelsLast2D {
    private static final Map<String, String> ENGINE_CLASS = Map.of(
            "Conv2D", KerasConv2DChannelsLastImport.KERAS_CLASS,
            "MaxPooling2D", KerasPooling2DChannelsLastImport.KERAS_CLASS_MAX,
            "AveragePooling2D", KerasPooling2DChannelsLastImport.KERAS_CLASS_AVERAGE);

    private ChannelsLast2D() {
    }

    static boolean applies(Layer layer, int kerasMajor) {
        return kerasMajor >= 2 && ENGINE_CLASS.containsKey(layer.className())
                && "channels_last".equals(layer.config().path("data_format").asText("channels_last"))
                && layer.config().path("groups").asInt(1) == 1;
    }

    static Layer forEngine(Layer layer) {
        return new Layer(layer.name(), ENGINE_CLASS.get(layer.className()), layer.config(), layer.calls(), layer.weights(), null,
                layer.declaredOutputShapes());
    }
}
