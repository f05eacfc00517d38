package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.HostArray;
import dev.graft.model.Shape;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Layers and vertices of graft's own engine (classes {@code dev.graft.engine.layers.*}, which a {@code .zip} graft wrote
 * holds) as the Keras layers they compute, read from their configuration JSON (this package does not load the engine's
 * classes), parameters copied bit for bit. A graft class not translated here is refused naming it: its zip then cannot
 * be a merge or adapt donor, though graft still computes and trains it.
 */
final class GraftLayerTranslation {
    static final String PACKAGE = "dev.graft.engine.layers.";

    private GraftLayerTranslation() {
    }

    /** Whether a DL4J configuration's {@code @class} is one of graft's own engine classes. */
    static boolean isGraftClass(String cls) {
        return cls.startsWith(PACKAGE);
    }

    /**
     * @param channelsFirst per input, whether DL4J holds it channels first
     * @throws Dl4jActivations.Refusal naming the class when it has no Keras translation here
     */
    static Dl4jLayerTranslation.Result translate(String name, JsonNode config, List<String> inputs, List<Shape> shapes,
                                                 List<Boolean> channelsFirst, Map<String, HostArray> params, boolean trainable,
                                                 KerasEmitter out) {
        String cls = config.path("@class").asText("").substring(PACKAGE.length());
        return switch (cls) {
            case "GluVertex" -> glu(name, config, inputs, channelsFirst, trainable, out);
            case "KerasAttentionVertex" -> attention(name, config, inputs, channelsFirst, params, trainable, out);
            case "KerasMultiHeadAttentionVertex" -> multiHeadAttention(name, config, inputs, channelsFirst, params, trainable, out);
            case "KerasNormalizationLayer" -> normalization(name, config, inputs, shapes, channelsFirst, params, trainable, out);
            case "KerasSimpleRnnLayer", "KerasGruLayer" -> recurrent(name, cls.equals("KerasGruLayer"), config, inputs, params, trainable, out);
            default -> throw new Dl4jActivations.Refusal("it is graft's own engine layer " + cls + ", which graft does not translate back to Keras");
        };
    }

    /** {@code a * sigmoid(b)} over the halves of the features: Keras's {@code Activation("glu")} when the halved axis is Keras's last. */
    private static Dl4jLayerTranslation.Result glu(String name, JsonNode config, List<String> inputs, List<Boolean> channelsFirst,
                                                   boolean trainable, KerasEmitter out) {
        int rank = config.path("rank").asInt(-1);
        int axis = config.path("featureAxis").asInt(-1);
        boolean first = channelsFirst.get(0);
        // Keras's last axis is DL4J's axis 1 for (batch, features) and channels-first data, DL4J's last for channels-last data.
        boolean last = rank == 2 ? axis == 1 : first ? axis == 1 : axis == rank - 1;
        if (inputs.size() != 1 || rank < 2 || !last) {
            throw new Dl4jActivations.Refusal("it halves axis " + axis + " of a rank-" + rank + " tensor, which is not Keras's last axis");
        }
        ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
        c.put("activation", "glu");
        out.add(name, "Activation", c, inputs, List.of());
        return new Dl4jLayerTranslation.Result(name, first);
    }

    /**
     * Keras's {@code Attention} (dot or concat scores) or {@code AdditiveAttention}, as the vertex was built from it: query,
     * value and an optional key, {@code use_scale}, a causal mask as the call's {@code use_causal_mask}.
     */
    private static Dl4jLayerTranslation.Result attention(String name, JsonNode config, List<String> inputs, List<Boolean> channelsFirst,
                                                         Map<String, HostArray> params, boolean trainable, KerasEmitter out) {
        String kind = config.path("kind").asText("");
        boolean hasKey = config.path("hasKey").asBoolean(false);
        if (inputs.size() != (hasKey ? 3 : 2)) throw new Dl4jActivations.Refusal("it reads " + inputs.size() + " tensors");
        String[] formats = {"queryFormat", "valueFormat", "keyFormat"};
        for (int i = 0; i < inputs.size(); i++) {
            // The Keras tensors are (batch, steps, features); the vertex must read each as DL4J holds it.
            if (config.path(formats[i]).asText("NWC").equals("NCW") != channelsFirst.get(i)) {
                throw new Dl4jActivations.Refusal("it reads its " + formats[i].replace("Format", "") + " in another layout than DL4J holds it");
            }
        }
        boolean useScale = config.path("useScale").asBoolean(false);
        ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
        c.put("use_scale", useScale);
        c.put("dropout", 0.0);
        List<Weight> weights = new ArrayList<>();
        String kerasClass;
        switch (kind) {
            case "DOT", "CONCAT" -> {
                kerasClass = "Attention";
                if (kind.equals("CONCAT")) c.put("score_mode", "concat");
                if (useScale) weights.add(KerasEmitter.weight(name, "scale", scalar(params, "scale"), trainable));
                if (kind.equals("CONCAT")) weights.add(KerasEmitter.weight(name, "concat_score_weight", scalar(params, "concatWeight"), trainable));
            }
            case "ADDITIVE" -> {
                kerasClass = "AdditiveAttention";
                if (useScale) {
                    HostArray s = param(params, "scale");
                    weights.add(KerasEmitter.weight(name, "scale", s.reshape(s.size()), trainable));
                }
            }
            default -> throw new Dl4jActivations.Refusal("it scores as '" + kind + "', which graft does not know");
        }
        ObjectNode kwargs = Json.object();
        if (config.path("causal").asBoolean(false)) kwargs.put("use_causal_mask", true);
        out.add(name, kerasClass, c, inputs, weights, kwargs);
        return new Dl4jLayerTranslation.Result(name, channelsFirst.get(0));
    }

    /**
     * Keras's {@code MultiHeadAttention} as the vertex was built from it: query, value and an optional key (positional),
     * {@code use_causal_mask}, {@code output_shape} when the output differs from the query's features; the vertex's
     * row-major matrices reshaped back to Keras's {@code (in, heads, dim)} kernels, {@code (heads, dim)} biases and
     * {@code (heads, value_dim, out)} output kernel, values unchanged. GroupedQueryAttention and an attention-mask input
     * are refused.
     */
    private static Dl4jLayerTranslation.Result multiHeadAttention(String name, JsonNode config, List<String> inputs,
                                                                  List<Boolean> channelsFirst, Map<String, HostArray> params,
                                                                  boolean trainable, KerasEmitter out) {
        int heads = config.path("heads").asInt();
        int kvHeads = config.path("kvHeads").asInt(0);
        if (kvHeads != 0 && kvHeads != heads) {
            throw new Dl4jActivations.Refusal("it is a grouped-query attention (" + kvHeads + " key/value heads for " + heads
                    + " query heads), which graft does not translate back to Keras");
        }
        if (config.path("hasMask").asBoolean(false)) throw new Dl4jActivations.Refusal("it reads an attention mask, which graft does not translate back to Keras");
        boolean hasKey = config.path("hasKey").asBoolean(false);
        if (inputs.size() != (hasKey ? 3 : 2)) throw new Dl4jActivations.Refusal("it reads " + inputs.size() + " tensors");
        String[] formats = {"queryFormat", "valueFormat", "keyFormat"};
        for (int i = 0; i < inputs.size(); i++) {
            if (config.path(formats[i]).asText("NWC").equals("NCW") != channelsFirst.get(i)) {
                throw new Dl4jActivations.Refusal("it reads its " + formats[i].replace("Format", "") + " in another layout than DL4J holds it");
            }
        }
        int keyDim = config.path("keyDim").asInt();
        int valueDim = config.path("valueDim").asInt();
        long queryDim = config.path("queryDim").asLong();
        long outputDim = config.path("outputDim").asLong();
        boolean useBias = config.path("useBias").asBoolean(true);
        ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
        c.put("num_heads", heads);
        c.put("key_dim", keyDim);
        c.put("value_dim", valueDim);
        c.put("dropout", 0.0);
        c.put("use_bias", useBias);
        if (outputDim == queryDim) c.putNull("output_shape");
        else c.put("output_shape", outputDim);
        c.putArray("attention_axes").add(1);
        List<Weight> weights = new ArrayList<>();
        String[][] parts = {{"query", "queryKernel", "queryBias", "" + keyDim}, {"key", "keyKernel", "keyBias", "" + keyDim},
                {"value", "valueKernel", "valueBias", "" + valueDim}};
        for (String[] p : parts) {
            HostArray kernel = param(params, p[1]);
            long dim = Long.parseLong(p[3]);
            weights.add(KerasEmitter.weight(name, p[0] + "/kernel", kernel.reshape(kernel.shape()[0], heads, dim), trainable));
            if (useBias) weights.add(KerasEmitter.weight(name, p[0] + "/bias", param(params, p[2]).reshape(heads, dim), trainable));
        }
        weights.add(KerasEmitter.weight(name, "attention_output/kernel", param(params, "outputKernel").reshape(heads, valueDim, outputDim), trainable));
        if (useBias) weights.add(KerasEmitter.weight(name, "attention_output/bias", KerasWeightLayouts.vector(param(params, "outputBias")), trainable));
        ObjectNode kwargs = Json.object();
        if (config.path("causal").asBoolean(false)) kwargs.put("use_causal_mask", true);
        out.add(name, "MultiHeadAttention", c, inputs, weights, kwargs);
        return new Dl4jLayerTranslation.Result(name, channelsFirst.get(0));
    }

    /**
     * graft's normalisation over the last axis as the Keras layer it was built from: {@code LayerNormalization} (centre and
     * scale as recorded, or {@code rms_scaling}), {@code RMSNormalization} or {@code UnitNormalization}.
     */
    private static Dl4jLayerTranslation.Result normalization(String name, JsonNode config, List<String> inputs, List<Shape> shapes,
                                                             List<Boolean> channelsFirst, Map<String, HostArray> params,
                                                             boolean trainable, KerasEmitter out) {
        int axis = config.path("featureAxis").asInt(0);
        Shape in = shapes.isEmpty() ? null : shapes.get(0);
        boolean last = axis == -1 || (in != null && axis == in.rank() - 1);
        if (inputs.size() != 1 || !last || (channelsFirst.get(0) && (in == null || in.rank() > 2))) {
            throw new Dl4jActivations.Refusal("it normalises DL4J axis " + axis + ", which graft cannot map to Keras's last axis");
        }
        String mode = config.path("mode").asText("");
        ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
        c.put("axis", -1);
        c.put("epsilon", config.path("epsilon").asDouble());
        List<Weight> weights = new ArrayList<>();
        String kerasClass;
        switch (mode) {
            case "LAYER", "LAYER_RMS_SCALING" -> {
                kerasClass = "LayerNormalization";
                boolean rms = mode.equals("LAYER_RMS_SCALING");
                boolean center = !rms && config.path("center").asBoolean(true);
                boolean scale = rms || config.path("scale").asBoolean(true);
                c.put("center", center);
                c.put("scale", scale);
                if (rms) c.put("rms_scaling", true);
                if (scale) weights.add(KerasEmitter.weight(name, "gamma", KerasWeightLayouts.vector(param(params, "gamma")), trainable));
                if (center) weights.add(KerasEmitter.weight(name, "beta", KerasWeightLayouts.vector(param(params, "beta")), trainable));
            }
            case "RMS" -> {
                kerasClass = "RMSNormalization";
                weights.add(KerasEmitter.weight(name, "scale", KerasWeightLayouts.vector(param(params, "gamma")), trainable));
            }
            case "UNIT" -> {
                kerasClass = "UnitNormalization";
                c.remove("epsilon");
            }
            default -> throw new Dl4jActivations.Refusal("it normalises in mode '" + mode + "', which graft does not know");
        }
        out.add(name, kerasClass, c, inputs, weights);
        return new Dl4jLayerTranslation.Result(name, channelsFirst.get(0));
    }

    /**
     * graft's {@code SimpleRNN} and {@code GRU} (the engine's own, which also train) as Keras's: units, activations, bias,
     * {@code return_sequences}, {@code go_backwards}, a GRU's {@code reset_after}; the parameters are held in Keras's
     * shapes already (kernel, recurrent kernel, a GRU's {@code (2, 3 units)} bias with {@code reset_after}). A mask read
     * from the input, a Bidirectional's reversed half, a channels-first sequence and a hard sigmoid (which Keras 2 and 3
     * files define differently under one name) are refused.
     */
    private static Dl4jLayerTranslation.Result recurrent(String name, boolean gru, JsonNode config, List<String> inputs,
                                                         Map<String, HostArray> params, boolean trainable, KerasEmitter out) {
        if (inputs.size() != 1) throw new Dl4jActivations.Refusal("it reads " + inputs.size() + " tensors");
        if (!config.path("maskValue").isNull() && !config.path("maskValue").isMissingNode() || config.path("keepFeature").asBoolean(false)) {
            throw new Dl4jActivations.Refusal("it reads a mask, which graft does not translate back to Keras");
        }
        if (config.path("reverseOutput").asBoolean(false)) throw new Dl4jActivations.Refusal("it is half of a Bidirectional");
        if (config.path("rnnDataFormat").asText("NWC").equals("NCW")) throw new Dl4jActivations.Refusal("it reads a channels-first sequence");
        long units = config.path("units").asLong();
        boolean useBias = config.path("useBias").asBoolean(true);
        boolean resetAfter = gru && config.path("resetAfter").asBoolean(true);
        ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
        KerasConfigs.recurrent(c, units, recurrentActivation(config.path("activation").asText("TANH")),
                gru ? recurrentActivation(config.path("recurrentActivation").asText("SIGMOID")) : null,
                config.path("returnSequences").asBoolean(false));
        c.put("use_bias", useBias);
        c.put("go_backwards", config.path("goBackwards").asBoolean(false));
        if (gru) c.put("reset_after", resetAfter);
        List<Weight> weights = new ArrayList<>();
        weights.add(KerasEmitter.weight(name, "kernel", param(params, "kernel"), trainable));
        weights.add(KerasEmitter.weight(name, "recurrent_kernel", param(params, "recurrentKernel"), trainable));
        if (useBias) {
            HostArray b = param(params, "bias");
            weights.add(KerasEmitter.weight(name, "bias", resetAfter ? b : KerasWeightLayouts.vector(b), trainable));
        }
        out.add(name, gru ? "GRU" : "SimpleRNN", c, inputs, weights);
        return new Dl4jLayerTranslation.Result(name, false);
    }

    private static String recurrentActivation(String kind) {
        return switch (kind) {
            case "TANH" -> "tanh";
            case "SIGMOID" -> "sigmoid";
            case "LINEAR" -> "linear";
            case "RELU" -> "relu";
            default -> throw new Dl4jActivations.Refusal("its activation " + kind + " has no Keras name that means the same in every Keras file");
        };
    }

    /** A [1, 1] parameter as the scalar (shape ()) Keras stores, its value's bits unchanged. */
    private static HostArray scalar(Map<String, HostArray> params, String key) {
        HostArray p = param(params, key);
        if (p.size() != 1) throw new Dl4jActivations.Refusal("its parameter " + key + " holds " + p.size() + " values, not one");
        return p.reshape();
    }

    private static HostArray param(Map<String, HostArray> params, String key) {
        HostArray p = params.get(key);
        if (p == null) throw new Dl4jActivations.Refusal("its parameter " + key + " is missing");
        return p;
    }
}
