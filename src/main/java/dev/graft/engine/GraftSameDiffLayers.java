package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasConvolutionImport;
import dev.graft.engine.keras.KerasGroupNormalizationImport;
import dev.graft.engine.keras.KerasResizingImport;
import dev.graft.engine.keras.KerasSpatialEditImport;
import dev.graft.engine.keras.KerasUpSampling2DChannelsLastImport;
import dev.graft.model.Layer;
import java.util.Set;

/**
 * Hands the layers DL4J lacks to graft's SameDiff plug-ins, for computing and training alike (DL4J has no stock class to
 * keep): {@code DepthwiseConv1D}, {@code DepthwiseConv2D}, {@code Conv1DTranspose}, {@code Conv1D}/{@code Conv2D} with
 * {@code groups} > 1 ({@link KerasConvolutionImport}), {@code GroupNormalization} ({@link KerasGroupNormalizationImport},
 * its last axis written as -1) and {@code Resizing} ({@link KerasResizingImport}). Also Keras 2 and 3's channels-last
 * {@code UpSampling2D}, to DL4J's own layer described as channels last ({@link KerasUpSampling2DChannelsLastImport}), which a
 * {@code Flatten} after it needs. Keras 2 and 3's {@code Cropping1D/3D}, {@code ZeroPadding1D/3D}, {@code UpSampling1D/3D} and
 * channels-first 2-d ones, whose DL4J classes read the wrong axis as channels, go to {@link KerasSpatialEditImport}; a
 * bilinear or bicubic {@code UpSampling2D} is a {@code Resizing} by its factors ({@link KerasResizingImport}). Configuration, calls and weights stay Keras's; only the class name changes.
 */
final class GraftSameDiffLayers {
    private GraftSameDiffLayers() {
    }

    static Layer forEngine(Layer layer, int inputRank, int kerasMajor) {
        String cls = layer.className();
        String plugin = null;
        String format = layer.config().path("data_format").asText("channels_last");
        String interpolation = layer.config().path("interpolation").asText("nearest");
        if (cls.equals("UpSampling2D") && kerasMajor >= 2 && !"nearest".equals(interpolation)) {
            plugin = KerasResizingImport.UPSAMPLING_CLASS;
        } else if (cls.equals("UpSampling2D") && kerasMajor >= 2 && "channels_last".equals(format)) {
            plugin = KerasUpSampling2DChannelsLastImport.KERAS_CLASS;
        } else if (kerasMajor >= 2 && KerasSpatialEditImport.KERAS_CLASSES.contains(cls) && (!cls.endsWith("2D") || "channels_first".equals(format))) {
            plugin = KerasSpatialEditImport.PREFIX + cls;
        } else if (cls.equals("Conv1D")) {
            if (layer.config().path("groups").asInt(1) > 1) plugin = KerasConvolutionImport.ENGINE_CLASS.get(cls);
        } else if (Set.of("Conv2D", "Conv3D", "Conv2DTranspose", "Conv3DTranspose", "SeparableConv2D").contains(cls)) {
            if (kerasMajor >= 2 && !KerasConvolutionImport.stockComputes(layer.config(), cls)) plugin = KerasConvolutionImport.ENGINE_CLASS.get(cls);
        } else if (KerasConvolutionImport.ENGINE_CLASS.containsKey(cls)) {
            plugin = KerasConvolutionImport.ENGINE_CLASS.get(cls);
        } else if (cls.equals("GroupNormalization")) {
            plugin = KerasGroupNormalizationImport.KERAS_CLASS;
        } else if (cls.equals("Resizing")) {
            plugin = KerasResizingImport.KERAS_CLASS;
        }
        if (plugin == null) return layer;
        ObjectNode c = layer.config().deepCopy();
        if (cls.equals("GroupNormalization")) {
            JsonNode axis = c.path("axis");
            if (axis.isArray() && axis.size() == 1) axis = axis.get(0);
            if (axis.isInt() && inputRank > 0 && axis.asInt() == inputRank - 1) c.put("axis", -1);
        }
        return new Layer(layer.name(), plugin, c, layer.calls(), layer.weights(), null, layer.declaredOutputShapes());
    }
}
