package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasEinsumDenseVertex;
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
 * DL4J Keras-import plug-in for {@code EinsumDense}, handed over as {@value #KERAS_CLASS} by the engine with its
 * activation split off into a layer of its own (so {@code activation} is {@code linear} here): graft's
 * {@link KerasEinsumDenseVertex}. Claimed: {@code equation}, {@code output_shape}, {@code bias_axes}, {@code activation}
 * (linear), the initializers (the file's weights replace them); regularizers and constraints only act while Keras trains.
 */
public class KerasEinsumDenseImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftEinsumDense";
    private static final Set<String> CLAIMED = Set.of("equation", "output_shape", "bias_axes", "kernel_initializer", "bias_initializer",
            "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint");
    private static final Map<String, Object> HARMLESS = Map.of("activation", "linear");

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasEinsumDenseImport.class);
    }

    public KerasEinsumDenseImport(Map<String, Object> layerConfig) throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> c = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check("EinsumDense", c, CLAIMED, HARMLESS);
        Object os = c.get("output_shape");
        long[] partial;
        if (os instanceof Number n) {
            partial = new long[] {n.longValue()};
        } else if (os instanceof List<?> l) {
            partial = new long[l.size()];
            for (int i = 0; i < l.size(); i++) partial[i] = l.get(i) instanceof Number n ? n.longValue() : -1;
        } else {
            partial = new long[0];
        }
        Object bias = c.get("bias_axes");
        this.vertex = new KerasEinsumDenseVertex(String.valueOf(c.get("equation")), bias == null ? null : bias.toString(), partial);
    }

    private KerasEinsumDenseVertex einsum() {
        return (KerasEinsumDenseVertex) vertex;
    }

    @Override
    public int getNumParams() {
        return 0;
    }

    @Override
    public InputType getOutputType(InputType... in) throws InvalidKerasConfigurationException {
        try {
            return einsum().getOutputType(-1, in);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException("layer '" + layerName + "' (EinsumDense): " + e.getMessage());
        }
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        KerasEinsumDenseVertex v = einsum();
        Map<String, INDArray> values = new HashMap<>();
        INDArray kernel = weights.get("kernel");
        if (kernel == null) throw new InvalidKerasConfigurationException("EinsumDense layer " + layerName + ": no stored weight 'kernel' (found "
                + weights.keySet() + ")");
        values.put(KerasEinsumDenseVertex.KERNEL, kernel.dup('c').reshape('c', 1, kernel.length()));
        INDArray bias = weights.get("bias");
        if (v.getBiasAxes() != null) {
            if (bias == null) throw new InvalidKerasConfigurationException("EinsumDense layer " + layerName + ": no stored weight 'bias'");
            values.put(KerasEinsumDenseVertex.BIAS, bias.dup('c').reshape('c', 1, bias.length()));
        }
        if (v.getInputDims() != null && !Arrays.equals(v.kernelShape(), kernel.shape())) {
            throw new InvalidKerasConfigurationException("EinsumDense layer " + layerName + ": kernel of shape " + Arrays.toString(kernel.shape())
                    + ", the equation needs " + Arrays.toString(v.kernelShape()));
        }
        v.setInitialValues(values);
        this.weights = values;
    }
}
