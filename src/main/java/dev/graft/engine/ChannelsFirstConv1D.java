package dev.graft.engine;

import dev.graft.engine.keras.KerasConv1DChannelsFirstImport;
import dev.graft.model.Layer;

/**
 * Hands {@code Conv1D(data_format="channels_first")} to the engine's own import plug-in
 * ({@link KerasConv1DChannelsFirstImport}): DL4J's stock import of that layer reads the input's steps
 * as channels and fails. The configuration and weights stay Keras's; only the class name changes.
 */
final class ChannelsFirstConv1D {
    private ChannelsFirstConv1D() {
    }

    static boolean applies(Layer layer) {
        return "Conv1D".equals(layer.className())
                && "channels_first".equals(layer.config().path("data_format").asText());
    }

    /**
     * Refuses here, with the layer's name, what the plug-in cannot compute: DL4J reports a plug-in's
     * own refusals as a failure to call its constructor.
     */
    static Layer forEngine(Layer layer) {
        int groups = layer.config().path("groups").asInt(1);
        if (groups != 1) {
            throw new EngineException("layer '" + layer.name() + "' is a grouped Conv1D (groups=" + groups
                    + "), which graft's engine does not compute; graft cannot compute this model");
        }
        return new Layer(layer.name(), KerasConv1DChannelsFirstImport.KERAS_CLASS, layer.config(), layer.calls(),
                layer.weights(), null, layer.declaredOutputShapes());
    }
}
