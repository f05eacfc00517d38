package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasNormalizationLayer;
import dev.graft.engine.layers.KerasNormalizationLayer.Mode;
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
 * DL4J Keras-import plug-in for {@code LayerNormalization}, {@code RMSNormalization} and {@code UnitNormalization}, handed
 * over as {@value #KERAS_CLASS}, {@value #KERAS_CLASS_RMS} and {@value #KERAS_CLASS_UNIT}: graft's {@link KerasNormalizationLayer}. Claimed:
 * {@code axis} (the last axis only: the engine writes it as -1 when it is), {@code epsilon}, {@code center},
 * {@code scale}, {@code rms_scaling}, and the initializers (the file's weights replace them); a regularizer or
 * constraint is refused.
 */
public class KerasLayerNormalizationImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftLayerNormalization";
    public static final String KERAS_CLASS_RMS = "GraftRMSNormalization";
    public static final String KERAS_CLASS_UNIT = "GraftUnitNormalization";
    private static final Set<String> CLAIMED = Set.of("axis", "epsilon", "center", "scale", "rms_scaling", "beta_initializer",
            "gamma_initializer");

    private final boolean hasGamma;
    private final boolean hasBeta;
    private final String kerasClass;

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasLayerNormalizationImport.class);
        KerasLayer.registerCustomLayer(KERAS_CLASS_RMS, KerasLayerNormalizationImport.class);
        KerasLayer.registerCustomLayer(KERAS_CLASS_UNIT, KerasLayerNormalizationImport.class);
    }

    public KerasLayerNormalizationImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        boolean rmsClass = KERAS_CLASS_RMS.equals(layerConfig.get("class_name"));
        boolean unitClass = KERAS_CLASS_UNIT.equals(layerConfig.get("class_name"));
        kerasClass = rmsClass ? "RMSNormalization" : unitClass ? "UnitNormalization" : "LayerNormalization";
        Map<String, Object> inner = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check(kerasClass, inner, CLAIMED, Map.of());
        Object axis = inner.get("axis");
        boolean last = axis == null || Integer.valueOf(-1).equals(axis) || (axis instanceof List<?> l && l.equals(List.of(-1)));
        if (!last) {
            throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (" + kerasClass + "): argument axis=" + axis
                    + " is not computed by graft (only the last axis is)");
        }
        boolean rmsScaling = Boolean.TRUE.equals(inner.get("rms_scaling"));
        Mode mode = unitClass ? Mode.UNIT : rmsClass ? Mode.RMS : rmsScaling ? Mode.LAYER_RMS_SCALING : Mode.LAYER;
        hasGamma = !unitClass && (rmsClass || rmsScaling || !Boolean.FALSE.equals(inner.get("scale")));
        hasBeta = !unitClass && !rmsClass && !rmsScaling && !Boolean.FALSE.equals(inner.get("center"));
        double epsilon = ClaimedConfig.number(kerasClass, inner, "epsilon", rmsClass ? 1e-6 : 1e-3);
        this.layer = new KerasNormalizationLayer.Builder().mode(mode).epsilon(epsilon).center(hasBeta).scale(hasGamma).name(layerName).build();
    }

    @Override
    public int getNumParams() {
        return (hasGamma ? 1 : 0) + (hasBeta ? 1 : 0);
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + " takes one input");
        return inputType[0];
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        this.weights = new HashMap<>();
        if (hasGamma) this.weights.put(KerasNormalizationLayer.GAMMA, row(weights, "RMSNormalization".equals(kerasClass) ? "scale" : "gamma"));
        if (hasBeta) this.weights.put(KerasNormalizationLayer.BETA, row(weights, "beta"));
        if (this.weights.isEmpty()) return;
        long features = this.weights.values().iterator().next().length();
        KerasNormalizationLayer norm = (KerasNormalizationLayer) layer;
        if (norm.getFeatures() != features) norm.setFeatures(features);
    }

    private INDArray row(Map<String, INDArray> weights, String name) throws InvalidKerasConfigurationException {
        INDArray w = weights.get(name);
        if (w == null) throw new InvalidKerasConfigurationException(kerasClass + " layer " + layerName + ": the file has no " + name);
        return w.reshape(1, w.length());
    }

    /** As for graft's GRU: DL4J's default copy drops values for SameDiff layers in M2.1, so assign into the views. */
    @Override
    public void copyWeightsToLayer(org.deeplearning4j.nn.api.Layer dl4jLayer) throws InvalidKerasConfigurationException {
        SameDiffWeights.copy(kerasClass, layerName, weights, dl4jLayer);   // UnitNormalization has no weights: nothing to copy
    }
}
