package dev.graft.engine.keras;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J Keras-import plug-in for a {@code BatchNormalization} over axis 1 of an image, {@code (batch, channels, rows, cols)}
 * (Keras's channels-first layout), handed over as {@value #KERAS_CLASS}. The engine keeps Keras's arrays as they are, so that
 * array is physically DL4J's NCHW: DL4J's own BatchNormalization configured NCHW over the channels of axis 1 computes and
 * trains it as Keras does, with the same parameters as any imported BatchNormalization (variance kept as a variance, moving
 * statistics updated by DL4J with Keras's momentum). A missing gamma ({@code scale=False}) is ones, a missing beta zeros.
 * Claimed: axis (the engine hands over axis 1 only), epsilon, momentum, center, scale; initializers, regularizers and
 * constraints only shape training, as for every computed layer.
 */
public class KerasBatchNormalizationChannelsFirstImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftBatchNormalizationChannelsFirst";
    private static final Set<String> CLAIMED = Set.of("axis", "epsilon", "momentum", "center", "scale", "fused", "synchronized",
            "renorm_clipping", "renorm_momentum", "beta_initializer", "gamma_initializer", "moving_mean_initializer",
            "moving_variance_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
    private static final Map<String, Object> HARMLESS = Map.of("renorm", false);

    private final boolean center;
    private final boolean scale;

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasBatchNormalizationChannelsFirstImport.class);
    }

    public KerasBatchNormalizationChannelsFirstImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> inner = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check("BatchNormalization", inner, CLAIMED, HARMLESS);
        center = !Boolean.FALSE.equals(inner.get("center"));
        scale = !Boolean.FALSE.equals(inner.get("scale"));
        double eps = ClaimedConfig.number("BatchNormalization", inner, "epsilon", 1e-3);
        double momentum = ClaimedConfig.number("BatchNormalization", inner, "momentum", 0.99);
        this.layer = new BatchNormalization.Builder().name(layerName).eps(eps).decay(momentum).useLogStd(false)
                .dataFormat(CNN2DFormat.NCHW).build();
    }

    private BatchNormalization batchNorm() {
        return (BatchNormalization) layer;
    }

    /** The input's Keras axis 1 is the channels; the output is described as the input was. */
    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) throw new InvalidKerasConfigurationException("BatchNormalization layer " + layerName + " takes one input");
        long[] axes = dev.graft.engine.layers.KerasArrayAxes.of(inputType[0]);
        if (axes == null || axes.length != 3) {
            throw new InvalidKerasConfigurationException("BatchNormalization layer " + layerName
                    + " over axis 1 takes an image (batch, channels, rows, cols); its input is " + inputType[0]);
        }
        batchNorm().setNIn(axes[0]);
        batchNorm().setNOut(axes[0]);
        return inputType[0];
    }

    @Override
    public int getNumParams() {
        return 4;
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        this.weights = new HashMap<>();
        INDArray mean = required(weights, "moving_mean");
        INDArray variance = required(weights, "moving_variance");
        long n = mean.length();
        this.weights.put(BatchNormalizationParamInitializer.GLOBAL_MEAN, mean.reshape(1, n));
        this.weights.put(BatchNormalizationParamInitializer.GLOBAL_VAR, variance.reshape(1, n));
        this.weights.put(BatchNormalizationParamInitializer.GAMMA, scale ? required(weights, "gamma").reshape(1, n)
                : org.nd4j.linalg.factory.Nd4j.ones(mean.dataType(), 1, n));
        this.weights.put(BatchNormalizationParamInitializer.BETA, center ? required(weights, "beta").reshape(1, n)
                : org.nd4j.linalg.factory.Nd4j.zeros(mean.dataType(), 1, n));
    }

    private INDArray required(Map<String, INDArray> weights, String name) throws InvalidKerasConfigurationException {
        INDArray w = weights.get(name);
        if (w == null) throw new InvalidKerasConfigurationException("BatchNormalization layer " + layerName + ": the file has no " + name);
        return w;
    }
}
