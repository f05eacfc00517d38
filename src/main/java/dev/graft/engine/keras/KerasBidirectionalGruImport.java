package dev.graft.engine.keras;

import dev.graft.engine.layers.GruSpec;
import dev.graft.engine.layers.KerasBidirectionalGruLayer;
import dev.graft.engine.layers.KerasGruLayer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J Keras-import plug-in for {@code Bidirectional(GRU)}, handed over as {@value #KERAS_CLASS} by the engine with its
 * weights named {@code forward_kernel}, ..., {@code backward_bias}: graft's {@link KerasBidirectionalGruLayer}. The
 * wrapped GRU's configuration is read as a GRU's ({@link GruConfigParser}); the backward layer is that GRU mirrored
 * (the engine's claims refuse any other). Claimed: {@code layer}, {@code merge_mode} (concat, sum, mul, ave),
 * {@code backward_layer} (checked mirrored before).
 */
public class KerasBidirectionalGruImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftBidirectionalGru";
    private static final Set<String> CLAIMED = Set.of("layer", "merge_mode", "backward_layer");

    private final GruSpec spec;

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasBidirectionalGruImport.class);
    }

    @SuppressWarnings("unchecked")
    public KerasBidirectionalGruImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> c = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check("Bidirectional", c, CLAIMED, Map.of());
        Object inner = c.get("layer");
        if (!(inner instanceof Map<?, ?> m) || !(m.get("config") instanceof Map<?, ?> gru)) {
            throw new InvalidKerasConfigurationException("Bidirectional layer " + layerName + ": no wrapped layer configuration");
        }
        spec = GruConfigParser.parse((Map<String, Object>) gru, layerName);
        if (spec.goBackwards() || spec.maskValue() != null) {
            throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (Bidirectional): a forward GRU with go_backwards or a "
                    + "mask is not computed by graft");
        }
        KerasBidirectionalGruLayer.Merge merge;
        try {
            merge = KerasBidirectionalGruLayer.Merge.valueOf(String.valueOf(c.getOrDefault("merge_mode", "concat")).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (Bidirectional): argument merge_mode=" + c.get("merge_mode")
                    + " is not computed by graft (concat, sum, mul and ave are)");
        }
        KerasGruLayer.Builder b = new KerasGruLayer.Builder()
                .units(spec.units())
                .resetAfter(spec.resetAfter())
                .useBias(spec.useBias())
                .activation(spec.activation())
                .recurrentActivation(spec.recurrentActivation())
                .returnSequences(spec.returnSequences())
                .dataFormat(RNNFormat.NWC)   // Keras's (batch, steps, features), as graft's GRU
                .name(layerName);
        this.layer = new KerasBidirectionalGruLayer(b, merge);
    }

    private KerasBidirectionalGruLayer bidirectional() {
        return (KerasBidirectionalGruLayer) layer;
    }

    @Override
    public int getNumParams() {
        return spec.useBias() ? 6 : 4;
    }

    @Override
    public InputType getOutputType(InputType... inputType) throws InvalidKerasConfigurationException {
        if (inputType.length != 1) {
            throw new InvalidKerasConfigurationException("Bidirectional layer " + layerName + " takes one input (got " + inputType.length + ")");
        }
        if (inputType[0] instanceof InputType.InputTypeRecurrent r && bidirectional().getNIn() <= 0) bidirectional().setNIn(r.getSize());
        return layer.getOutputType(-1, inputType[0]);
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        Map<String, INDArray> out = new HashMap<>();
        String[] prefixes = {"forward_", "backward_"};
        for (int h = 0; h < 2; h++) {
            Map<String, INDArray> half = new HashMap<>();
            for (Map.Entry<String, INDArray> e : weights.entrySet()) {
                if (e.getKey().startsWith(prefixes[h])) half.put(e.getKey().substring(prefixes[h].length()), e.getValue());
            }
            Map<String, INDArray> params = GruWeights.toLayerParams(half, spec, layerName);
            String[] names = h == 0 ? KerasBidirectionalGruLayer.FORWARD : KerasBidirectionalGruLayer.BACKWARD;
            out.put(names[0], params.get(KerasGruLayer.KERNEL));
            out.put(names[1], params.get(KerasGruLayer.RECURRENT_KERNEL));
            if (spec.useBias()) out.put(names[2], params.get(KerasGruLayer.BIAS));
        }
        this.weights = out;
        long rows = out.get(KerasBidirectionalGruLayer.FORWARD[0]).size(0);
        if (bidirectional().getNIn() != rows) bidirectional().setNIn(rows);
    }

    /** As {@link KerasGruImport#copyWeightsToLayer}: SameDiff layers in M2.1 drop values given through {@code setParam}. */
    @Override
    public void copyWeightsToLayer(org.deeplearning4j.nn.api.Layer dl4jLayer) throws InvalidKerasConfigurationException {
        SameDiffWeights.copy("Bidirectional", layerName, weights, dl4jLayer);
    }
}
