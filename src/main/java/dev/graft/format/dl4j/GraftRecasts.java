package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * graft's engine recasts some DL4J layers as subclasses that only compute differently (a channels-last convolution or
 * pooling through NCHW, a PReLU backward pass that works for shared alphas, a BatchNormalization keeping a missing gamma
 * or beta fixed, a TimeDistributed that can be a network's output): same configuration fields, same parameters, same numbers. A zip graft wrote (by {@code train} above
 * all) holds them under graft's class names; for the Keras translation they are the DL4J layers they extend.
 */
final class GraftRecasts {
    private static final String ENGINE = GraftLayerTranslation.PACKAGE;
    private static final String LAYERS = "org.deeplearning4j.nn.conf.layers.";

    /** graft's recast class (simple name) and the DL4J class it extends, whose JSON form it shares. */
    private static final Map<String, String> PARENTS = Map.of(
            "ChannelsLastConv2DLayer", LAYERS + "ConvolutionLayer",
            "ChannelsLastSubsampling2DLayer", LAYERS + "SubsamplingLayer",
            "ChannelsLastConv1DLayer", LAYERS + "Convolution1DLayer",
            "ChannelsLastSubsampling1DLayer", LAYERS + "Subsampling1DLayer",
            "FixedParamsBatchNormalization", LAYERS + "BatchNormalization",
            "GraftPReLULayer", LAYERS + "PReLULayer",
            "SequenceTimeDistributed", LAYERS + "recurrent.TimeDistributed");

    private GraftRecasts() {
    }

    /** The configuration with every recast class (also one a frozen wrapper holds) named as its DL4J parent; a copy when any is. */
    static ObjectNode asDl4j(ObjectNode config) {
        if (!mentionsRecast(config)) return config;
        ObjectNode copy = config.deepCopy();
        rename(copy);
        return copy;
    }

    private static boolean mentionsRecast(JsonNode node) {
        if (node.isObject()) {
            if (parentOf(node.path("@class").asText("")) != null) return true;
            for (JsonNode child : node) if (mentionsRecast(child)) return true;
        } else if (node.isArray()) {
            for (JsonNode child : node) if (mentionsRecast(child)) return true;
        }
        return false;
    }

    private static void rename(JsonNode node) {
        if (node instanceof ObjectNode o) {
            String parent = parentOf(o.path("@class").asText(""));
            if (parent != null) {
                o.put("@class", parent);
                // which of gamma and beta graft keeps fixed: the values themselves are in the parameters
                o.remove("fixedGamma");
                o.remove("fixedBeta");
            }
        }
        for (JsonNode child : node) rename(child);
    }

    private static String parentOf(String cls) {
        return cls.startsWith(ENGINE) ? PARENTS.get(cls.substring(ENGINE.length())) : null;
    }
}
