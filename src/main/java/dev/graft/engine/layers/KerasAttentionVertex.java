package dev.graft.engine.layers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * Keras's {@code Attention} ({@code score_mode} dot or concat) and {@code AdditiveAttention} over sequences, as a DL4J
 * graph vertex with inputs query, value and optionally key (value when absent), trainable through SameDiff's autodiff.
 * Written from Keras 3.15's {@code Attention._calculate_scores}/{@code _apply_scores} and
 * {@code AdditiveAttention._calculate_scores}:
 * <ul>
 *   <li>dot: {@code scores = q·kᵀ}, times the scalar {@code scale} with {@code use_scale};</li>
 *   <li>concat: {@code scores = concat_score_weight · Σ tanh(scale·(q_i + k_j))} (no scale without {@code use_scale});</li>
 *   <li>additive: {@code scores = Σ scale ⊙ tanh(q_i + k_j)}, {@code scale} a vector over the features (1 without
 *       {@code use_scale});</li>
 * </ul>
 * then, with {@code use_causal_mask}, {@code -1e9} added where the key step is after the query step, a softmax over the
 * key steps and the weighted sum of the values: {@code (batch, Tq, value features)}. Dropout applies only while Keras
 * trains, and is not modelled. With {@link #isReturnScores()} (Keras's {@code return_attention_scores=True}) the vertex
 * outputs the attended values and the scores after the softmax side by side, {@code (batch, Tq, value features + Tk)}
 * NWC, which {@link AttentionPartVertex} vertices take apart.
 *
 * <p>Keras masks ({@code _calculate_score_mask}, {@code call}): with a value mask, {@code -1e9} is added (once, also
 * when causal) where the value step is masked — a query step whose value steps are all masked spreads evenly over all
 * of them, as in Keras; with a query mask, the output is 0 at masked query steps. Each mask arrives as one more input,
 * the output of the layer that made it ({@link StepKeep}: a step is masked when all its features hold the mask value).
 *
 * <p>Parameters: {@code scale} as {@code [1, 1]} (dot, concat) or {@code [1, features]} (additive), and
 * {@code concatWeight} {@code [1, 1]} (concat). Sequences are NWC or NCW as their input types say; the output takes the
 * query's layout.
 */
public class KerasAttentionVertex extends SameDiffVertex implements DirectInferenceVertex {
    /** How the scores are made. */
    public enum Kind { DOT, CONCAT, ADDITIVE }

    public static final String SCALE = "scale";
    public static final String CONCAT_WEIGHT = "concatWeight";
    static final String QUERY = "query";
    static final String VALUE = "value";
    static final String KEY = "key";
    static final String QUERY_MASK = "queryMask";
    static final String VALUE_MASK = "valueMask";

    private Kind kind = Kind.DOT;
    private boolean useScale;
    private boolean causal;
    private boolean hasKey;
    private boolean returnScores;
    private long features;
    private long valueFeatures;
    private RNNFormat queryFormat = RNNFormat.NWC;
    private RNNFormat valueFormat = RNNFormat.NWC;
    private RNNFormat keyFormat = RNNFormat.NWC;
    private boolean hasQueryMask;
    private double queryMaskValue;
    private RNNFormat queryMaskFormat = RNNFormat.NWC;
    private boolean hasValueMask;
    private double valueMaskValue;
    private RNNFormat valueMaskFormat = RNNFormat.NWC;

    @JsonIgnore
    private transient Map<String, INDArray> initialValues;

    /** For JSON deserialisation (DL4J configurations and zips). */
    public KerasAttentionVertex() {
    }

    public KerasAttentionVertex(Kind kind, boolean useScale, boolean causal, boolean hasKey) {
        this.kind = kind;
        this.useScale = useScale;
        this.causal = causal;
        this.hasKey = hasKey;
    }

    /** Values the parameters start from (the model's stored weights), taken once when the network is built. */
    public void setInitialValues(Map<String, INDArray> values) {
        this.initialValues = values == null ? null : new HashMap<>(values);
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        java.util.List<String> inputs = new java.util.ArrayList<>(java.util.List.of(QUERY, VALUE));
        if (hasKey) inputs.add(KEY);
        if (hasQueryMask) inputs.add(QUERY_MASK);
        if (hasValueMask) inputs.add(VALUE_MASK);
        params.defineInputs(inputs.toArray(String[]::new));
        if (useScale) params.addWeightParam(SCALE, 1, kind == Kind.ADDITIVE ? features : 1);
        if (kind == Kind.CONCAT) params.addWeightParam(CONCAT_WEIGHT, 1, 1);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        Map<String, INDArray> given = initialValues;
        initialValues = null;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray v = given == null ? null : given.get(e.getKey());
            if (v == null) {
                // Keras's initialisers: ones for the scalars; the additive scale's Glorot uniform over (features,) is
                // limit sqrt(6 / (2·features)) (fan in = fan out = features for a vector).
                if (kind == Kind.ADDITIVE && SCALE.equals(e.getKey())) {
                    double limit = Math.sqrt(3.0 / features);
                    e.getValue().assign(Nd4j.rand(e.getValue().dataType(), e.getValue().shape()).muli(2 * limit).subi(limit));
                } else {
                    e.getValue().assign(1);
                }
            } else if (!Arrays.equals(v.shape(), e.getValue().shape())) {
                throw new IllegalStateException("Attention " + getLayerName() + ": parameter " + e.getKey() + " has shape "
                        + Arrays.toString(e.getValue().shape()) + ", values have " + Arrays.toString(v.shape()));
            } else {
                e.getValue().assign(v.castTo(e.getValue().dataType()));
            }
        }
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> in, Map<String, SDVariable> p, Map<String, SDVariable> maskVars) {
        SDVariable q = nwc(sd, in.get(QUERY), queryFormat);
        SDVariable v = nwc(sd, in.get(VALUE), valueFormat);
        SDVariable k = hasKey ? nwc(sd, in.get(KEY), keyFormat) : v;
        long tq = q.getShape()[1];
        long tk = k.getShape()[1];
        long d = q.getShape()[2];
        // Written with matrix products and [1, n] rows only: ND4J M2.1's backward passes of broadcasts and reductions over
        // rank-4 float arrays fail ("Axis array [...] contains values above array rank"), training on float32 networks.
        SDVariable scores;   // [B, Tq, Tk]
        if (kind == Kind.DOT) {
            scores = sd.mmul(q, k, false, true, false);
            if (useScale) scores = sd.reshape(sd.reshape(scores, -1, 1).mmul(p.get(SCALE)), -1, tq, tk);
        } else {
            // every (query step, key step) pair: [Tq·Tk, B·D] = Sq·q + Sk·k, Sq and Sk constant 0/1 selections
            float[] sq = new float[(int) (tq * tk * tq)];
            float[] sk = new float[(int) (tq * tk * tk)];
            for (int i = 0; i < tq; i++) {
                for (int j = 0; j < tk; j++) {
                    sq[(int) ((i * tk + j) * tq + i)] = 1;
                    sk[(int) ((i * tk + j) * tk + j)] = 1;
                }
            }
            SDVariable qT = sd.reshape(sd.permute(q, 1, 0, 2), tq, -1);
            SDVariable kT = sd.reshape(sd.permute(k, 1, 0, 2), tk, -1);
            SDVariable pairs = constant(sd, sq, tq * tk, tq, q.dataType()).mmul(qT).add(constant(sd, sk, tq * tk, tk, q.dataType()).mmul(kT));
            SDVariable flat = sd.reshape(pairs, -1, 1);                                  // [Tq·Tk·B·D, 1]
            if (kind == Kind.CONCAT && useScale) flat = flat.mmul(p.get(SCALE));
            SDVariable t = sd.reshape(sd.math.tanh(flat), -1, d);                        // [Tq·Tk·B, D]
            float[] ones = new float[(int) d];
            java.util.Arrays.fill(ones, 1f);
            SDVariable weights = kind == Kind.ADDITIVE && useScale ? sd.permute(p.get(SCALE), 1, 0) : constant(sd, ones, d, 1, q.dataType());
            SDVariable s = t.mmul(weights);                                              // [Tq·Tk·B, 1]
            if (kind == Kind.CONCAT) s = s.mmul(p.get(CONCAT_WEIGHT));
            scores = sd.permute(sd.reshape(s, tq, tk, -1), 2, 0, 1);
        }
        if (hasValueMask) {
            // Keras: where(padding, scores - 1e9, scores), the padding the masked value steps or (causal) later steps
            SDVariable keep = StepKeep.keep(sd, nwc(sd, in.get(VALUE_MASK), valueMaskFormat), valueMaskValue);   // [B, Tk]
            SDVariable[] rows = new SDVariable[(int) tq];
            java.util.Arrays.fill(rows, keep);
            SDVariable m = tq == 1 ? keep : sd.concat(1, rows);                                     // [B, Tq·Tk]
            if (causal) m = m.mul(constant(sd, causalOnes(tq, tk), 1, tq * tk, scores.dataType()));
            scores = sd.reshape(sd.reshape(scores, -1, tq * tk).add(m.sub(1.0).mul(1e9)), -1, tq, tk);
        } else if (causal) {
            float[] adder = new float[(int) (tq * tk)];
            for (int i = 0; i < tq; i++) for (int j = 0; j < tk; j++) adder[(int) (i * tk + j)] = j <= i ? 0f : -1e9f;
            scores = sd.reshape(sd.reshape(scores, -1, tq * tk).add(constant(sd, adder, 1, tq * tk, scores.dataType())), -1, tq, tk);
        }
        SDVariable probs = sd.nn.softmax(scores, 2);
        SDVariable out = sd.mmul(probs, v);   // [B, Tq, Dv]
        if (hasQueryMask) {
            // Keras: where(query_mask, output, 0)
            long dv = v.getShape()[2];
            SDVariable keep = sd.reshape(StepKeep.keep(sd, nwc(sd, in.get(QUERY_MASK), queryMaskFormat), queryMaskValue), -1, tq, 1);
            SDVariable[] columns = new SDVariable[(int) dv];
            java.util.Arrays.fill(columns, keep);
            out = out.mul(dv == 1 ? keep : sd.concat(2, columns));
        }
        // Keras returns the scores as the softmax left them: the query mask zeroes the output only
        if (returnScores) return sd.concat(2, out, probs);   // [B, Tq, Dv + Tk], NWC
        return queryFormat == RNNFormat.NCW ? sd.permute(out, 0, 2, 1) : out;
    }

    /**
     * Inference without SameDiff for short sequences ({@link SmallAttention}): the scores of {@link #defineVertex} in
     * plain loops (dot products; concat's and additive's sums of tanh over the features), then the softmax and the
     * weighted values. Only the settings written here are computed; a vertex with any other (a mask, or a setting added
     * later) is left to the SameDiff graph.
     */
    @Override
    public INDArray inferDirectly(INDArray[] in, Map<String, INDArray> p) {
        if (!equals(directlyComputed()) || in.length != (hasKey ? 3 : 2)) return null;
        if (!SmallAttention.suits(in[0], hasKey ? in[2] : in[1], queryFormat, hasKey ? keyFormat : valueFormat)) return null;
        INDArray qs = SmallAttention.nwc(in[0], queryFormat);
        INDArray vs = SmallAttention.nwc(in[1], valueFormat);
        INDArray ks = hasKey ? SmallAttention.nwc(in[2], keyFormat) : vs;
        int batch = (int) qs.size(0);
        int tq = (int) qs.size(1);
        int tk = (int) vs.size(1);
        int d = (int) qs.size(2);
        int dv = (int) vs.size(2);
        if (ks.size(1) != tk || ks.size(2) != d) return null;
        float[] q = SmallAttention.floats(qs);
        // self-attention (query and value one array) reads it once
        float[] v = in[1] == in[0] && valueFormat == queryFormat ? q : SmallAttention.floats(vs);
        float[] k = hasKey ? SmallAttention.floats(ks) : v;
        float scale = useScale && kind != Kind.ADDITIVE ? p.get(SCALE).getFloat(0) : 1f;
        float[] featureScale = useScale && kind == Kind.ADDITIVE ? SmallAttention.floats(p.get(SCALE)) : null;
        float concatWeight = kind == Kind.CONCAT ? p.get(CONCAT_WEIGHT).getFloat(0) : 1f;
        if (kind == Kind.DOT) {
            // on batch columns, where every loop runs over the batch (C2 vectorises them; row by row, loops of 8 features
            // and 10 steps were a third of an LSTM(8)-with-attention model's predict time)
            float[][] qc = RowProducts.columns(q, batch, tq * d);
            float[][] vc = v == q ? qc : RowProducts.columns(v, batch, tk * dv);
            float[][] kc = k == v ? vc : k == q ? qc : RowProducts.columns(k, batch, tk * d);
            float[][] context = BatchColumnAttention.dot(qc, kc, vc, batch, tq, tk, 1, 1, d, dv, scale, causal);
            return SmallAttention.sequence(RowProducts.rows(context), batch, tq, dv, queryFormat);
        }
        float[] out = new float[batch * tq * dv];
        float[] s = new float[tk];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                scores(q, (b * tq + i) * d, k, b * tk * d, tk, d, scale, featureScale, concatWeight, s);
                SmallAttention.softmax(s, tk, causal, i);
                SmallAttention.weightedValues(s, v, out, (b * tq + i) * dv, b * tk, tk, 1, 0, dv);
            }
        }
        return SmallAttention.sequence(out, batch, tq, dv, queryFormat);
    }

    /**
     * The {@code tk} scores of the query step at {@code qo} against the key steps from {@code k0}, into {@code s}; a
     * method of its own so that the JIT compiles it early in the first batch.
     */
    private void scores(float[] q, int qo, float[] k, int k0, int tk, int d, float scale, float[] featureScale, float concatWeight, float[] s) {
        for (int j = 0; j < tk; j++) {
            int ko = k0 + j * d;
            float score = 0;
            if (kind == Kind.DOT) {
                for (int f = 0; f < d; f++) score += q[qo + f] * k[ko + f];
                if (useScale) score *= scale;
            } else if (kind == Kind.CONCAT) {
                for (int f = 0; f < d; f++) {
                    float x = q[qo + f] + k[ko + f];
                    score += (float) Math.tanh(useScale ? x * scale : x);
                }
                score *= concatWeight;
            } else {
                for (int f = 0; f < d; f++) {
                    float t = (float) Math.tanh(q[qo + f] + k[ko + f]);
                    score += featureScale == null ? t : featureScale[f] * t;
                }
            }
            s[j] = score;
        }
    }

    /** This vertex with only the settings {@link #inferDirectly} computes copied: equal to it when nothing else is set. */
    private KerasAttentionVertex directlyComputed() {
        KerasAttentionVertex c = new KerasAttentionVertex(kind, useScale, causal, hasKey);
        c.features = features;
        c.valueFeatures = valueFeatures;
        c.queryFormat = queryFormat;
        c.valueFormat = valueFormat;
        c.keyFormat = keyFormat;
        return c;
    }

    /** 1 where the key step is not after the query step. */
    private static float[] causalOnes(long tq, long tk) {
        float[] ones = new float[(int) (tq * tk)];
        for (int i = 0; i < tq; i++) for (int j = 0; j < tk; j++) ones[(int) (i * tk + j)] = j <= i ? 1f : 0f;
        return ones;
    }

    private static SDVariable constant(SameDiff sd, float[] values, long rows, long columns, DataType type) {
        return sd.constant(Nd4j.createFromArray(values).reshape(rows, columns).castTo(type));
    }

    private static SDVariable nwc(SameDiff sd, SDVariable x, RNNFormat f) {
        return f == RNNFormat.NCW ? sd.permute(x, 0, 2, 1) : x;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, null);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        int expected = (hasKey ? 3 : 2) + (hasQueryMask ? 1 : 0) + (hasValueMask ? 1 : 0);
        if (in == null || in.length != expected) {
            throw new InvalidInputTypeException("Attention " + getLayerName() + " takes " + expected + " inputs, got " + (in == null ? 0 : in.length));
        }
        for (InputType t : in) {
            if (!(t instanceof InputType.InputTypeRecurrent)) {
                throw new InvalidInputTypeException("Attention " + getLayerName() + " takes sequences (batch, steps, features), got " + t);
            }
        }
        InputType.InputTypeRecurrent q = (InputType.InputTypeRecurrent) in[0];
        InputType.InputTypeRecurrent v = (InputType.InputTypeRecurrent) in[1];
        if (returnScores) {
            long keySteps = ((InputType.InputTypeRecurrent) in[hasKey ? 2 : 1]).getTimeSeriesLength();   // masks may follow
            if (keySteps <= 0) {
                throw new InvalidInputTypeException("Attention " + getLayerName() + " returns its scores over an open number of key steps; graft computes a fixed one");
            }
            return InputType.recurrent(v.getSize() + keySteps, q.getTimeSeriesLength(), RNNFormat.NWC);
        }
        return InputType.recurrent(v.getSize(), q.getTimeSeriesLength(), q.getFormat());
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                                                      boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new ShapeKeyedSameDiffVertexRuntime(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public KerasAttentionVertex clone() {
        KerasAttentionVertex c = new KerasAttentionVertex(kind, useScale, causal, hasKey);
        c.features = features;
        c.valueFeatures = valueFeatures;
        c.queryFormat = queryFormat;
        c.valueFormat = valueFormat;
        c.keyFormat = keyFormat;
        c.returnScores = returnScores;
        c.hasQueryMask = hasQueryMask;
        c.queryMaskValue = queryMaskValue;
        c.queryMaskFormat = queryMaskFormat;
        c.hasValueMask = hasValueMask;
        c.valueMaskValue = valueMaskValue;
        c.valueMaskFormat = valueMaskFormat;
        c.initialValues = initialValues;
        return SameDiffVertexSettings.copy(this, c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasAttentionVertex a && kind == a.kind && useScale == a.useScale && causal == a.causal && hasKey == a.hasKey
                && features == a.features && valueFeatures == a.valueFeatures && queryFormat == a.queryFormat && valueFormat == a.valueFormat
                && keyFormat == a.keyFormat && returnScores == a.returnScores && hasQueryMask == a.hasQueryMask && queryMaskValue == a.queryMaskValue
                && queryMaskFormat == a.queryMaskFormat && hasValueMask == a.hasValueMask && valueMaskValue == a.valueMaskValue
                && valueMaskFormat == a.valueMaskFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, useScale, causal, hasKey, features, valueFeatures);
    }

    @Override
    public String toString() {
        return "KerasAttentionVertex(" + getLayerName() + ", " + kind + (useScale ? ", scaled" : "") + (causal ? ", causal" : "") + (returnScores ? ", scores" : "") + ")";
    }

    // ---- bean accessors: DL4J stores configurations as JSON through them ----

    public Kind getKind() { return kind; }
    public void setKind(Kind kind) { this.kind = kind; }
    public boolean isUseScale() { return useScale; }
    public void setUseScale(boolean useScale) { this.useScale = useScale; setVertexParams(null); }
    public boolean isCausal() { return causal; }
    public void setCausal(boolean causal) { this.causal = causal; }
    public boolean isHasKey() { return hasKey; }
    public void setHasKey(boolean hasKey) { this.hasKey = hasKey; }
    /** Whether the output is packed with the scores (Keras's {@code return_attention_scores=True}). */
    public boolean isReturnScores() { return returnScores; }
    public void setReturnScores(boolean returnScores) { this.returnScores = returnScores; }
    /** The query's (and key's) features per step. */
    public long getFeatures() { return features; }
    public void setFeatures(long features) { this.features = features; setVertexParams(null); }
    public long getValueFeatures() { return valueFeatures; }
    public void setValueFeatures(long valueFeatures) { this.valueFeatures = valueFeatures; }
    public RNNFormat getQueryFormat() { return queryFormat; }
    public void setQueryFormat(RNNFormat f) { this.queryFormat = f == null ? RNNFormat.NWC : f; }
    public RNNFormat getValueFormat() { return valueFormat; }
    public void setValueFormat(RNNFormat f) { this.valueFormat = f == null ? RNNFormat.NWC : f; }
    public RNNFormat getKeyFormat() { return keyFormat; }
    public void setKeyFormat(RNNFormat f) { this.keyFormat = f == null ? RNNFormat.NWC : f; }
    public boolean isHasQueryMask() { return hasQueryMask; }
    public void setHasQueryMask(boolean hasQueryMask) { this.hasQueryMask = hasQueryMask; setVertexParams(null); }
    /** The value of a masked step's features in the query mask's source. */
    public double getQueryMaskValue() { return queryMaskValue; }
    public void setQueryMaskValue(double queryMaskValue) { this.queryMaskValue = queryMaskValue; }
    public RNNFormat getQueryMaskFormat() { return queryMaskFormat; }
    public void setQueryMaskFormat(RNNFormat f) { this.queryMaskFormat = f == null ? RNNFormat.NWC : f; }
    public boolean isHasValueMask() { return hasValueMask; }
    public void setHasValueMask(boolean hasValueMask) { this.hasValueMask = hasValueMask; setVertexParams(null); }
    public double getValueMaskValue() { return valueMaskValue; }
    public void setValueMaskValue(double valueMaskValue) { this.valueMaskValue = valueMaskValue; }
    public RNNFormat getValueMaskFormat() { return valueMaskFormat; }
    public void setValueMaskFormat(RNNFormat f) { this.valueMaskFormat = f == null ? RNNFormat.NWC : f; }
}
