package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasAttentionVertex;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J Keras-import plug-in for {@code Attention} and {@code AdditiveAttention} on sequences, handed over as
 * {@value #KERAS_CLASS} by the engine ({@code AttentionForEngine}) with the flags {@code graft_kind} (dot, concat,
 * additive), {@code graft_causal} ({@code use_causal_mask}) and {@code graft_has_key}, and its weights ({@code scale},
 * {@code concat_score_weight}) as rank-1 arrays: graft's {@link KerasAttentionVertex}. Claimed: {@code use_scale},
 * {@code score_mode}, {@code dropout} and {@code seed} (training only), Keras 2's {@code causal}. With {@code graft_scores}
 * (the call's {@code return_attention_scores}, its scores used) the vertex packs output and scores, which
 * {@link KerasAttentionPartImport} layers take apart. With {@code graft_query_mask_value}/{@code graft_value_mask_value} the
 * Keras masks reaching the query and the value are further inputs.
 */
public class KerasAttentionImport extends KerasLayer {
    public static final String KERAS_CLASS = "GraftAttention";
    private static final Set<String> CLAIMED = Set.of("use_scale", "score_mode", "dropout", "seed", "causal");

    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasAttentionImport.class);
        KerasLayer.registerCustomLayer(KerasAttentionPartImport.KERAS_CLASS, KerasAttentionPartImport.class);
    }

    public KerasAttentionImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> c = ClaimedConfig.inner(layerConfig);
        ClaimedConfig.check("Attention", c, CLAIMED, Map.of());
        KerasAttentionVertex.Kind kind;
        try {
            kind = KerasAttentionVertex.Kind.valueOf(String.valueOf(c.get("graft_kind")).toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKerasConfigurationException("layer '" + layerName + "' (Attention): score_mode=" + c.get("score_mode")
                    + " is not computed by graft (dot and concat are)");
        }
        this.vertex = new KerasAttentionVertex(kind, Boolean.TRUE.equals(c.get("use_scale")), Boolean.TRUE.equals(c.get("graft_causal")),
                Boolean.TRUE.equals(c.get("graft_has_key")));
        KerasAttentionVertex v = attention();
        v.setReturnScores(Boolean.TRUE.equals(c.get("graft_scores")));
        // the Keras masks reaching the query and the value, given as their sources' outputs (AttentionMasks)
        if (c.get("graft_query_mask_value") instanceof Number n) {
            v.setHasQueryMask(true);
            v.setQueryMaskValue(n.doubleValue());
        }
        if (c.get("graft_value_mask_value") instanceof Number n) {
            v.setHasValueMask(true);
            v.setValueMaskValue(n.doubleValue());
        }
    }

    private KerasAttentionVertex attention() {
        return (KerasAttentionVertex) vertex;
    }

    @Override
    public int getNumParams() {
        return 0;
    }

    @Override
    public InputType getOutputType(InputType... in) throws InvalidKerasConfigurationException {
        KerasAttentionVertex v = attention();
        int attended = v.isHasKey() ? 3 : 2;
        int expected = attended + (v.isHasQueryMask() ? 1 : 0) + (v.isHasValueMask() ? 1 : 0);
        if (in.length != expected) {
            throw new InvalidKerasConfigurationException("Attention layer " + layerName + " takes " + expected + " inputs, got " + in.length);
        }
        for (InputType t : in) {
            if (!(t instanceof InputType.InputTypeRecurrent)) {
                throw new InvalidKerasConfigurationException("Attention layer " + layerName + " takes sequences (batch, steps, features), got " + t);
            }
        }
        InputType.InputTypeRecurrent q = (InputType.InputTypeRecurrent) in[0];
        InputType.InputTypeRecurrent val = (InputType.InputTypeRecurrent) in[1];
        InputType.InputTypeRecurrent key = (InputType.InputTypeRecurrent) in[attended - 1];
        // the mask sources (the layers that made the masks) follow the attended tensors
        int next = attended;
        if (v.isHasQueryMask()) v.setQueryMaskFormat(((InputType.InputTypeRecurrent) in[next++]).getFormat());
        if (v.isHasValueMask()) v.setValueMaskFormat(((InputType.InputTypeRecurrent) in[next]).getFormat());
        if (q.getSize() != key.getSize()) {
            throw new InvalidKerasConfigurationException("Attention layer " + layerName + ": query and key features differ (" + q.getSize()
                    + " and " + key.getSize() + ")");
        }
        v.setQueryFormat(q.getFormat());
        v.setValueFormat(val.getFormat());
        v.setKeyFormat(key.getFormat());
        if (v.getFeatures() <= 0) v.setFeatures(q.getSize());
        v.setValueFeatures(val.getSize());
        try {
            return v.getOutputType(-1, in);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException(e.getMessage());
        }
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) throws InvalidKerasConfigurationException {
        KerasAttentionVertex v = attention();
        Map<String, INDArray> values = new HashMap<>();
        INDArray scale = weights.get("scale");
        if (v.isUseScale()) {
            if (scale == null) throw new InvalidKerasConfigurationException("Attention layer " + layerName + ": no stored weight 'scale' (found "
                    + weights.keySet() + ")");
            if (v.getKind() == KerasAttentionVertex.Kind.ADDITIVE) v.setFeatures(scale.length());
            values.put(KerasAttentionVertex.SCALE, scale.dup('c').reshape('c', 1, scale.length()));
        }
        if (v.getKind() == KerasAttentionVertex.Kind.CONCAT) {
            INDArray w = weights.get("concat_score_weight");
            if (w == null) throw new InvalidKerasConfigurationException("Attention layer " + layerName
                    + ": no stored weight 'concat_score_weight' (found " + weights.keySet() + ")");
            values.put(KerasAttentionVertex.CONCAT_WEIGHT, w.dup('c').reshape('c', 1, 1));
        }
        v.setInitialValues(values);
        this.weights = values;
    }
}
