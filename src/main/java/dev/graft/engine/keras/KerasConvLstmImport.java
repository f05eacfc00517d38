package dev.graft.engine.keras;

import dev.graft.engine.layers.GruActivation;
import dev.graft.engine.layers.KerasConvLstmLayer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J Keras-import plug-in for Keras's {@code ConvLSTM1D} and {@code ConvLSTM2D}, handed over by the engine as {@value #CONV_LSTM_1D}
 * and {@value #CONV_LSTM_2D} ({@code ConvLstmForEngine}, which adds {@code graft_hard_sigmoid} for the producer's definition and
 * {@value #PACK_STATE_KEY} when the states are used): graft's {@link KerasConvLstmLayer}. Claimed: filters, kernel size, strides,
 * dilation, padding (valid, same), data format, activation and recurrent activation (tanh, sigmoid, either hard_sigmoid, linear,
 * relu), bias, return_sequences, return_state, go_backwards; dropout rates and {@code unit_forget_bias} only matter in training
 * or at initialisation, initializers, regularizers and constraints only in training; {@code stateful}, {@code time_major} and
 * {@code unroll} are refused unless false ({@code unroll} is how Keras runs the loop, not what it computes, so the engine drops it).
 */
public class KerasConvLstmImport extends KerasLayer {
    public static final String CONV_LSTM_1D = "GraftConvLSTM1D";
    public static final String CONV_LSTM_2D = "GraftConvLSTM2D";
    /** Set by the engine when the layer's states are used: the layer packs output, h and c along its step axis. */
    public static final String PACK_STATE_KEY = "graft_pack_state";

    private static final Set<String> CLAIMED = Set.of("filters", "kernel_size", "strides", "dilation_rate", "padding", "data_format",
            "activation", "recurrent_activation", "use_bias", "return_sequences", "return_state", "go_backwards",
            // training-only or initialisation-only: the engine computes the model, the file keeps them
            "dropout", "recurrent_dropout", "unit_forget_bias", "seed", "zero_output_for_mask", "kernel_initializer", "recurrent_initializer", "bias_initializer",
            "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
            "recurrent_constraint", "bias_constraint");
    private static final Map<String, Object> HARMLESS = Map.of("stateful", false, "time_major", false, "unroll", false);

    private final String kerasClass;
    private final boolean useBias;

    public static void register() {
        for (String c : List.of(CONV_LSTM_1D, CONV_LSTM_2D)) KerasLayer.registerCustomLayer(c, KerasConvLstmImport.class);
    }

    public KerasConvLstmImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        int rank = CONV_LSTM_1D.equals(layerConfig.get("class_name")) ? 1 : 2;
        kerasClass = "ConvLSTM" + rank + "D";
        Map<String, Object> inner = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check(kerasClass, inner, CLAIMED, HARMLESS);
        RecurrentConfig c = new RecurrentConfig(inner, kerasClass, layerName);
        HardSigmoidFlavor flavor = c.flavor();
        long[] kernel = sizes(inner, "kernel_size", rank, -1);
        long[] strides = sizes(inner, "strides", rank, 1);
        long[] dilation = sizes(inner, "dilation_rate", rank, 1);
        String padding = String.valueOf(inner.getOrDefault("padding", "valid"));
        if (!Set.of("valid", "same").contains(padding)) throw refusal("padding=" + padding, "valid and same are");
        String format = String.valueOf(inner.getOrDefault("data_format", "channels_last"));
        if (!Set.of("channels_last", "channels_first").contains(format)) throw refusal("data_format=" + format, "channels_last and channels_first are");
        long filters = (long) ClaimedConfig.number(kerasClass, inner, "filters", -1);
        if (filters <= 0) throw refusal("filters=" + inner.get("filters"), "a positive number is");
        useBias = c.flagOrTrue("use_bias");
        boolean returnState = c.flag("return_state");
        boolean pack = Boolean.TRUE.equals(inner.get(PACK_STATE_KEY));
        if (returnState && !pack) throw refusal("return_state=true", "the engine computes the states where they are used");
        this.layer = new KerasConvLstmLayer.Builder().rank(rank).filters(filters)
                .kernelSize(rank == 1 ? new long[] {1, kernel[0]} : kernel)
                .strides(rank == 1 ? new long[] {1, strides[0]} : strides)
                .dilation(rank == 1 ? new long[] {1, dilation[0]} : dilation)
                .same("same".equals(padding)).channelsFirst("channels_first".equals(format))
                .activation(c.activation("activation", flavor)).recurrentActivation(c.activation("recurrent_activation", flavor))
                .useBias(useBias).returnSequences(c.flag("return_sequences")).goBackwards(c.flag("go_backwards")).packState(pack)
                .reverseOutput(Boolean.TRUE.equals(inner.get(KerasSimpleRnnImport.REVERSE_OUTPUT_KEY)))
                .name(layerName).build();
    }

    private UnsupportedKerasConfigurationException refusal(String argument, String what) {
        return KerasSizeArguments.refusal(layerName, kerasClass, argument, what);
    }

    private long[] sizes(Map<String, Object> inner, String key, int rank, long defaultValue) throws UnsupportedKerasConfigurationException {
        long[] out = KerasSizeArguments.read(inner, key, rank, defaultValue, layerName, kerasClass);
        for (long x : out) if (x <= 0) throw refusal(key + "=" + inner.get(key), "positive sizes are");
        return out;
    }

    private KerasConvLstmLayer convLstm() {
        return (KerasConvLstmLayer) layer;
    }

    @Override
    public int getNumParams() {
        return useBias ? 3 : 2;
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) {
            throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + " takes one input; initial states are not computed (got "
                    + inputType.length + " inputs)");
        }
        try {
            convLstm().setNIn(inputType[0], false);
            return convLstm().getOutputType(-1, inputType[0]);
        } catch (IllegalStateException e) {
            throw new InvalidKerasConfigurationException(e.getMessage(), e);
        }
    }

    /** Keras's arrays as they are; the bias {@code (4·filters,)} as one row. */
    @Override
    public void setWeights(Map<String, INDArray> keras) throws InvalidKerasConfigurationException {
        Map<String, INDArray> out = new HashMap<>();
        out.put(KerasConvLstmLayer.KERNEL, expect(keras, "kernel", convLstm().kernelShape()));
        out.put(KerasConvLstmLayer.RECURRENT_KERNEL, expect(keras, "recurrent_kernel", convLstm().recurrentKernelShape()));
        if (useBias) {
            long n = 4 * convLstm().getFilters();
            INDArray bias = keras.get("bias");
            if (bias == null || bias.length() != n) {
                throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + ": the file has no bias of " + n + " values");
            }
            out.put(KerasConvLstmLayer.BIAS, bias.reshape(1, n));
        }
        this.weights = out;
    }

    private INDArray expect(Map<String, INDArray> keras, String name, long[] shape) throws InvalidKerasConfigurationException {
        INDArray a = keras.get(name);
        if (a == null) {
            throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + ": no stored weight '" + name + "' (found "
                    + keras.keySet() + ")");
        }
        if (!Arrays.equals(a.shape(), shape)) {
            throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + ": weight '" + name + "' has shape "
                    + Arrays.toString(a.shape()) + " where the layer's input needs " + Arrays.toString(shape));
        }
        return a;
    }

    /** As for graft's GRU: DL4J's default copy drops values for SameDiff layers in M2.1, so assign into the views. */
    @Override
    public void copyWeightsToLayer(org.deeplearning4j.nn.api.Layer dl4jLayer) throws InvalidKerasConfigurationException {
        SameDiffWeights.copy(kerasClass, layerName, weights, dl4jLayer);
    }
}
