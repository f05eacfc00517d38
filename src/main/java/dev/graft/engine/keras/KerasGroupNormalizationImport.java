package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasGroupNormalizationLayer;
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
 * DL4J Keras-import plug-in for {@code GroupNormalization}, handed over as {@value #KERAS_CLASS}: graft's {@link
 * KerasGroupNormalizationLayer}. Claimed: {@code groups}, {@code axis} (the last only: the engine writes it as -1 when it
 * is), {@code epsilon}, {@code center}, {@code scale} the initializers (the file's weights replace them), regularizers and
 * constraints (training only, as for every computed layer).
 */
public class KerasGroupNormalizationImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftGroupNormalization";
    private static final Set<String> CLAIMED = Set.of("groups", "axis", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
            "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");

    private final boolean hasGamma;
    private final boolean hasBeta;

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasGroupNormalizationImport.class);
    }

    public KerasGroupNormalizationImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> inner = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check("GroupNormalization", inner, CLAIMED, Map.of());
        Object axis = inner.get("axis");
        if (!(axis == null || Integer.valueOf(-1).equals(axis) || (axis instanceof List<?> l && l.equals(List.of(-1))))) {
            throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (GroupNormalization): argument axis=" + axis
                    + " is not computed by graft (only the last axis is)");
        }
        int groups = (int) ClaimedConfig.number("GroupNormalization", inner, "groups", 32);
        hasGamma = !Boolean.FALSE.equals(inner.get("scale"));
        hasBeta = !Boolean.FALSE.equals(inner.get("center"));
        double epsilon = ClaimedConfig.number("GroupNormalization", inner, "epsilon", 1e-3);
        this.layer = new KerasGroupNormalizationLayer.Builder().groups(groups).epsilon(epsilon).center(hasBeta).scale(hasGamma)
                .name(layerName).build();
    }

    @Override
    public int getNumParams() {
        return (hasGamma ? 1 : 0) + (hasBeta ? 1 : 0);
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) throw new InvalidKerasConfigurationException("GroupNormalization layer " + layerName + " takes one input");
        try {
            ((KerasGroupNormalizationLayer) layer).setNIn(inputType[0], false);
        } catch (IllegalStateException e) {
            throw new InvalidKerasConfigurationException(e.getMessage(), e);
        }
        return inputType[0];
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        this.weights = new HashMap<>();
        if (hasGamma) this.weights.put(KerasGroupNormalizationLayer.GAMMA, row(weights, "gamma"));
        if (hasBeta) this.weights.put(KerasGroupNormalizationLayer.BETA, row(weights, "beta"));
    }

    private INDArray row(Map<String, INDArray> weights, String name) throws InvalidKerasConfigurationException {
        INDArray w = weights.get(name);
        if (w == null) throw new InvalidKerasConfigurationException("GroupNormalization layer " + layerName + ": the file has no " + name);
        return w.reshape(1, w.length());
    }

    @Override
    public void copyWeightsToLayer(org.deeplearning4j.nn.api.Layer dl4jLayer) throws InvalidKerasConfigurationException {
        SameDiffWeights.copy("GroupNormalization", layerName, weights, dl4jLayer);
    }
}
