package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasConvolutionLayer;
import dev.graft.engine.layers.KerasConvolutionLayer.Kind;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J Keras-import plug-in for the convolutions DL4J lacks or computes otherwise, each handed over under its own class name
 * ({@link #ENGINE_CLASS}): {@code DepthwiseConv1D}, {@code DepthwiseConv2D}, {@code SeparableConv1D}, the transposed
 * convolutions, a channels-first {@code SeparableConv2D}, and {@code Conv1D}/{@code Conv2D}/{@code Conv3D} with {@code groups} > 1
 * or channels first. They become graft's {@link KerasConvolutionLayer}. Claimed: kernel size, strides, dilation, padding (valid,
 * same; causal for Conv1D), output padding, data format, groups, depth multiplier, filters, bias, the activations the layer
 * computes, initializers (the file's weights replace them), and regularizers and constraints, which only shape training, as for
 * every computed layer.
 */
public class KerasConvolutionImport extends KerasLayer {
    /** The class name the engine hands each Keras class under. */
    public static final Map<String, String> ENGINE_CLASS = Map.ofEntries(
            Map.entry("DepthwiseConv1D", "GraftDepthwiseConv1D"),
            Map.entry("DepthwiseConv2D", "GraftDepthwiseConv2D"),
            Map.entry("Conv1DTranspose", "GraftConv1DTranspose"),
            Map.entry("Conv1D", "GraftGroupedConv1D"),
            Map.entry("Conv2D", "GraftGroupedConv2D"),
            Map.entry("Conv3D", "GraftConv3D"),
            Map.entry("Conv2DTranspose", "GraftConv2DTranspose"),
            Map.entry("Conv3DTranspose", "GraftConv3DTranspose"),
            Map.entry("SeparableConv1D", "GraftSeparableConv1D"),
            Map.entry("SeparableConv2D", "GraftSeparableConv2D"));
    private static final Set<String> CLAIMED = Set.of("kernel_size", "strides", "dilation_rate", "padding", "data_format", "groups",
            "depth_multiplier", "filters", "use_bias", "activation", "kernel_initializer", "bias_initializer", "depthwise_initializer",
            "output_padding", "pointwise_initializer", "pointwise_regularizer", "pointwise_constraint",
            // training-only (as for every computed layer): the engine computes the model, the file keeps them
            "kernel_regularizer", "bias_regularizer", "depthwise_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint",
            "depthwise_constraint");

    private final String kerasClass;
    private final boolean useBias;

    /**
     * Whether DL4J's stock class computes this Keras 2/3 {@code Conv2D}, {@code Conv3D}, {@code Conv2DTranspose}, {@code
     * Conv3DTranspose} or {@code SeparableConv2D} as Keras does: channels last, one group, and for the transposed ones no output
     * padding, no dilation, no stride longer than a valid kernel (DL4J leaves those positions out), and for Conv3DTranspose a
     * stride of 1 (DL4J's Deconvolution3D computes other strides differently: the zoo's conv3dt_valid_s2). The others are
     * graft's {@link KerasConvolutionLayer}; stock classes stay where they compute right, so zips open in any DL4J.
     */
    public static boolean stockComputes(com.fasterxml.jackson.databind.JsonNode c, String cls) {
        if (!"channels_last".equals(c.path("data_format").asText("channels_last")) || c.path("groups").asInt(1) != 1) return false;
        if (!cls.endsWith("Transpose")) return true;
        if (c.hasNonNull("output_padding")) return false;
        int rank = cls.startsWith("Conv3D") ? 3 : 2;
        long[] k = sizes(c.path("kernel_size"), rank);
        long[] s = sizes(c.path("strides"), rank);
        long[] d = sizes(c.path("dilation_rate"), rank);
        for (int i = 0; i < rank; i++) {
            if (d[i] != 1 || rank == 3 && s[i] != 1) return false;
            if (!"same".equals(c.path("padding").asText("valid")) && k[i] < s[i]) return false;
        }
        return true;
    }

    /** A Keras size argument (a number or one per axis; absent is 1). */
    private static long[] sizes(com.fasterxml.jackson.databind.JsonNode v, int rank) {
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) out[i] = v.isArray() && v.size() == rank ? v.get(i).asLong(1) : v.asLong(1);
        return out;
    }

    public static void register() {
        for (String engineClass : ENGINE_CLASS.values()) KerasLayer.registerCustomLayer(engineClass, KerasConvolutionImport.class);
    }

    public KerasConvolutionImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        String engineClass = String.valueOf(layerConfig.get("class_name"));
        kerasClass = ENGINE_CLASS.entrySet().stream().filter(e -> e.getValue().equals(engineClass)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new InvalidKerasConfigurationException("no Keras class for " + engineClass));
        Map<String, Object> inner = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check(kerasClass, inner, CLAIMED, Map.of());
        int rank = kerasClass.contains("3D") ? 3 : kerasClass.contains("2D") ? 2 : 1;
        Kind kind = kerasClass.startsWith("Depthwise") ? Kind.DEPTHWISE : kerasClass.startsWith("Separable") ? Kind.SEPARABLE
                : kerasClass.endsWith("Transpose") ? Kind.TRANSPOSE : Kind.CONV;
        long[] kernel = sizes(inner, "kernel_size", rank, -1);
        long[] strides = sizes(inner, "strides", rank, 1);
        long[] dilation = sizes(inner, "dilation_rate", rank, 1);
        String padding = String.valueOf(inner.getOrDefault("padding", "valid"));
        boolean causalAllowed = kind == Kind.CONV && rank == 1;
        if (!Set.of("valid", "same").contains(padding) && !("causal".equals(padding) && causalAllowed)) {
            throw refusal("padding=" + padding, "valid and same are");
        }
        String format = String.valueOf(inner.getOrDefault("data_format", "channels_last"));
        boolean channelsFirst = "channels_first".equals(format);
        String activation = String.valueOf(inner.getOrDefault("activation", "linear"));
        if (!KerasConvolutionLayer.computesActivation(activation)) throw refusal("activation=" + activation, "not on this layer");
        int groups = (int) ClaimedConfig.number(kerasClass, inner, "groups", 1);
        int depthMultiplier = (int) ClaimedConfig.number(kerasClass, inner, "depth_multiplier", 1);
        long filters = kind == Kind.DEPTHWISE ? 0 : (long) ClaimedConfig.number(kerasClass, inner, "filters", -1);
        long[] outputPadding = null;
        if (inner.get("output_padding") != null) {
            if (kind != Kind.TRANSPOSE) throw refusal("output_padding=" + inner.get("output_padding"), "only transposed convolutions have one");
            outputPadding = sizes(inner, "output_padding", rank, -1);
        }
        useBias = !Boolean.FALSE.equals(inner.get("use_bias"));
        this.layer = new KerasConvolutionLayer.Builder().kind(kind).rank(rank)
                .kernelSize(rank == 1 ? new long[] {1, kernel[0]} : kernel)
                .strides(rank == 1 ? new long[] {1, strides[0]} : strides)
                .dilation(rank == 1 ? new long[] {1, dilation[0]} : dilation)
                .padding(padding).outputPadding(outputPadding).groups(groups).depthMultiplier(depthMultiplier).filters(filters).channelsFirst(channelsFirst)
                .useBias(useBias).activation(activation).name(layerName).build();
    }

    private UnsupportedKerasConfigurationException refusal(String argument, String what) {
        return KerasSizeArguments.refusal(layerName, kerasClass, argument, what);
    }

    private long[] sizes(Map<String, Object> inner, String key, int rank, long defaultValue) throws UnsupportedKerasConfigurationException {
        long[] out = KerasSizeArguments.read(inner, key, rank, defaultValue, layerName, kerasClass);
        return out;
    }

    private KerasConvolutionLayer conv() {
        return (KerasConvolutionLayer) layer;
    }

    @Override
    public int getNumParams() {
        return (useBias ? 2 : 1) + (conv().getKind() == Kind.SEPARABLE ? 1 : 0);
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + " takes one input");
        try {
            conv().setNIn(inputType[0], false);
            return conv().getOutputType(-1, inputType[0]);
        } catch (IllegalStateException e) {
            throw new InvalidKerasConfigurationException(e.getMessage(), e);
        }
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        this.weights = new HashMap<>();
        INDArray kernel = weights.containsKey("kernel") ? weights.get("kernel") : weights.get("depthwise_kernel");
        if (kernel == null) throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + ": the file has no kernel");
        long[] expected = conv().kernelShape();
        if (!Arrays.equals(kernel.shape(), expected)) {
            throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + ": the kernel has shape "
                    + Arrays.toString(kernel.shape()) + " where the layer's input needs " + Arrays.toString(expected));
        }
        this.weights.put(KerasConvolutionLayer.KERNEL, kernel);
        if (conv().getKind() == Kind.SEPARABLE) {
            INDArray pointwise = weights.get("pointwise_kernel");
            if (pointwise == null || !Arrays.equals(pointwise.shape(), conv().pointwiseShape())) {
                throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + ": the file has no pointwise kernel of shape "
                        + Arrays.toString(conv().pointwiseShape()));
            }
            this.weights.put(KerasConvolutionLayer.POINTWISE, pointwise);
        }
        if (useBias) {
            INDArray bias = weights.get("bias");
            if (bias == null || bias.length() != conv().outChannels()) {
                throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + ": the file has no bias of "
                        + conv().outChannels() + " values");
            }
            this.weights.put(KerasConvolutionLayer.BIAS, bias.reshape(1, bias.length()));
        }
    }

    /** As for graft's GRU: DL4J's default copy drops values for SameDiff layers in M2.1, so assign into the views. */
    @Override
    public void copyWeightsToLayer(org.deeplearning4j.nn.api.Layer dl4jLayer) throws InvalidKerasConfigurationException {
        SameDiffWeights.copy(kerasClass, layerName, weights, dl4jLayer);
    }
}
