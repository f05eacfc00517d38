package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.Layer;
import dev.graft.model.Shape;

/**
 * Keras's {@code CenterCrop(height, width)} on images at least that large is a {@code Cropping2D}: Keras 3 starts the crop
 * at {@code (size - target) // 2}, the rest comes off the far side. Smaller images, which Keras resizes instead, are
 * refused, as is an input of unknown size.
 */
final class CenterCropAsCropping {
    private CenterCropAsCropping() {
    }

    /** @param config the layer's configuration as the engine has it so far; {@code input} its input's shape, batch first */
    static Layer forEngine(Layer layer, ObjectNode config, Shape input) {
        boolean channelsFirst = "channels_first".equals(config.path("data_format").asText("channels_last"));
        if (input == null || input.rank() != 4) throw refusal(layer, "its input is not a batch of images of known shape");
        Long h = input.dim(channelsFirst ? 2 : 1);
        Long w = input.dim(channelsFirst ? 3 : 2);
        int height = config.path("height").asInt(-1);
        int width = config.path("width").asInt(-1);
        if (h == null || w == null || height <= 0 || width <= 0) throw refusal(layer, "its input's height and width are not known");
        if (h < height || w < width) {
            throw refusal(layer, "it would resize its (" + h + ", " + w + ") images up to (" + height + ", " + width + "), which graft does not compute");
        }
        long top = (h - height) / 2, left = (w - width) / 2;
        ObjectNode c = config.objectNode();
        c.put("name", layer.name());
        c.put("trainable", config.path("trainable").asBoolean(true));
        if (config.has("dtype")) c.set("dtype", config.get("dtype"));
        ArrayNode cropping = c.putArray("cropping");
        cropping.addArray().add(top).add(h - height - top);
        cropping.addArray().add(left).add(w - width - left);
        c.put("data_format", channelsFirst ? "channels_first" : "channels_last");
        return new Layer(layer.name(), "Cropping2D", c, layer.calls(), layer.weights(), null, layer.declaredOutputShapes());
    }

    private static EngineException refusal(Layer layer, String why) {
        return new EngineException("layer '" + layer.name() + "' (CenterCrop): " + why + "; graft cannot compute this model");
    }
}
