package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasActivationNames;
import dev.graft.engine.keras.KerasActivations;
import dev.graft.engine.keras.KerasConv1DChannelsFirstImport;
import dev.graft.engine.keras.KerasConv1DChannelsLastImport;
import dev.graft.engine.keras.KerasDensePerStepImport;
import dev.graft.engine.layers.KerasActivationKind;
import dev.graft.model.Layer;
import java.util.Set;

/**
 * Hands the engine layers whose {@code activation} DL4J lacks or defines otherwise than the Keras that wrote the
 * file (gelu, mish, Keras 3's hard_sigmoid, ...): {@code activation} becomes {@code linear}, graft's activation goes
 * under {@value KerasActivations#CONFIG_KEY} and the layer to a plug-in that applies it. Only where the plug-in can
 * apply it: anywhere else such an activation is refused, never computed with another definition.
 */
final class ActivationArguments {
    /** graft's own plug-ins that already apply {@value KerasActivations#CONFIG_KEY}. */
    private static final Set<String> PLUGINS = Set.of(KerasDensePerStepImport.KERAS_CLASS, KerasConv1DChannelsFirstImport.KERAS_CLASS,
            KerasConv1DChannelsLastImport.KERAS_CLASS, dev.graft.engine.keras.KerasConv2DChannelsLastImport.KERAS_CLASS);

    private ActivationArguments() {
    }

    /**
     * Layers that read their activations themselves (graft's GRU, and the LSTM vertex and SimpleRNN layer the engine gives
     * an LSTM or SimpleRNN with Keras 3's hard_sigmoid, know each Keras's hard_sigmoid; the argument claims refuse the rest).
     */
    private static final Set<String> OWN_ACTIVATIONS = Set.of("GRU", "LSTM", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D");

    /** Why graft cannot compute the layer's activation, or null (also when it has none). */
    static String whyNot(String className, JsonNode config) {
        JsonNode a = config.path("activation");
        if (!a.isTextual()) return null;
        if (!KerasActivationNames.isComputed(a.asText())) return "uses activation '" + a.asText() + "', which graft does not compute";
        // the engine computes an EinsumDense's activation as an Activation layer after it (EinsumDenseActivation)
        if ("EinsumDense".equals(className)) return null;
        boolean glu = KerasActivationNames.GLU.equals(a.asText());
        // glu halves Keras's last axis, which is the steps or the width of a channels-first layer's output, not its features
        if (glu && "channels_first".equals(config.path("data_format").asText(""))) {
            return "uses activation 'glu' with data_format channels_first, which graft does not compute (it halves the features of "
                    + "channels-last layers)";
        }
        boolean graftOnly = KerasActivationNames.graftKind(a.asText(), 2) != null || glu;
        if (graftOnly && !KerasActivationNames.PLUGIN_CLASSES.containsKey(className)) {
            return "uses activation '" + a.asText() + "', which graft computes on Activation, Dense, Conv1D and Conv2D layers only";
        }
        return null;
    }

    /**
     * @param layer      the layer as the engine will get it (after any other rewrite)
     * @param inputRank  the rank of its (first) input, -1 when unknown
     */
    static Layer forEngine(Layer layer, int kerasMajor, int inputRank) {
        JsonNode a = layer.config().path("activation");
        if (!a.isTextual() || OWN_ACTIVATIONS.contains(layer.className())) return layer;
        KerasActivationKind kind = KerasActivationNames.graftKind(a.asText(), kerasMajor);
        if (kind == null) return layer;
        String cls = layer.className();
        String plugin = PLUGINS.contains(cls) ? cls : KerasActivationNames.PLUGIN_CLASSES.get(cls);
        if (plugin == null) {
            throw refusal(layer, a.asText(), "graft computes it on Activation, Dense, Conv1D and Conv2D layers only");
        }
        boolean rowWise = kind == KerasActivationKind.LOG_SOFTMAX || kind == KerasActivationKind.SPARSEMAX;
        if (rowWise && !(("Activation".equals(cls) || "Dense".equals(cls)) && inputRank == 2)) {
            throw refusal(layer, a.asText(), "graft computes it over the features of a (batch, features) array only");
        }
        ObjectNode c = layer.config().deepCopy();
        c.put("activation", "linear");
        c.put(KerasActivations.CONFIG_KEY, kind.kerasName());
        return new Layer(layer.name(), plugin, c, layer.calls(), layer.weights(), null, layer.declaredOutputShapes());
    }

    private static EngineException refusal(Layer layer, String activation, String why) {
        return new EngineException("layer '" + layer.name() + "' (" + layer.className() + ") uses activation '" + activation + "': " + why
                + "; graft cannot compute this model");
    }
}
