package dev.graft.engine.keras;

import dev.graft.engine.layers.GruSpec;
import dev.graft.engine.layers.KerasGruLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLayerUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * DL4J Keras-import plug-in for Keras's {@code GRU}, which DL4J 1.0.0-M2.1 lacks ("Unsupported keras
 * layer type GRU"). Call {@link #register()} once before {@code KerasModelImport}; the layer then
 * imports as a {@link KerasGruLayer}, in Sequential and functional models alike.
 *
 * <p>Layout is DL4J's imported-LSTM convention, NWC: the network takes Keras's own
 * {@code (batch, steps, features)} arrays unchanged and {@code return_sequences=True} gives
 * {@code (batch, steps, units)}; {@code return_sequences=False} gives {@code (batch, units)} directly (the
 * layer itself returns the last step, so no {@code LastTimeStep} wrapper is needed).
 *
 * <p>Keras-2-style files only (Keras 1's per-gate {@code W_z, U_z, …} arrays are refused). Dropout
 * settings are ignored: Keras applies them only while training.
 */
public class KerasGruImport extends KerasLayer {

    /** The Keras class name this plug-in handles. */
    public static final String KERAS_CLASS = "GRU";

    private final GruSpec spec;
    /** Set by the engine when the GRU reads a Keras mask through other layers: its input's last feature is the mask. */
    public static final String KEEP_FEATURE_KEY = "graft_keep_feature";

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasGruImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasGruImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        // Not enforcing training-only settings: this import is for computing the model, and an
        // unknown regularizer must not stop that (DL4J then only warns).
        super(layerConfig, false);
        if (kerasMajorVersion == null || kerasMajorVersion != 2) {
            throw new UnsupportedKerasConfigurationException("GRU layer " + layerName
                    + ": only Keras-2-style files are supported (file says Keras major version " + kerasMajorVersion + ")");
        }
        Map<String, Object> inner = KerasLayerUtils.getInnerLayerConfigFromConfig(layerConfig, conf);
        this.spec = GruConfigParser.parse(inner, layerName);

        KerasGruLayer.Builder b = new KerasGruLayer.Builder()
                .units(spec.units())
                .resetAfter(spec.resetAfter())
                .useBias(spec.useBias())
                .activation(spec.activation())
                .recurrentActivation(spec.recurrentActivation())
                .returnSequences(spec.returnSequences())
                .goBackwards(spec.goBackwards())
                .maskValue(spec.maskValue())
                .zeroOutputForMask(spec.zeroOutputForMask())
                .keepFeature(Boolean.TRUE.equals(inner.get(KEEP_FEATURE_KEY)))
                .dataFormat(RNNFormat.NWC)   // as DL4J's KerasLSTM: Keras's (batch, steps, features)
                .name(layerName);
        Integer nIn = KerasLayerUtils.getNInFromInputDim(layerConfig, conf);
        if (nIn != null) {
            b.nIn(nIn);
        }
        if (weightL1Regularization > 0) {
            b.l1(weightL1Regularization);
        }
        if (weightL2Regularization > 0) {
            b.l2(weightL2Regularization);
        }
        this.layer = b.build();
    }

    public GruSpec getSpec() {
        return spec;
    }

    public KerasGruLayer getGruLayer() {
        return (KerasGruLayer) layer;
    }

    @Override
    public int getNumParams() {
        return spec.useBias() ? 3 : 2;
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) {
            throw new InvalidKerasConfigurationException("GRU layer " + layerName
                    + " takes one input; initial states are not supported (got " + inputType.length + " inputs)");
        }
        InputPreProcessor pre = getInputPreprocessor(inputType);
        InputType in = pre == null ? inputType[0] : pre.getOutputType(inputType[0]);
        return layer.getOutputType(-1, in);
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        this.weights = GruWeights.toLayerParams(weights, spec, layerName);
        // The kernel's rows are the input width: trust them where the config left nIn open or ambiguous.
        long rows = this.weights.get(KerasGruLayer.KERNEL).size(0);
        if (getGruLayer().getNIn() != rows) {
            getGruLayer().setNIn(rows);
        }
    }

    /**
     * DL4J's default copies through {@code Layer.setParam}, which for SameDiff layers in M2.1 checks the
     * shape and then drops the value; so assign into the parameter views here.
     */
    @Override
    public void copyWeightsToLayer(org.deeplearning4j.nn.api.Layer dl4jLayer) throws InvalidKerasConfigurationException {
        SameDiffWeights.copy("GRU", layerName, weights, dl4jLayer);
    }
}
