package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The names of a layer's variables in the order Keras 3 saves them ({@code vars/0}, {@code vars/1},
 * ...) in a {@code .keras} archive, which records only their positions. Trainable variables come
 * first, then the accumulated ones, as Keras creates them.
 */
final class KerasVariableRoles {
    private KerasVariableRoles() {
    }

    static List<String> roles(String className, JsonNode config, int count) {
        List<String> roles = known(className, config);
        if (roles == null || roles.size() != count) {
            roles = new ArrayList<>();
            for (int i = 0; i < count; i++) roles.add("variable_" + i);
        }
        return roles;
    }

    private static List<String> known(String className, JsonNode config) {
        boolean bias = config.path("use_bias").asBoolean(true);
        // an EinsumDense of its own (not an attention layer's projection, read with the attention layer's config) has a
        // bias exactly when it names bias_axes
        if ("EinsumDense".equals(className) && config.has("equation")) bias = config.hasNonNull("bias_axes");
        switch (className) {
            case "Dense": case "EinsumDense": case "Conv1D": case "Conv2D": case "Conv3D":
            case "Conv1DTranspose": case "Conv2DTranspose": case "Conv3DTranspose":
            case "LocallyConnected1D": case "LocallyConnected2D":
                return bias ? List.of("kernel", "bias") : List.of("kernel");
            case "DepthwiseConv1D": case "DepthwiseConv2D":
                return bias ? List.of("depthwise_kernel", "bias") : List.of("depthwise_kernel");
            case "SeparableConv1D": case "SeparableConv2D":
                return bias ? List.of("depthwise_kernel", "pointwise_kernel", "bias") : List.of("depthwise_kernel", "pointwise_kernel");
            case "LSTMCell": case "GRUCell": case "SimpleRNNCell": case "ConvLSTMCell":
            case "LSTM": case "GRU": case "SimpleRNN": case "ConvLSTM1D": case "ConvLSTM2D": case "ConvLSTM3D":
                return bias ? List.of("kernel", "recurrent_kernel", "bias") : List.of("kernel", "recurrent_kernel");
            case "Embedding":
                return List.of("embeddings");
            case "PReLU":
                return List.of("alpha");
            case "BatchNormalization": {
                List<String> r = new ArrayList<>();
                if (config.path("scale").asBoolean(true)) r.add("gamma");
                if (config.path("center").asBoolean(true)) r.add("beta");
                r.add("moving_mean");
                r.add("moving_variance");
                return r;
            }
            case "LayerNormalization": case "GroupNormalization": {
                // Keras 3's LayerNormalization(rms_scaling=True) always has gamma and never beta.
                boolean rms = config.path("rms_scaling").asBoolean(false);
                List<String> r = new ArrayList<>();
                if (config.path("scale").asBoolean(true) || rms) r.add("gamma");
                if (config.path("center").asBoolean(true) && !rms) r.add("beta");
                return r;
            }
            case "RMSNormalization":
                return List.of("scale");
            case "Normalization":
                return List.of("mean", "variance", "count");
            case "Attention": {
                // Keras 3.15's Attention.build: scale (use_scale), then concat_score_weight (score_mode concat)
                List<String> r = new ArrayList<>();
                if (config.path("use_scale").asBoolean(false)) r.add("scale");
                if ("concat".equals(config.path("score_mode").asText("dot"))) r.add("concat_score_weight");
                return r;
            }
            case "AdditiveAttention":
                return config.path("use_scale").asBoolean(true) ? List.of("scale") : List.of();
            default:
                return null;
        }
    }
}
