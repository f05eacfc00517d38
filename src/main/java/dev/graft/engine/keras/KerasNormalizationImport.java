package dev.graft.engine.keras;

import dev.graft.engine.layers.FeatureNormalizationActivation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J Keras-import plug-in for the preprocessing layer {@code Normalization} on {@code (batch, features)}, handed over
 * as {@value #KERAS_CLASS}: an activation layer computing {@link FeatureNormalizationActivation} from the statistics
 * given in the configuration ({@code mean}, {@code variance}: one number or one per feature) or, for an adapted layer,
 * the stored weights {@code mean} and {@code variance} ({@code count} only matters to {@code adapt}). Claimed:
 * {@code axis} (the features, -1, as the engine writes it), {@code mean}, {@code variance}, {@code invert}.
 */
public class KerasNormalizationImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftNormalization";
    static final Set<String> CLAIMED = Set.of("axis", "mean", "variance", "invert");

    private final boolean invert;

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasNormalizationImport.class);
    }

    public KerasNormalizationImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> c = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check("Normalization", c, CLAIMED, Map.of());
        Object axis = c.get("axis");
        if (axis instanceof List<?> l && l.size() == 1) axis = l.get(0);
        if (!(axis instanceof Number n && n.intValue() == -1)) throw refusal("axis=" + c.get("axis") + " is not computed by graft (only the features, -1, are)");
        invert = Boolean.TRUE.equals(c.get("invert"));
        double[] mean = numbers(c, "mean"), variance = numbers(c, "variance");
        if ((mean == null) != (variance == null)) throw refusal("mean and variance are given together or not at all");
        FeatureNormalizationActivation f = mean == null ? new FeatureNormalizationActivation(new double[] {0}, new double[] {1}, invert)
                : new FeatureNormalizationActivation(mean, variance, invert);
        this.layer = new ActivationLayer.Builder().activation(f).name(layerName).build();
        this.weights = Map.of();
    }

    private double[] numbers(Map<String, Object> c, String key) throws UnsupportedKerasConfigurationException {
        Object v = c.get(key);
        if (v == null) return null;
        if (v instanceof Number n) return new double[] {n.doubleValue()};
        if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(Number.class::isInstance)) {
            return l.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
        }
        throw refusal(key + "=" + v + " is not computed by graft (only a number or a list of numbers is)");
    }

    private UnsupportedKerasConfigurationException refusal(String what) {
        return new UnsupportedKerasConfigurationException("layer '" + layerName + "' (Normalization): argument " + what);
    }

    @Override
    public int getNumParams() {
        return 0;
    }

    /** An adapted layer's statistics, stored as weights, become the activation's constants. */
    @Override
    public void setWeights(Map<String, INDArray> stored) throws InvalidKerasConfigurationException {
        INDArray mean = stored.get("mean"), variance = stored.get("variance");
        if (mean == null && variance == null) return;
        if (mean == null || variance == null || mean.length() != variance.length()) {
            throw new InvalidKerasConfigurationException("Normalization layer " + layerName + ": the file has weights " + stored.keySet()
                    + ", not a mean and a variance of one length");
        }
        ActivationLayer a = (ActivationLayer) layer;
        a.setActivationFn(new FeatureNormalizationActivation(mean.toDoubleVector(), variance.toDoubleVector(), invert));
    }

    /** The statistics are constants of the activation; the network holds no parameter for them. */
    @Override
    public void copyWeightsToLayer(org.deeplearning4j.nn.api.Layer dl4jLayer) {
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) throw new InvalidKerasConfigurationException("Normalization layer " + layerName + " takes one input");
        if (inputType[0].getType() != InputType.Type.FF) {
            throw new InvalidKerasConfigurationException("Normalization layer " + layerName + ": graft computes (batch, features) inputs only, got "
                    + inputType[0]);
        }
        return inputType[0];
    }
}
