package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasTensorOpImport;
import dev.graft.model.Layer;

/**
 * Which weightless shape layers the engine computes with graft's own vertices ({@link KerasTensorOpImport}) instead of
 * DL4J's import: every {@code Dot} and 3D global pooling (DL4J has none), global pooling with {@code keepdims} or
 * channels first (DL4J's import computes neither), and a {@code Permute} of more than two axes (DL4J orders those
 * otherwise than Keras). Everything else keeps DL4J's stock classes, so zips of the network open in any DL4J.
 */
final class TensorOpsForEngine {
    private TensorOpsForEngine() {
    }

    /** The layer as the engine's plug-in reads it, or the layer itself when DL4J's import computes it. */
    static Layer forEngine(Layer layer) {
        String plugin = pluginClass(layer);
        if (plugin == null) return layer;
        ObjectNode c = layer.config().deepCopy();
        if (plugin.equals(KerasTensorOpImport.GLOBAL_POOLING)) c.put("graft_pooling", layer.className().startsWith("GlobalMax") ? "max" : "average");
        return new Layer(layer.name(), plugin, c, layer.calls(), layer.weights(), null, layer.declaredOutputShapes());
    }

    /** Null when the engine computes the layer on its inputs' shapes, else why not: graft's Permute and Dot take fixed sizes only. */
    static String whyNot(Layer layer, dev.graft.shape.GraphShapes shapes) {
        String plugin = pluginClass(layer);
        if (!KerasTensorOpImport.PERMUTE.equals(plugin) && !KerasTensorOpImport.DOT.equals(plugin) || layer.calls().isEmpty()) return null;
        for (dev.graft.model.TensorRef in : layer.calls().get(0).inputs()) {
            dev.graft.model.Shape s = shapes.shape(in);
            if (s == null || s.elementsPerSample() < 0) {
                return "(" + layer.className() + ") reads an input of open size " + (s == null ? "(unknown)" : s.toString())
                        + "; graft computes it on fixed sizes only";
            }
        }
        return null;
    }

    private static String pluginClass(Layer layer) {
        String c = layer.className();
        if ("Dot".equals(c)) return KerasTensorOpImport.DOT;
        if ("Reshape".equals(c) && layer.config().path(BatchNormOnAxis.RESTORES_LAYOUT).asBoolean(false)) return KerasTensorOpImport.RESHAPE;
        if ("Permute".equals(c)) {
            // the engine's own Permutes around a BatchNormalization take graft's vertex whatever their rank (it also backpropagates)
            boolean own = layer.config().path("dims").size() > 2 || layer.config().path(BatchNormOnAxis.RESTORES_LAYOUT).asBoolean(false);
            return own ? KerasTensorOpImport.PERMUTE : null;
        }
        if (c.matches("Global(Average|Max)Pooling[123]D")) {
            boolean own = c.endsWith("3D") || layer.config().path("keepdims").asBoolean(false)
                    || "channels_first".equals(layer.config().path("data_format").asText())
                    || "th".equals(layer.config().path("dim_ordering").asText());
            return own ? KerasTensorOpImport.GLOBAL_POOLING : null;
        }
        return null;
    }
}
