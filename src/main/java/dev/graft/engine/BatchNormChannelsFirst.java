package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.engine.keras.KerasBatchNormalizationChannelsFirstImport;
import dev.graft.model.Layer;

/**
 * Hands a {@code BatchNormalization} over axis 1 of an image ({@code axis=1}, {@code -3} or {@code [1]} on a rank-4
 * input: Keras's channels first) to the engine's plug-in ({@link KerasBatchNormalizationChannelsFirstImport}), DL4J's own
 * layer set NCHW. Configuration, calls and weights stay Keras's; only the class name changes.
 */
final class BatchNormChannelsFirst {
    private BatchNormChannelsFirst() {
    }

    /** Whether a BatchNormalization config's axis is axis 1 of a rank-{@code inputRank} input that is an image. */
    static boolean applies(String className, JsonNode config, int inputRank) {
        if (!"BatchNormalization".equals(className) || inputRank != 4) return false;
        JsonNode axis = config.path("axis");
        if (axis.isArray() && axis.size() == 1) axis = axis.get(0);
        if (!axis.isIntegralNumber()) return false;
        int a = axis.asInt();
        return (a < 0 ? a + inputRank : a) == 1;
    }

    static Layer forEngine(Layer layer, int inputRank) {
        if (!applies(layer.className(), layer.config(), inputRank)) return layer;
        return new Layer(layer.name(), KerasBatchNormalizationChannelsFirstImport.KERAS_CLASS, layer.config(), layer.calls(), layer.weights(), null,
                layer.declaredOutputShapes());
    }
}
