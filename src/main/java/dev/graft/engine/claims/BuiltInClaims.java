package dev.graft.engine.claims;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.engine.keras.KerasActivationNames;
import java.util.Set;

/**
 * The keys each Keras class the engine computes claims, in every spelling (Keras 1, 2, tf.keras, 3). What a key
 * with a value graft does not compute means is in the refusal; see {@code keras3-layers.md} for the catalogue of
 * Keras 3 keys and defaults these were checked against, and the zoo ({@code keras3-zoo}) for the values tried.
 */
final class BuiltInClaims {
    private BuiltInClaims() {
    }

    /** Activations the engine computes with Keras's definition, by the name every Keras version writes. */
    private static final Set<String> ACTIVATIONS = Set.of("linear", "relu", "sigmoid", "tanh", "softmax", "softplus",
            "softsign", "elu", "selu", "relu6", "swish", "silu");

    /**
     * A named activation the engine computes with the definition of the Keras that wrote the file: DL4J's own where
     * it is Keras's, else graft's ({@link KerasActivationNames}), which the engine applies on the layers graft's
     * activation plug-ins cover (Activation, Dense, Conv1D, Conv2D). Keras 2's hard_sigmoid is DL4J's; Keras 3's is
     * graft's.
     */
    static final ArgumentClaims.Check ACTIVATION = (v, ctx) -> {
        if (JsonValues.isAbsent(v)) return null;
        if (!v.isTextual()) return "only named activations are computed";
        String a = v.asText();
        if (ACTIVATIONS.contains(a) || "hard_sigmoid".equals(a) && ctx.kerasMajor() < 3) return null;
        if (!KerasActivationNames.isComputed(a)) return "the engine has no '" + a + "' activation";
        if (KerasActivationNames.graftKind(a, ctx.kerasMajor()) != null && !KerasActivationNames.PLUGIN_CLASSES.containsKey(ctx.className())) {
            return "hard_sigmoid".equals(a) ? "Keras 3's hard_sigmoid, relu6(x+3)/6, is computed on Activation, Dense, Conv1D and Conv2D layers only"
                    : "graft computes '" + a + "' on Activation, Dense, Conv1D and Conv2D layers only";
        }
        return null;
    };

    /** graft's own GRU computes both definitions of hard_sigmoid, each for the Keras that wrote the file. */
    private static final ArgumentClaims.Check GRU_ACTIVATION = (v, ctx) -> {
        if (v != null && v.isTextual() && "hard_sigmoid".equals(v.asText())) return null;
        return ACTIVATION.apply(v, ctx);
    };

    /** Channels last, the layout the engine configures every layer in; Keras 1 writes dim_ordering instead. */
    private static final ArgumentClaims.Check CHANNELS_LAST = (v, ctx) ->
            JsonValues.isAbsent(v) || "channels_last".equals(v.asText()) ? null : "graft computes this class channels last only";

    /** An axis that is the last one of the input: -1, or rank - 1 when the rank is known. */
    private static final ArgumentClaims.Check LAST_AXIS = (v, ctx) -> {
        int[] axes = JsonValues.ints(v);
        if (axes == null) return JsonValues.isAbsent(v) ? null : "graft computes it over the last axis only";
        if (axes.length == 1 && (axes[0] == -1 || ctx.inputRank() > 0 && axes[0] == ctx.inputRank() - 1)) return null;
        return "graft computes it over the last axis only" + (ctx.inputRank() > 0 ? " (axis " + (ctx.inputRank() - 1) + " or -1 here)" : "");
    };

    /**
     * BatchNormalization over one axis, any but the batch: DL4J's stock layer over the last axis, graft's plug-in over axis 1
     * of an image, and any other axis as the last one between a Permute and a Reshape (BatchNormOnAxis). Keras 3 takes one
     * axis only; tf.keras's lists of several axes keep weights shaped by those axes, which graft does not compute.
     */
    private static final ArgumentClaims.Check BATCH_NORM_AXIS = (v, ctx) -> {
        if (LAST_AXIS.apply(v, ctx) == null) return null;
        int[] axes = JsonValues.ints(v);
        if (axes != null && axes.length == 1 && ctx.inputRank() > 0) {
            int a = axes[0] < 0 ? axes[0] + ctx.inputRank() : axes[0];
            if (a >= 1 && a < ctx.inputRank()) return null;
        }
        if (axes != null && axes.length > 1) return "graft computes it over one axis only";
        return "graft computes it over one axis of the input other than the batch"
                + (ctx.inputRank() > 0 ? " (1 to " + (ctx.inputRank() - 1) + ", or -1 to -" + (ctx.inputRank() - 1) + " here)" : "");
    };

    private static final ArgumentClaims.Check ONE = (v, ctx) -> {
        int[] n = JsonValues.ints(v);
        if (JsonValues.isAbsent(v)) return null;
        if (n == null) return "graft computes only 1";
        for (int i : n) if (i != 1) return "graft computes only 1";
        return null;
    };

    private static final ArgumentClaims.Check FALSE = (v, ctx) ->
            JsonValues.isAbsent(v) || v.isBoolean() && !v.asBoolean() ? null : "graft computes only false";

    private static final ArgumentClaims.Check NULL = (v, ctx) -> JsonValues.isAbsent(v) ? null : "graft computes only null";

    private static final ArgumentClaims.Check PADDING = (v, ctx) ->
            JsonValues.isAbsent(v) || Set.of("valid", "same").contains(v.asText()) ? null : "graft computes valid and same padding";

    private static final ArgumentClaims.Check PADDING_1D = (v, ctx) ->
            JsonValues.isAbsent(v) || Set.of("valid", "same", "causal").contains(v.asText()) ? null
                    : "graft computes valid, same and causal padding";

    /** A plain number (Rescaling's scale and offset): graft does not compute per-channel lists. */
    private static final ArgumentClaims.Check NUMBER = (v, ctx) ->
            JsonValues.isAbsent(v) || v.isNumber() ? null : "graft computes it as a single number only";

    /** One number or a list of numbers (Normalization's given statistics). */
    private static final ArgumentClaims.Check NUMBERS = (v, ctx) -> {
        if (JsonValues.isAbsent(v) || v.isNumber()) return null;
        if (v.isArray() && v.size() > 0) {
            for (JsonNode x : v) if (!x.isNumber()) return "graft computes a number or a list of numbers only";
            return null;
        }
        return "graft computes a number or a list of numbers only";
    };

    /** Normalization over the features of {@code (batch, features)}: graft's plug-in computes that shape only. */
    private static final ArgumentClaims.Check FEATURES_OF_A_MATRIX = (v, ctx) -> {
        if (v != null && v.isNull()) return "graft computes it over the features only, not over every axis";
        if (ctx.inputRank() > 2) return "graft computes Normalization of (batch, features) inputs only, not rank " + ctx.inputRank();
        return LAST_AXIS.apply(v, ctx);
    };

    /** The layers graft computes with its own plug-ins (engine/keras), which check the same keys again when built. */
    private static void registerGraftLayers() {
        LayerClaims.register("Identity", ArgumentClaims.builder().build());
        LayerClaims.register("Rescaling", ArgumentClaims.builder().check("scale", NUMBER).check("offset", NUMBER).build());
        LayerClaims.register("Normalization", ArgumentClaims.builder().honours("invert")
                .check("axis", FEATURES_OF_A_MATRIX).check("mean", NUMBERS).check("variance", NUMBERS).build());
        LayerClaims.register("LayerNormalization", ArgumentClaims.builder()
                .honours("epsilon", "center", "scale", "rms_scaling").check("axis", LAST_AXIS).build());
        LayerClaims.register("RMSNormalization", ArgumentClaims.builder().honours("epsilon").check("axis", LAST_AXIS).build());
        LayerClaims.register("UnitNormalization", ArgumentClaims.builder().check("axis", LAST_AXIS).build());
        LayerClaims.register("CenterCrop", ArgumentClaims.builder().honours("height", "width").check("data_format", CHANNELS_LAST).build());
        LayerClaims.register("MultiHeadAttention", ArgumentClaims.builder()
                .honours("num_heads", "key_dim", "value_dim", "use_bias", "output_shape")
                // the engine's form of attention_axes over a rank-4+ input (MultiHeadAttentionAxes)
                .honours("graft_query_groups", "graft_key_groups", "graft_explicit_softmax")
                .irrelevant("dropout", "seed")
                .check("attention_axes", (v, ctx) -> {
                    // any position axes of the query's rank (MultiHeadAttentionAxes); the rank unknown, a sequence's
                    int rank = ctx.inputRank() > 0 ? ctx.inputRank() : 3;
                    return JsonValues.isAbsent(v) || dev.graft.engine.MultiHeadAttentionAxes.axes(v, rank) != null ? null
                            : "graft computes attention over position axes of the query (1 to " + (rank - 2) + ", or counted back from -2)";
                }).check("use_gate", FALSE).check("sliding_window", NULL)
                .irrelevant("flash_attention")
                .build());
        LayerClaims.register("EinsumDense", ArgumentClaims.builder()
                .honours("equation", "output_shape", "bias_axes", "activation")
                .check("lora_rank", NULL).check("quantization_config", NULL)
                .build());
        for (String gqa : new String[] {"GroupedQueryAttention", "GroupQueryAttention"}) {
            LayerClaims.register(gqa, ArgumentClaims.builder()
                    .honours("head_dim", "num_query_heads", "num_key_value_heads", "use_bias")
                    .irrelevant("dropout", "seed", "flash_attention")
                    .check("use_gate", FALSE).check("sliding_window", NULL)
                    .build());
        }
        LayerClaims.register("Attention", ArgumentClaims.builder().honours("use_scale", "causal")
                .check("score_mode", (v, ctx) -> JsonValues.isAbsent(v) || Set.of("dot", "concat").contains(v.asText()) ? null
                        : "graft computes the dot and concat scores")
                .irrelevant("dropout", "seed").build());
        LayerClaims.register("AdditiveAttention", ArgumentClaims.builder().honours("use_scale", "causal").irrelevant("dropout", "seed").build());
    }

    static void registerAll() {
        registerGraftLayers();
        registerGraftConvolutions();
        ArgumentClaims input = ArgumentClaims.builder()
                .honours("batch_input_shape", "batch_shape", "shape", "input_shape", "dtype")
                .check("sparse", FALSE).check("ragged", FALSE).check("optional", FALSE).check("input_tensor", NULL)
                .build();
        LayerClaims.register("InputLayer", input);

        LayerClaims.register("Dense", ArgumentClaims.builder()
                .honours("units", "output_dim", "use_bias", "bias")
                .check("activation", ACTIVATION).check("lora_rank", NULL).irrelevant("lora_alpha")
                .build());
        LayerClaims.register("TimeDistributedDense", ArgumentClaims.builder()
                .honours("units", "output_dim", "use_bias", "bias")
                .check("activation", ACTIVATION)
                .build());
        LayerClaims.register("Activation", ArgumentClaims.builder().check("activation", ACTIVATION).build());

        ArgumentClaims noise = ArgumentClaims.builder()
                .irrelevant("rate", "noise_shape", "stddev", "p", "sigma").build();
        for (String c : new String[] {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout",
                "GaussianNoise", "AlphaDropout"}) {
            LayerClaims.register(c, noise.plus(ArgumentClaims.builder().check("data_format", (v, ctx) -> null).build()));
        }

        LayerClaims.register("Flatten", ArgumentClaims.builder().check("data_format", CHANNELS_LAST).build());
        // A -1 is solved from the input's sample shape before the engine sees it (ReshapeForEngine).
        LayerClaims.register("Reshape", ArgumentClaims.builder().honours("dims").check("target_shape", (v, ctx) -> {
            int[] dims = JsonValues.ints(v);
            if (dims == null) return JsonValues.isAbsent(v) ? null : "graft needs the target shape as numbers";
            int open = 0;
            for (int d : dims) if (d < 0) open++;
            return open <= 1 ? null : "Keras allows one -1 in a target shape";
        }).honours("graft_restores_layout").build());
        // Permutations of more than two axes go to graft's own vertex (TensorOpsForEngine).
        LayerClaims.register("Permute", ArgumentClaims.builder().check("dims", (v, ctx) -> {
            int[] dims = JsonValues.ints(v);
            return dims != null ? null : "graft needs the permutation as numbers";
        }).honours("graft_restores_layout").build());
        LayerClaims.register("RepeatVector", ArgumentClaims.builder().honours("n").build());
        LayerClaims.register("Masking", ArgumentClaims.builder().honours("mask_value").build());

        ArgumentClaims merge = ArgumentClaims.builder().build();
        for (String c : new String[] {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"}) LayerClaims.register(c, merge);
        LayerClaims.register("Concatenate", ArgumentClaims.builder().honours("axis").build());
        LayerClaims.register("Merge", ArgumentClaims.builder()
                .honours("mode", "concat_axis", "dot_axes", "mode_type", "output_shape", "output_shape_type", "output_mask",
                        "output_mask_type", "arguments", "layers", "node_indices", "tensor_indices")
                .build());

        ArgumentClaims convBase = ArgumentClaims.builder()
                .honours("filters", "kernel_size", "strides", "dilation_rate", "use_bias", "rank",
                        // Keras 1 spellings
                        "nb_filter", "nb_row", "nb_col", "nb_depth", "kernel_dim1", "kernel_dim2", "kernel_dim3", "filter_length",
                        "subsample", "subsample_length", "atrous_rate", "bias", "border_mode", "dim_ordering")
                .check("activation", ACTIVATION)
                .check("groups", ONE)
                .check("padding", PADDING)
                .check("data_format", CHANNELS_LAST)
                .check("lora_rank", NULL).irrelevant("lora_alpha")
                .build();
        for (String c : new String[] {"Conv2D", "Convolution2D", "AtrousConvolution2D", "Conv3D", "Convolution3D"}) {
            LayerClaims.register(c, convBase);
        }
        // graft's own channels-first 1D convolution handles data_format (ChannelsFirstConv1D); Conv1D may pad causally.
        ArgumentClaims conv1D = convBase.plus(ArgumentClaims.builder().check("padding", PADDING_1D).honours("data_format").build());
        for (String c : new String[] {"Conv1D", "Convolution1D", "AtrousConvolution1D"}) LayerClaims.register(c, conv1D);
        // graft's own grouped convolution computes groups > 1 (KerasConvolutionLayer).
        LayerClaims.register("Conv1D", conv1D.plus(ArgumentClaims.builder().check("groups", GROUPS).build()));
        // What DL4J's stock classes do not compute as Keras does (channels first, output padding, dilated or 3-d strided
        // transposes, groups) is graft's own convolution (KerasConvolutionImport.stockComputes), with its activations.
        for (String c : new String[] {"Conv2D", "Conv3D", "Conv2DTranspose", "Conv3DTranspose", "SeparableConv2D"}) {
            ArgumentClaims.Builder b = ArgumentClaims.builder().honours("data_format", "output_padding")
                    .check("activation", (v, ctx) -> dev.graft.engine.keras.KerasConvolutionImport.stockComputes(ctx.config(), c)
                            ? ACTIVATION.apply(v, ctx) : CONV_ACTIVATION.apply(v, ctx));
            if (c.startsWith("Conv2D") || c.equals("Conv3D")) b.check("groups", GROUPS);
            if (c.startsWith("Separable")) b.honours("depth_multiplier").check("groups", ONE);
            LayerClaims.register(c, convBase.plus(b.build()));
        }
        LayerClaims.register("LocallyConnected1D", convBase.plus(ArgumentClaims.builder()
                .irrelevant("implementation").build()));

        ArgumentClaims pooling = ArgumentClaims.builder()
                .honours("pool_size", "strides", "pool_length", "stride", "border_mode", "dim_ordering")
                .check("padding", PADDING).check("data_format", CHANNELS_LAST)
                .build();
        for (String c : new String[] {"MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
                "AveragePooling3D"}) {
            LayerClaims.register(c, pooling);
        }
        // keepdims, channels first and the 3D classes go to graft's own vertex (TensorOpsForEngine).
        ArgumentClaims global = ArgumentClaims.builder()
                .honours("data_format", "keepdims", "dim_ordering").build();
        for (String c : new String[] {"GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
                "GlobalAveragePooling3D", "GlobalMaxPooling3D"}) {
            LayerClaims.register(c, global);
        }
        LayerClaims.register("Dot", ArgumentClaims.builder().honours("normalize").check("axes", (v, ctx) -> {
            int[] axes = JsonValues.ints(v);
            return axes != null && (axes.length == 1 || axes.length == 2) ? null : "graft computes one axis or a pair of axes";
        }).build());

        LayerClaims.register("BatchNormalization", ArgumentClaims.builder()
                .check("axis", BATCH_NORM_AXIS).honours("epsilon", "center", "scale", "graft_added_beta")
                .irrelevant("momentum", "fused", "synchronized", "renorm_clipping", "renorm_momentum")
                .check("renorm", FALSE).check("virtual_batch_size", NULL).check("adjustment", NULL)
                .check("mode", (v, ctx) -> JsonValues.isAbsent(v) || v.asInt() == 0 ? null : "graft computes Keras 1 mode 0 only")
                .build());

        LayerClaims.register("Embedding", ArgumentClaims.builder()
                .honours("input_dim", "output_dim", "input_length")
                .honours("mask_zero").check("sparse", FALSE).check("lora_rank", NULL).irrelevant("lora_alpha", "dropout")
                .build());

        ArgumentClaims recurrent = ArgumentClaims.builder()
                .honours("units", "output_dim", "use_bias", "return_sequences", "reset_after")
                .check("activation", ACTIVATION).check("recurrent_activation", ACTIVATION).check("inner_activation", ACTIVATION)
                .irrelevant("dropout", "recurrent_dropout", "dropout_W", "dropout_U", "unit_forget_bias", "unroll", "implementation",
                        "consume_less", "use_cudnn", "zero_output_for_mask")
                .check("return_state", FALSE).check("go_backwards", FALSE).check("stateful", FALSE).check("time_major", FALSE)
                .build();
        // graft rewrites LSTMs that return or take states, read backwards or use Keras 3's hard_sigmoid into its own
        // state vertex (LstmStateRewrite), which computes both hard_sigmoids; a SimpleRNN reading backwards or with Keras 3's
        // hard_sigmoid is graft's own layer (SimpleRnnForEngine).
        ArgumentClaims ownRecurrent = ArgumentClaims.builder()
                .check("activation", GRU_ACTIVATION).check("recurrent_activation", GRU_ACTIVATION).check("inner_activation", GRU_ACTIVATION)
                .honours("go_backwards", "graft_hard_sigmoid", "graft_reverse_output")
                .build();
        LayerClaims.register("LSTM", recurrent.plus(ownRecurrent).plus(ArgumentClaims.builder().honours("return_state").build()));
        LayerClaims.register("SimpleRNN", recurrent.plus(ownRecurrent).plus(ArgumentClaims.builder()
                // GruStateRewrite: a SimpleRNN's state is its last output
                .check("return_state", (v, ctx) -> !v.asBoolean(false) || !ctx.config().path("return_sequences").asBoolean(false) ? null
                        : "graft computes a SimpleRNN's state only when it returns its last step, not sequences")
                .build()));
        LayerClaims.register("GRU", recurrent.plus(ArgumentClaims.builder()
                .check("activation", GRU_ACTIVATION).check("recurrent_activation", GRU_ACTIVATION).check("inner_activation", GRU_ACTIVATION)
                .honours("go_backwards", "graft_hard_sigmoid")
                // GruStateRewrite: the state of a GRU returning its last step is that step
                .check("return_state", (v, ctx) -> !v.asBoolean(false) || !ctx.config().path("return_sequences").asBoolean(false) ? null
                        : "graft computes a GRU's state only when it returns its last step, not sequences")
                .build()));

        LayerClaims.register("Bidirectional", ArgumentClaims.builder()
                .check("layer", (v, ctx) -> wrapped(v, ctx))
                .check("merge_mode", (v, ctx) -> v == null || v.isNull() || v.isTextual() && Set.of("concat", "sum", "mul", "ave").contains(v.asText())
                        ? null : "graft computes concat, sum, mul, ave and None")
                .check("backward_layer", BuiltInClaims::mirroredBackward)
                .build());
        LayerClaims.register("TimeDistributed", ArgumentClaims.builder().check("layer", (v, ctx) -> wrapped(v, ctx)).build());

        LayerClaims.register("LeakyReLU", ArgumentClaims.builder().honours("alpha", "negative_slope").build());
        LayerClaims.register("ReLU", ArgumentClaims.builder().honours("max_value", "negative_slope", "threshold").build());
        LayerClaims.register("ELU", ArgumentClaims.builder().honours("alpha").build());
        LayerClaims.register("ThresholdedReLU", ArgumentClaims.builder().honours("theta").build());
        LayerClaims.register("PReLU", ArgumentClaims.builder().honours("shared_axes").build());
        LayerClaims.register("Softmax", ArgumentClaims.builder().check("axis", LAST_AXIS).build());

        // Keras 2 and 3's 1-d, 3-d and channels-first 2-d ones are graft's KerasSpatialEditLayer (any amount per axis, either
        // data format); bilinear, bicubic and area UpSampling2D is graft's KerasResizingLayer (TensorFlow's definition).
        ArgumentClaims upsampling = ArgumentClaims.builder()
                .honours("size", "length", "data_format", "dim_ordering")
                .check("interpolation", (v, ctx) -> JsonValues.isAbsent(v) || "nearest".equals(v.asText()) ? null
                        : "graft computes nearest-neighbour upsampling only")
                .build();
        for (String c : new String[] {"UpSampling1D", "UpSampling3D"}) LayerClaims.register(c, upsampling);
        LayerClaims.register("UpSampling2D", ArgumentClaims.builder()
                .honours("size", "data_format", "dim_ordering")
                .check("interpolation", (v, ctx) -> JsonValues.isAbsent(v) || Set.of("nearest", "bilinear", "bicubic", "area").contains(v.asText())
                        || ctx.kerasMajor() <= 1 ? null : "graft computes nearest, bilinear, bicubic and area upsampling (TensorFlow's definition) only")
                .build());
        ArgumentClaims padding = ArgumentClaims.builder().honours("padding", "cropping", "dim_ordering", "data_format").build();
        for (String c : new String[] {"ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D"}) {
            LayerClaims.register(c, padding);
        }
    }

    /**
     * Issue 12's convolutions, group normalisation and resizing, computed by graft's SameDiff layers
     * ({@code KerasConvolutionLayer}, {@code KerasGroupNormalizationLayer}, {@code KerasResizingLayer}); registered before
     * the stock classes, whose Conv1D/Conv2D claims then take the groups check from here.
     */
    private static void registerGraftConvolutions() {
        ArgumentClaims conv = ArgumentClaims.builder()
                .honours("filters", "kernel_size", "strides", "dilation_rate", "use_bias", "depth_multiplier", "groups")
                .check("activation", CONV_ACTIVATION)
                .check("padding", PADDING)
                .check("lora_rank", NULL).irrelevant("lora_alpha")
                .build();
        LayerClaims.register("DepthwiseConv2D", conv.plus(ArgumentClaims.builder().honours("data_format").build()));
        LayerClaims.register("DepthwiseConv1D", conv.plus(ArgumentClaims.builder().honours("data_format").build()));
        LayerClaims.register("Conv1DTranspose", conv.plus(ArgumentClaims.builder().honours("data_format", "output_padding").build()));
        LayerClaims.register("SeparableConv1D", conv.plus(ArgumentClaims.builder().honours("data_format").build()));
        LayerClaims.register("GroupNormalization", ArgumentClaims.builder()
                .honours("groups", "epsilon", "center", "scale").check("axis", LAST_AXIS).build());
        LayerClaims.register("Resizing", ArgumentClaims.builder()
                .honours("height", "width", "data_format", "crop_to_aspect_ratio", "pad_to_aspect_ratio", "fill_value")
                .check("interpolation", (v, ctx) -> JsonValues.isAbsent(v) || Set.of("nearest", "bilinear", "bicubic", "area").contains(v.asText()) ? null
                        : "graft computes nearest, bilinear, bicubic and area resizing (TensorFlow's definition) only")
                .check("antialias", FALSE)
                .check("fill_mode", (v, ctx) -> JsonValues.isAbsent(v) || "constant".equals(v.asText()) ? null
                        : "Keras resizes with fill_mode constant only")
                .build());
        // graft's own ConvLSTM layer (KerasConvLstmLayer): both data formats, both hard_sigmoids, states where they are used.
        ArgumentClaims convLstm = ArgumentClaims.builder()
                .honours("filters", "kernel_size", "strides", "dilation_rate", "use_bias", "data_format", "return_sequences",
                        "return_state", "go_backwards", "graft_hard_sigmoid", "graft_reverse_output")
                .check("padding", PADDING)
                .check("activation", CONV_LSTM_ACTIVATION).check("recurrent_activation", CONV_LSTM_ACTIVATION)
                .irrelevant("dropout", "recurrent_dropout", "unit_forget_bias", "unroll", "zero_output_for_mask")
                .check("stateful", FALSE).check("time_major", FALSE)
                .build();
        LayerClaims.register("ConvLSTM1D", convLstm);
        LayerClaims.register("ConvLSTM2D", convLstm);
    }

    /** The activations graft's ConvLSTM computes (GruActivation), hard_sigmoid in the definition of the Keras that wrote the file. */
    private static final ArgumentClaims.Check CONV_LSTM_ACTIVATION = (v, ctx) ->
            JsonValues.isAbsent(v) || v.isTextual() && Set.of("tanh", "sigmoid", "hard_sigmoid", "linear", "relu").contains(v.asText()) ? null
                    : "graft computes a ConvLSTM with the activations tanh, sigmoid, hard_sigmoid, linear and relu only";

    private static final String CONV_ACTIVATIONS = "linear, relu, tanh, sigmoid, elu, selu, softplus, softsign, relu6, swish, silu, softmax";

    /** Conv1D/Conv2D groups: graft's grouped convolution computes any count, with the activations it has ({@link #CONV_ACTIVATION}). */
    private static final ArgumentClaims.Check GROUPS = (v, ctx) -> {
        int[] n = JsonValues.ints(v);
        if (JsonValues.isAbsent(v) || n != null && n.length == 1 && n[0] == 1) return null;
        if (n == null || n.length != 1 || n[0] < 1) return "graft computes a whole number of groups only";
        String a = ctx.config().path("activation").asText("linear");
        return dev.graft.engine.layers.KerasConvolutionLayer.computesActivation(a) ? null
                : "graft computes grouped convolutions with the activations " + CONV_ACTIVATIONS + " only";
    };

    /** The activations graft's own convolutions apply (SameDiff ops with Keras's definitions). */
    private static final ArgumentClaims.Check CONV_ACTIVATION = (v, ctx) -> {
        if (JsonValues.isAbsent(v)) return null;
        return v.isTextual() && dev.graft.engine.layers.KerasConvolutionLayer.computesActivation(v.asText()) ? null
                : "graft computes this layer with the activations " + CONV_ACTIVATIONS + " only";
    };

    /**
     * A wrapped LSTM or SimpleRNN is DL4J's layer, which reads forward only and has Keras 2's hard_sigmoid: what graft's
     * own LSTM and SimpleRNN compute besides is refused inside a wrapper (a wrapped GRU is graft's own and computes it).
     */
    private static String wrappedRecurrent(String inner, JsonNode config, int kerasMajor) {
        // A wrapped ConvLSTM is computed as its halves (BidirectionalSplit), which return their outputs only.
        if (inner.startsWith("ConvLSTM") && config.path("return_state").asBoolean(false)) {
            return "argument return_state=true is not computed inside a wrapper";
        }
        if (!"LSTM".equals(inner) && !"SimpleRNN".equals(inner)) return null;
        if (config.path("go_backwards").asBoolean(false)) return "argument go_backwards=true is not computed inside a wrapper";
        for (String key : new String[] {"activation", "recurrent_activation"}) {
            if (kerasMajor >= 3 && "hard_sigmoid".equals(config.path(key).asText())) {
                return "argument " + key + "=\"hard_sigmoid\" (Keras 3's, relu6(x+3)/6) is not computed inside a wrapper";
            }
        }
        return null;
    }

    /**
     * Keras 3 writes a Bidirectional's backward layer even when it is the forward layer mirrored; the engine
     * computes only that: same class and config, but for its name and the opposite go_backwards.
     */
    private static String mirroredBackward(JsonNode v, ArgumentClaims.Context ctx) {
        return JsonValues.isAbsent(v) ? null : "__mirror__";
    }

    /** A wrapper's inner layer: its own class's claims, checked with the wrapper's context. */
    private static String wrapped(JsonNode v, ArgumentClaims.Context ctx) {
        if (v == null || !v.isObject()) return "graft needs the wrapped layer's config";
        String inner = v.path("class_name").asText("");
        String dl4jOnly = wrappedRecurrent(inner, v.path("config"), ctx.kerasMajor());
        if (dl4jOnly != null) return "wrapped " + inner + ": " + dl4jOnly;
        String why = LayerClaims.whyNot(inner, v.path("config"), ctx.kerasMajor(), ctx.inputRank());
        return why == null ? null : "wrapped " + inner + ": " + why;
    }
}
