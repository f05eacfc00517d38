package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasMultiHeadAttentionVertex;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J Keras-import plug-in for {@code MultiHeadAttention} on sequences, handed over as {@value #KERAS_CLASS} with its
 * weights named {@code query_kernel}, ..., {@code attention_output_bias} by the engine: graft's
 * {@link KerasMultiHeadAttentionVertex}. Claimed: {@code num_heads}, {@code key_dim}, {@code value_dim},
 * {@code use_bias}, {@code output_shape} (one number), {@code attention_axes} (the steps: {@code [1]}; other axes of
 * rank-4 inputs arrive as sequences with {@code graft_query_groups}/{@code graft_key_groups}, {@code MultiHeadAttentionAxes}),
 * {@code dropout} (training only, not applied), {@code use_gate=false}, {@code sliding_window=None}, the
 * initializers and seed (the file's weights replace them), and the engine's call flags {@code graft_causal}
 * ({@code use_causal_mask}), {@code graft_has_key}, {@code graft_explicit_softmax} and {@code graft_scores} (the call's {@code return_attention_scores}, its
 * scores used: output and scores packed, taken apart by {@link KerasAttentionPartImport} layers). Weights reach the network through the vertex's initial values,
 * as for graft's LSTM-state vertex.
 */
public class KerasMultiHeadAttentionImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftMultiHeadAttention";
    private static final Set<String> CLAIMED = Set.of("num_heads", "key_dim", "value_dim", "use_bias", "output_shape", "attention_axes", "dropout",
            "kernel_initializer", "bias_initializer", "seed");
    private static final Map<String, Object> HARMLESS = Map.of("use_gate", false);

    private final Long outputShape;

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasMultiHeadAttentionImport.class);
    }

    public KerasMultiHeadAttentionImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> c = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check("MultiHeadAttention", c, CLAIMED, HARMLESS);
        Object axes = c.get("attention_axes");
        if (axes != null && !Integer.valueOf(1).equals(axes) && !List.of(1).equals(axes)) {
            throw refusal("attention_axes=" + axes + " is not computed by graft (only the steps, [1], are)");
        }
        Object os = c.get("output_shape");
        if (os instanceof List<?> l && l.size() == 1) os = l.get(0);
        if (os != null && !(os instanceof Number)) throw refusal("output_shape=" + c.get("output_shape") + " is not computed by graft (only one number is)");
        outputShape = os == null ? null : ((Number) os).longValue();
        int heads = (int) ClaimedConfig.number("MultiHeadAttention", c, "num_heads", Double.NaN);
        int keyDim = (int) ClaimedConfig.number("MultiHeadAttention", c, "key_dim", Double.NaN);
        int valueDim = (int) ClaimedConfig.number("MultiHeadAttention", c, "value_dim", keyDim);
        KerasMultiHeadAttentionVertex v = new KerasMultiHeadAttentionVertex(heads, keyDim, valueDim, !Boolean.FALSE.equals(c.get("use_bias")),
                Boolean.TRUE.equals(c.get("graft_causal")), Boolean.TRUE.equals(c.get("graft_has_key")));
        v.setHasMask(Boolean.TRUE.equals(c.get("graft_has_mask")));
        v.setReturnScores(Boolean.TRUE.equals(c.get("graft_scores")));
        // Keras 3 computes a call that returns its scores, has dropout or reads rank-4+ inputs with its explicit softmax,
        // which zeroes masked positions; its fused dot-product attention (and Keras 2) does not (MultiHeadAttentionForEngine)
        v.setExplicitSoftmax(Boolean.TRUE.equals(c.get("graft_explicit_softmax")));
        // the Keras masks reaching the query, value and key, given as their sources' outputs (AttentionMasks)
        boolean[] masks = new boolean[3];
        double[] maskValues = new double[3];
        String[] roles = {"query", "value", "key"};
        for (int r = 0; r < 3; r++) {
            if (c.get("graft_" + roles[r] + "_mask_value") instanceof Number n) {
                masks[r] = true;
                maskValues[r] = n.doubleValue();
            }
        }
        v.setKerasMasks(masks);
        v.setKerasMaskValues(maskValues);
        // attention over some axes of rank-4+ inputs, their positions as steps (MultiHeadAttentionAxes)
        if (c.get("graft_query_groups") instanceof List<?> qg && c.get("graft_key_groups") instanceof List<?> kg) {
            v.setQueryGroups(qg.stream().mapToInt(g -> ((Number) g).intValue()).toArray());
            v.setKeyGroups(kg.stream().mapToInt(g -> ((Number) g).intValue()).toArray());
        }
        Object kv = c.get("graft_kv_heads");
        if (kv instanceof Number n) {
            if (n.intValue() <= 0 || heads % n.intValue() != 0) {
                throw refusal("num_key_value_heads=" + n + " does not divide num_query_heads=" + heads);
            }
            v.setKvHeads(n.intValue());
        }
        this.vertex = v;
    }

    private UnsupportedKerasConfigurationException refusal(String what) {
        return new UnsupportedKerasConfigurationException("layer '" + layerName + "' (MultiHeadAttention): argument " + what);
    }

    private KerasMultiHeadAttentionVertex mha() {
        return (KerasMultiHeadAttentionVertex) vertex;
    }

    @Override
    public int getNumParams() {
        return 0;
    }

    @Override
    public InputType getOutputType(InputType... in) throws InvalidKerasConfigurationException {
        KerasMultiHeadAttentionVertex v = mha();
        int attended = 2 + (v.isHasKey() ? 1 : 0) + (v.isHasMask() ? 1 : 0);
        int expected = attended + v.kerasMaskCount();
        if (in.length != expected) {
            throw new InvalidKerasConfigurationException("MultiHeadAttention layer " + layerName + " takes " + expected + " inputs, got " + in.length);
        }
        for (InputType t : in) {
            if (!(t instanceof InputType.InputTypeRecurrent)) {
                throw new InvalidKerasConfigurationException("MultiHeadAttention layer " + layerName + " takes sequences (batch, steps, features), got " + t);
            }
        }
        InputType.InputTypeRecurrent q = (InputType.InputTypeRecurrent) in[0];
        InputType.InputTypeRecurrent val = (InputType.InputTypeRecurrent) in[1];
        v.setQueryFormat(q.getFormat());
        v.setValueFormat(val.getFormat());
        if (v.getQueryDim() <= 0) v.setQueryDim(q.getSize());
        if (v.getValueInDim() <= 0) v.setValueInDim(val.getSize());
        if (v.isHasKey()) {
            InputType.InputTypeRecurrent k = (InputType.InputTypeRecurrent) in[2];
            v.setKeyFormat(k.getFormat());
            if (v.getKeyInDim() <= 0) v.setKeyInDim(k.getSize());
        }
        if (v.isHasMask()) {
            // Keras's attention_mask is (batch, query steps, key steps)
            InputType.InputTypeRecurrent m = (InputType.InputTypeRecurrent) in[attended - 1];
            InputType.InputTypeRecurrent k = (InputType.InputTypeRecurrent) in[v.isHasKey() ? 2 : 1];
            if (m.getTimeSeriesLength() != q.getTimeSeriesLength() || m.getSize() != k.getTimeSeriesLength()) {
                throw new InvalidKerasConfigurationException("layer '" + layerName + "' (MultiHeadAttention): attention_mask of "
                        + m.getTimeSeriesLength() + " x " + m.getSize() + " steps, graft computes (batch, " + q.getTimeSeriesLength() + ", "
                        + k.getTimeSeriesLength() + ") (query steps, key steps) only");
            }
            v.setMaskFormat(m.getFormat());
        }
        RNNFormat[] maskFormats = {RNNFormat.NWC, RNNFormat.NWC, RNNFormat.NWC};
        int next = attended;
        for (int r = 0; r < 3; r++) if (v.getKerasMasks()[r]) maskFormats[r] = ((InputType.InputTypeRecurrent) in[next++]).getFormat();
        v.setKerasMaskFormats(maskFormats);
        if (v.getOutputDim() <= 0) v.setOutputDim(outputShape != null ? outputShape : q.getSize());
        try {
            return v.getOutputType(-1, in);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException(e.getMessage());
        }
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        KerasMultiHeadAttentionVertex v = mha();
        INDArray q = require(weights, "query_kernel", 3);
        INDArray k = require(weights, "key_kernel", 3);
        INDArray val = require(weights, "value_kernel", 3);
        INDArray o = require(weights, "attention_output_kernel", 3);
        v.setQueryDim(q.size(0));
        if (v.isHasKey()) v.setKeyInDim(k.size(0));
        v.setValueInDim(val.size(0));
        v.setOutputDim(o.size(2));
        Map<String, INDArray> values = new HashMap<>();
        values.put("queryKernel", q.dup('c').reshape('c', q.size(0), q.size(1) * q.size(2)));
        values.put("keyKernel", k.dup('c').reshape('c', k.size(0), k.size(1) * k.size(2)));
        values.put("valueKernel", val.dup('c').reshape('c', val.size(0), val.size(1) * val.size(2)));
        values.put("outputKernel", o.dup('c').reshape('c', o.size(0) * o.size(1), o.size(2)));
        if (v.isUseBias()) {
            for (String[] b : new String[][] {{"query_bias", "queryBias"}, {"key_bias", "keyBias"}, {"value_bias", "valueBias"},
                    {"attention_output_bias", "outputBias"}}) {
                INDArray a = weights.get(b[0]);
                if (a == null) throw new InvalidKerasConfigurationException("MultiHeadAttention layer " + layerName + ": no stored weight '" + b[0] + "'");
                values.put(b[1], a.dup('c').reshape('c', 1, a.length()));
            }
        }
        v.setInitialValues(values);
        this.weights = values;
    }

    private INDArray require(Map<String, INDArray> weights, String name, int rank) throws InvalidKerasConfigurationException {
        INDArray a = weights.get(name);
        if (a == null || a.rank() != rank) {
            throw new InvalidKerasConfigurationException("MultiHeadAttention layer " + layerName + ": no stored rank-" + rank + " weight '" + name
                    + "' (found " + weights.keySet() + ")");
        }
        return a;
    }
}
