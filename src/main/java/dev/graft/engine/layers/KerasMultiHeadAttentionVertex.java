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
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * Keras's {@code MultiHeadAttention} over sequences ({@code attention_axes} the steps), as a DL4J graph vertex with
 * inputs query, value and optionally key (value when absent), trainable through SameDiff's autodiff. Written from
 * Keras 3.15's {@code MultiHeadAttention}: per-head projections ({@code EinsumDense} kernels {@code (in, heads, dim)}
 * and biases {@code (heads, dim)}), the query scaled by {@code 1/sqrt(key_dim)}, scores {@code q·kᵀ} per head, a
 * softmax over the key steps (masked positions, with {@code use_causal_mask}, get Keras's {@code -1e9} added), the
 * weighted values, and the output projection {@code (heads, value_dim, output_dim)}.
 *
 * <p>With {@link #isReturnScores()} (Keras's {@code return_attention_scores=True}) the vertex outputs the projected output
 * and the scores after the softmax side by side, {@code (batch, Tq, output features + heads·Tk)} NWC (each query step's
 * scores head by head), which {@link AttentionPartVertex} vertices take apart. Keras 3 computes such a call, any call
 * with {@code dropout > 0} and any on rank-4+ inputs with its explicit softmax, which zeroes masked positions afterwards:
 * a query step that may attend to nothing gets zero scores there ({@link #isExplicitSoftmax()}, one flag for all three,
 * set by the engine), equal ones through Keras's fused dot-product attention (and Keras 2) otherwise.
 *
 * <p>Masks ({@code _compute_attention_mask}): the Keras masks of the query ({@code [B, T, 1]}), value and key
 * ({@code [B, 1, S]}), each given as one more input, the output of the layer that made it ({@link StepKeep}), are and-ed
 * with the {@code attention_mask} input and the causal mask; masked scores become {@code -1e9}. A query step whose keys are
 * all masked (every masked query step) spreads evenly over all values, as Keras's fused attention does; with the explicit
 * softmax the combined mask multiplies the probabilities, and it gets zeros.
 *
 * <p>Parameters hold Keras's arrays reshaped row-major to matrices: kernels {@code [in, heads·dim]}, the output
 * kernel {@code [heads·value_dim, output_dim]}, biases one row each. Sequences are NWC or NCW as their input types
 * say; the output takes the query's layout.
 */
public class KerasMultiHeadAttentionVertex extends SameDiffVertex implements DirectInferenceVertex {
    public static final String[] PARAMS = {"queryKernel", "queryBias", "keyKernel", "keyBias", "valueKernel", "valueBias", "outputKernel",
            "outputBias"};
    static final String QUERY = "query";
    static final String VALUE = "value";
    static final String KEY = "key";
    static final String MASK = "mask";
    static final String[] KERAS_MASKS = {"queryMask", "valueMask", "keyMask"};

    private int heads;
    /** Key and value heads: {@link #heads} for MultiHeadAttention, fewer for GroupedQueryAttention (each serves heads/kvHeads query heads). */
    private int kvHeads;
    private int keyDim;
    private int valueDim;
    private long outputDim;
    private long queryDim;
    private long valueInDim;
    private long keyInDim;
    private boolean useBias = true;
    private boolean causal;
    private boolean hasKey;
    private boolean hasMask;
    private boolean returnScores;
    private boolean explicitSoftmax;
    private RNNFormat queryFormat = RNNFormat.NWC;
    private RNNFormat valueFormat = RNNFormat.NWC;
    private RNNFormat keyFormat = RNNFormat.NWC;
    private RNNFormat maskFormat = RNNFormat.NWC;
    /** Whether the query's, value's and key's Keras masks are inputs, the mask value of each, and their formats. */
    private boolean[] kerasMasks = new boolean[3];
    private double[] kerasMaskValues = new double[3];
    private RNNFormat[] kerasMaskFormats = {RNNFormat.NWC, RNNFormat.NWC, RNNFormat.NWC};
    /** With attention over some axes of rank-4+ inputs (their positions as steps): each step's index of its other coordinates. */
    private int[] queryGroups;
    private int[] keyGroups;
    /**
     * Keras's {@code dropout} on the attention weights (after the softmax, before they weight the values), computed in
     * training: the weights times the factors {@link AttentionDropoutVertexRuntime} draws, which reach the graph through the
     * query's mask placeholder ({@code [batch, heads·Tq·Tk]}). 0: none (the engine's inference network).
     */
    private double trainingDropout;

    @JsonIgnore
    private transient Map<String, INDArray> initialValues;

    /** For JSON deserialisation (DL4J configurations and zips). */
    public KerasMultiHeadAttentionVertex() {
    }

    public KerasMultiHeadAttentionVertex(int heads, int keyDim, int valueDim, boolean useBias, boolean causal, boolean hasKey) {
        this.heads = heads;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        this.useBias = useBias;
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
        if (hasMask) inputs.add(MASK);
        for (int r = 0; r < 3; r++) if (kerasMasks[r]) inputs.add(KERAS_MASKS[r]);
        params.defineInputs(inputs.toArray(String[]::new));
        long hq = (long) heads * keyDim;
        long hk = (long) kvHeads() * keyDim;
        long hv = (long) kvHeads() * valueDim;
        params.addWeightParam(PARAMS[0], queryDim, hq);
        if (useBias) params.addBiasParam(PARAMS[1], 1, hq);
        params.addWeightParam(PARAMS[2], hasKey ? keyInDim : valueInDim, hk);
        if (useBias) params.addBiasParam(PARAMS[3], 1, hk);
        params.addWeightParam(PARAMS[4], valueInDim, hv);
        if (useBias) params.addBiasParam(PARAMS[5], 1, hv);
        params.addWeightParam(PARAMS[6], (long) heads * valueDim, outputDim);
        if (useBias) params.addBiasParam(PARAMS[7], 1, outputDim);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        Map<String, INDArray> given = initialValues;
        initialValues = null;
        if (given != null) {
            if (!given.keySet().equals(params.keySet())) {
                throw new IllegalStateException("MultiHeadAttention " + getLayerName() + ": parameters " + params.keySet() + " but values for "
                        + given.keySet());
            }
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                INDArray v = given.get(e.getKey());
                if (!Arrays.equals(v.shape(), e.getValue().shape())) {
                    throw new IllegalStateException("MultiHeadAttention " + getLayerName() + ": parameter " + e.getKey() + " has shape "
                            + Arrays.toString(e.getValue().shape()) + ", values have " + Arrays.toString(v.shape()));
                }
                e.getValue().assign(v.castTo(e.getValue().dataType()));
            }
            return;
        }
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray p = e.getValue();
            if (e.getKey().endsWith("Bias")) p.assign(0);
            else WeightInit.XAVIER_UNIFORM.getWeightInitFunction().init(p.size(0), p.size(1), p.shape(), 'c', p);
        }
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> in, Map<String, SDVariable> p, Map<String, SDVariable> maskVars) {
        SDVariable q = nwc(sd, in.get(QUERY), queryFormat);
        SDVariable v = nwc(sd, in.get(VALUE), valueFormat);
        SDVariable k = hasKey ? nwc(sd, in.get(KEY), keyFormat) : v;
        long tq = q.getShape()[1];
        long tk = v.getShape()[1];
        SDVariable qh = heads(sd, project(sd, q, p.get(PARAMS[0]), p.get(PARAMS[1]), queryDim), tq, heads, keyDim).mul(1.0 / Math.sqrt(keyDim));
        SDVariable kh = repeatHeads(sd, heads(sd, project(sd, k, p.get(PARAMS[2]), p.get(PARAMS[3]), hasKey ? keyInDim : valueInDim), tk, kvHeads(), keyDim));
        SDVariable vh = repeatHeads(sd, heads(sd, project(sd, v, p.get(PARAMS[4]), p.get(PARAMS[5]), valueInDim), tk, kvHeads(), valueDim));
        SDVariable scores = sd.mmul(qh, kh, false, true, false);   // [B, H, Tq, Tk]
        SDVariable kept = null;   // [B, H, Tq, Tk] 0/1, where the combined mask lets a query step see a key step
        SDVariable m = hasMask ? sd.math.sign(sd.math.abs(nwc(sd, in.get(MASK), maskFormat))) : null;  // [B, Tq, Tk] 0/1
        for (int r = 0; r < 3; r++) {
            if (!kerasMasks[r]) continue;
            SDVariable keep = StepKeep.keep(sd, nwc(sd, in.get(KERAS_MASKS[r]), kerasMaskFormats[r]), kerasMaskValues[r]);  // [B, steps]
            long copies = r == 0 ? tk : tq;
            SDVariable[] parts = new SDVariable[(int) copies];
            java.util.Arrays.fill(parts, sd.reshape(keep, r == 0 ? new long[] {-1, tq, 1} : new long[] {-1, 1, tk}));
            SDVariable full = copies == 1 ? parts[0] : sd.concat(r == 0 ? 2 : 1, parts);                  // [B, Tq, Tk]
            m = m == null ? full : m.mul(full);
        }
        if (m != null && queryGroups != null) {
            // attention_axes groups (below) are part of the mask the explicit softmax multiplies by
            m = m.mul(sd.constant(groupOnes(tq, tk).reshape(1, tq, tk).castTo(scores.dataType())));
        }
        if (m != null) {
            // Keras: where(mask, scores, large negative), the causal mask (if any) and-ed in; a row with every key masked
            // gets equal scores, as in TensorFlow's and Keras's softmax paths.
            if (causal) m = m.mul(sd.constant(causalOnes(tq, tk).reshape(1, tq, tk).castTo(scores.dataType())));
            SDVariable mh = maskHeads(sd, m, tq, tk);
            scores = scores.mul(mh).add(mh.sub(1.0).mul(1e9));
            kept = mh;
        } else if (causal) {
            float[] adder = new float[(int) (tq * tk)];
            for (int i = 0; i < tq; i++) for (int j = 0; j < tk; j++) adder[(int) (i * tk + j)] = j <= i ? 0f : -1e9f;
            scores = scores.add(sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray(adder).reshape(1, 1, tq, tk)
                    .castTo(scores.dataType())));
        }
        if (queryGroups != null && kept == null) {
            // attention_axes over some axes of a rank-4+ input, its positions as steps: a query step attends to the key
            // steps with its coordinates on the other axes only (-1e9 elsewhere: their weights are exactly 0)
            float[] adder = new float[(int) (tq * tk)];
            for (int i = 0; i < tq; i++) for (int j = 0; j < tk; j++) adder[(int) (i * tk + j)] = queryGroups[i] == keyGroups[j] ? 0f : -1e9f;
            scores = scores.add(sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray(adder).reshape(1, 1, tq, tk)
                    .castTo(scores.dataType())));
        }
        SDVariable probs = sd.nn.softmax(scores, 3);
        if (explicitSoftmax && kept != null) probs = probs.mul(kept);
        // Keras's dropout on the weights; the scores returned are the weights before it, as Keras's
        SDVariable weights = trainingDropout > 0 ? probs.mul(sd.reshape(maskVars.get(QUERY), -1, heads, tq, tk)) : probs;
        SDVariable context = sd.mmul(weights, vh);                     // [B, H, Tq, V]
        SDVariable merged = sd.reshape(sd.permute(context, 0, 2, 1, 3), -1, (long) heads * valueDim);
        SDVariable out = merged.mmul(p.get(PARAMS[6]));
        if (useBias) out = out.add(p.get(PARAMS[7]));
        out = sd.reshape(out, -1, tq, outputDim);
        if (returnScores) {
            SDVariable perStep = sd.reshape(sd.permute(probs, 0, 2, 1, 3), -1, tq, (long) heads * tk);   // [B, Tq, H·Tk]
            return sd.concat(2, out, perStep);
        }
        return queryFormat == RNNFormat.NCW ? sd.permute(out, 0, 2, 1) : out;
    }

    /**
     * Inference without SameDiff for short sequences ({@link SmallAttention#suits}): the projections, per-head scores,
     * softmax and weighted values on batch columns on the heap ({@link BatchColumnAttention}: ND4J's calls cost more than
     * the arithmetic on such narrow matrices, and loops over the batch vectorise). Only the
     * settings written here are computed; a vertex with any other (a mask input, or a setting added later) is left to
     * the SameDiff graph.
     */
    @Override
    public INDArray inferDirectly(INDArray[] in, Map<String, INDArray> p) {
        if (in.length != (hasKey ? 3 : 2)) return null;
        if (!SmallAttention.suits(in[0], hasKey ? in[2] : in[1], queryFormat, hasKey ? keyFormat : valueFormat)) return null;
        HeapGraphInference.Step step = nwcColumnStep(p);
        if (step == null) return null;
        INDArray q = SmallAttention.nwc(in[0], queryFormat);
        INDArray v = SmallAttention.nwc(in[1], valueFormat);
        INDArray k = hasKey ? SmallAttention.nwc(in[2], keyFormat) : v;
        int batch = (int) q.size(0);
        // batch columns: one float[] per (step, feature), every loop below runs over the batch
        HeapGraphInference.BatchColumns qx = columns(q, batch);
        HeapGraphInference.BatchColumns vx = v == q ? qx : columns(v, batch);   // self-attention reads one array
        HeapGraphInference.BatchColumns kx = !hasKey ? vx : k == q ? qx : columns(k, batch);
        HeapGraphInference.BatchColumns y = step.apply(hasKey ? new HeapGraphInference.BatchColumns[] {qx, vx, kx}
                : new HeapGraphInference.BatchColumns[] {qx, vx});
        if (y == null) return null;
        float[] rows = new float[batch * y.columns().length];
        y.copyTo(rows, 0);
        INDArray out = HeapFloats.array(rows, batch, y.steps(), y.features());
        return queryFormat == RNNFormat.NCW ? out.permute(0, 2, 1) : out;
    }

    private static HeapGraphInference.BatchColumns columns(INDArray nwc, int batch) {
        return HeapGraphInference.BatchColumns.of(HeapFloats.read(nwc), 0, batch, (int) nwc.size(1), (int) nwc.size(2));
    }

    /**
     * The inference arithmetic as a step of {@link HeapGraphInference} on batch columns of {@code [steps, features]}
     * samples (query, value and, when the layer has one, key, in the vertex's input order): the projections, per-head
     * scores, softmax and weighted values ({@link BatchColumnAttention}); null when a mask or a setting not written here
     * leaves the vertex to the SameDiff graph, or when the sequences are in another layout.
     */
    HeapGraphInference.Step columnStep(Map<String, INDArray> p) {
        if (queryFormat != RNNFormat.NWC || valueFormat != RNNFormat.NWC || (hasKey && keyFormat != RNNFormat.NWC)) return null;
        return nwcColumnStep(p);
    }

    /** As {@link #columnStep(Map)} for sequences the caller has put in NWC, whatever the vertex's formats. */
    private HeapGraphInference.Step nwcColumnStep(Map<String, INDArray> p) {
        if (hasMask || !equals(directlyComputed())) return null;
        float[][] kernels = new float[8][];
        for (int i = 0; i < 8; i += 2) {
            kernels[i] = RowProducts.floatValues(p.get(PARAMS[i]));
            kernels[i + 1] = useBias ? RowProducts.floatValues(p.get(PARAMS[i + 1])) : null;
            if (kernels[i] == null || (useBias && kernels[i + 1] == null)) return null;
        }
        int qIn = (int) p.get(PARAMS[0]).size(0);
        int kIn = (int) p.get(PARAMS[2]).size(0);
        int vIn = (int) p.get(PARAMS[4]).size(0);
        int oIn = (int) p.get(PARAMS[6]).size(0);
        int[] n = new int[4];
        for (int i = 0; i < 4; i++) n[i] = (int) p.get(PARAMS[2 * i]).size(1);
        float scale = (float) (1.0 / Math.sqrt(keyDim));
        int kv = kvHeads();
        return in -> {
            HeapGraphInference.BatchColumns q = in[0];
            HeapGraphInference.BatchColumns v = in[1];
            HeapGraphInference.BatchColumns k = hasKey ? in[2] : v;
            int batch = q.batch();
            int tq = q.steps();
            int tk = v.steps();
            if (k.steps() != tk || v.batch() != batch || k.batch() != batch || (long) tq * tk > SmallAttention.MAX_PAIRS) return null;
            if (q.features() != qIn || k.features() != kIn || v.features() != vIn) return null;
            float[][] qh = BatchColumnAttention.project(q.columns(), tq, qIn, kernels[0], kernels[1], n[0]);
            float[][] kh = BatchColumnAttention.project(k.columns(), tk, kIn, kernels[2], kernels[3], n[1]);
            float[][] vh = BatchColumnAttention.project(v.columns(), tk, vIn, kernels[4], kernels[5], n[2]);
            float[][] context = BatchColumnAttention.dot(qh, kh, vh, batch, tq, tk, heads, kv, keyDim, valueDim, scale, causal);
            if (context.length != tq * oIn) return null;
            return new HeapGraphInference.BatchColumns(BatchColumnAttention.project(context, tq, oIn, kernels[6], kernels[7], n[3]), tq, n[3], batch);
        };
    }

    /** This vertex with only the settings {@link #inferDirectly} computes copied: equal to it when nothing else is set. */
    private KerasMultiHeadAttentionVertex directlyComputed() {
        KerasMultiHeadAttentionVertex c = new KerasMultiHeadAttentionVertex(heads, keyDim, valueDim, useBias, causal, hasKey);
        c.kvHeads = kvHeads;
        c.outputDim = outputDim;
        c.queryDim = queryDim;
        c.valueInDim = valueInDim;
        c.keyInDim = keyInDim;
        c.queryFormat = queryFormat;
        c.valueFormat = valueFormat;
        c.keyFormat = keyFormat;
        c.maskFormat = maskFormat;
        return c;
    }

    /** {@code [B, Tq, Tk]} copied for each head: {@code [B, H, Tq, Tk]}, no broadcast to reduce backward. */
    private SDVariable maskHeads(SameDiff sd, SDVariable m, long tq, long tk) {
        SDVariable m4 = sd.reshape(m, -1, 1, tq, tk);
        SDVariable[] copies = new SDVariable[heads];
        java.util.Arrays.fill(copies, m4);
        return heads == 1 ? m4 : sd.concat(1, copies);
    }

    /** 1 where the key step has the query step's coordinates on the axes not attended over (attention_axes groups). */
    private INDArray groupOnes(long tq, long tk) {
        float[] ones = new float[(int) (tq * tk)];
        for (int i = 0; i < tq; i++) for (int j = 0; j < tk; j++) ones[(int) (i * tk + j)] = queryGroups[i] == keyGroups[j] ? 1f : 0f;
        return org.nd4j.linalg.factory.Nd4j.createFromArray(ones);
    }

    /** 1 where the key step is not after the query step. */
    private static INDArray causalOnes(long tq, long tk) {
        float[] ones = new float[(int) (tq * tk)];
        for (int i = 0; i < tq; i++) for (int j = 0; j < tk; j++) ones[(int) (i * tk + j)] = j <= i ? 1f : 0f;
        return org.nd4j.linalg.factory.Nd4j.createFromArray(ones);
    }

    private static SDVariable nwc(SameDiff sd, SDVariable x, RNNFormat f) {
        return f == RNNFormat.NCW ? sd.permute(x, 0, 2, 1) : x;
    }

    /** {@code [B, T, in]} times {@code [in, n]} plus bias: {@code [B·T, n]}. */
    private SDVariable project(SameDiff sd, SDVariable x, SDVariable kernel, SDVariable bias, long inDim) {
        SDVariable y = sd.reshape(x, -1, inDim).mmul(kernel);
        return useBias ? y.add(bias) : y;
    }

    /** {@code [B·T, n·d]} to {@code [B, n, T, d]}. */
    private static SDVariable heads(SameDiff sd, SDVariable x, long steps, int n, int dim) {
        return sd.permute(sd.reshape(x, -1, steps, n, dim), 0, 2, 1, 3);
    }

    private int kvHeads() {
        return kvHeads > 0 ? kvHeads : heads;
    }

    /** Keras's {@code ops.repeat(x, heads / kvHeads, axis=heads)}: each key/value head, repeated in place, for its query heads. */
    private SDVariable repeatHeads(SameDiff sd, SDVariable x) {
        int n = kvHeads();
        if (n == heads) return x;
        int r = heads / n;
        SDVariable[] parts = new SDVariable[heads];
        for (int h = 0; h < n; h++) {
            SDVariable one = x.get(org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.interval(h, h + 1),
                    org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.all());
            for (int i = 0; i < r; i++) parts[h * r + i] = one;
        }
        return sd.concat(1, parts);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, null);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        int expected = 2 + (hasKey ? 1 : 0) + (hasMask ? 1 : 0) + kerasMaskCount();
        if (in == null || in.length != expected) {
            throw new InvalidInputTypeException("MultiHeadAttention " + getLayerName() + " takes " + expected + " inputs, got "
                    + (in == null ? 0 : in.length));
        }
        for (InputType t : in) {
            if (!(t instanceof InputType.InputTypeRecurrent)) {
                throw new InvalidInputTypeException("MultiHeadAttention " + getLayerName() + " takes sequences (batch, steps, features), got " + t);
            }
        }
        InputType.InputTypeRecurrent q = (InputType.InputTypeRecurrent) in[0];
        if (returnScores) {
            long keySteps = ((InputType.InputTypeRecurrent) in[1]).getTimeSeriesLength();
            if (keySteps <= 0) {
                throw new InvalidInputTypeException("MultiHeadAttention " + getLayerName()
                        + " returns its scores over an open number of key steps; graft computes a fixed one");
            }
            return InputType.recurrent(outputDim + heads * keySteps, q.getTimeSeriesLength(), RNNFormat.NWC);
        }
        return InputType.recurrent(outputDim, q.getTimeSeriesLength(), q.getFormat());
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                                                      boolean initializeParams, DataType networkDatatype) {
        setName(name);
        if (trainingDropout > 0) return new AttentionDropoutVertexRuntime(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
        return new ShapeKeyedSameDiffVertexRuntime(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public KerasMultiHeadAttentionVertex clone() {
        KerasMultiHeadAttentionVertex c = new KerasMultiHeadAttentionVertex(heads, keyDim, valueDim, useBias, causal, hasKey);
        c.kvHeads = kvHeads;
        c.outputDim = outputDim;
        c.queryDim = queryDim;
        c.valueInDim = valueInDim;
        c.keyInDim = keyInDim;
        c.queryFormat = queryFormat;
        c.valueFormat = valueFormat;
        c.keyFormat = keyFormat;
        c.hasMask = hasMask;
        c.maskFormat = maskFormat;
        c.returnScores = returnScores;
        c.explicitSoftmax = explicitSoftmax;
        c.kerasMasks = kerasMasks.clone();
        c.kerasMaskValues = kerasMaskValues.clone();
        c.kerasMaskFormats = kerasMaskFormats.clone();
        c.queryGroups = queryGroups == null ? null : queryGroups.clone();
        c.keyGroups = keyGroups == null ? null : keyGroups.clone();
        c.initialValues = initialValues;
        c.trainingDropout = trainingDropout;
        return SameDiffVertexSettings.copy(this, c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasMultiHeadAttentionVertex m && heads == m.heads && kvHeads == m.kvHeads && keyDim == m.keyDim && valueDim == m.valueDim
                && outputDim == m.outputDim && queryDim == m.queryDim && valueInDim == m.valueInDim && keyInDim == m.keyInDim
                && useBias == m.useBias && causal == m.causal && hasKey == m.hasKey && queryFormat == m.queryFormat
                && valueFormat == m.valueFormat && keyFormat == m.keyFormat && hasMask == m.hasMask && maskFormat == m.maskFormat
                && returnScores == m.returnScores && explicitSoftmax == m.explicitSoftmax
                && Arrays.equals(kerasMasks, m.kerasMasks) && Arrays.equals(kerasMaskValues, m.kerasMaskValues)
                && Arrays.equals(kerasMaskFormats, m.kerasMaskFormats)
                && Arrays.equals(queryGroups, m.queryGroups) && Arrays.equals(keyGroups, m.keyGroups) && trainingDropout == m.trainingDropout;
    }

    @Override
    public int hashCode() {
        return Objects.hash(heads, keyDim, valueDim, outputDim, queryDim, valueInDim, keyInDim, useBias, causal, hasKey);
    }

    @Override
    public String toString() {
        return "KerasMultiHeadAttentionVertex(" + getLayerName() + ", heads=" + heads + ", key_dim=" + keyDim + ", value_dim=" + valueDim + ")";
    }

    // ---- bean accessors: DL4J stores configurations as JSON through them ----

    public int getHeads() { return heads; }
    public void setHeads(int heads) { this.heads = heads; }
    public int getKvHeads() { return kvHeads; }
    public void setKvHeads(int kvHeads) { this.kvHeads = kvHeads; setVertexParams(null); }
    public int getKeyDim() { return keyDim; }
    public void setKeyDim(int keyDim) { this.keyDim = keyDim; }
    public int getValueDim() { return valueDim; }
    public void setValueDim(int valueDim) { this.valueDim = valueDim; }
    public long getOutputDim() { return outputDim; }
    public void setOutputDim(long outputDim) { this.outputDim = outputDim; setVertexParams(null); }
    public long getQueryDim() { return queryDim; }
    public void setQueryDim(long queryDim) { this.queryDim = queryDim; setVertexParams(null); }
    public long getValueInDim() { return valueInDim; }
    public void setValueInDim(long valueInDim) { this.valueInDim = valueInDim; setVertexParams(null); }
    public long getKeyInDim() { return keyInDim; }
    public void setKeyInDim(long keyInDim) { this.keyInDim = keyInDim; setVertexParams(null); }
    public boolean isUseBias() { return useBias; }
    public void setUseBias(boolean useBias) { this.useBias = useBias; }
    public boolean isCausal() { return causal; }
    public void setCausal(boolean causal) { this.causal = causal; }
    public boolean isHasKey() { return hasKey; }
    public void setHasKey(boolean hasKey) { this.hasKey = hasKey; }
    public RNNFormat getQueryFormat() { return queryFormat; }
    public void setQueryFormat(RNNFormat f) { this.queryFormat = f == null ? RNNFormat.NWC : f; }
    public RNNFormat getValueFormat() { return valueFormat; }
    public void setValueFormat(RNNFormat f) { this.valueFormat = f == null ? RNNFormat.NWC : f; }
    public RNNFormat getKeyFormat() { return keyFormat; }
    public void setKeyFormat(RNNFormat f) { this.keyFormat = f == null ? RNNFormat.NWC : f; }
    public boolean isHasMask() { return hasMask; }
    public void setHasMask(boolean hasMask) { this.hasMask = hasMask; }
    public RNNFormat getMaskFormat() { return maskFormat; }
    /** Whether the output is packed with the scores (Keras's {@code return_attention_scores=True}). */
    public boolean isReturnScores() { return returnScores; }
    public void setReturnScores(boolean returnScores) { this.returnScores = returnScores; }
    /** Whether Keras computes this call with its explicit softmax (scores returned, or dropout > 0): masked positions zeroed after it. */
    public boolean isExplicitSoftmax() { return explicitSoftmax; }
    public void setExplicitSoftmax(boolean explicitSoftmax) { this.explicitSoftmax = explicitSoftmax; }
    public void setMaskFormat(RNNFormat f) { this.maskFormat = f == null ? RNNFormat.NWC : f; }
    /** Whether the query's, value's and key's Keras masks are inputs (after the attention mask, in that order). */
    public boolean[] getKerasMasks() { return kerasMasks; }
    public void setKerasMasks(boolean[] kerasMasks) { this.kerasMasks = kerasMasks == null ? new boolean[3] : kerasMasks; setVertexParams(null); }
    public double[] getKerasMaskValues() { return kerasMaskValues; }
    public void setKerasMaskValues(double[] values) { this.kerasMaskValues = values == null ? new double[3] : values; }
    public RNNFormat[] getKerasMaskFormats() { return kerasMaskFormats; }
    public void setKerasMaskFormats(RNNFormat[] formats) {
        this.kerasMaskFormats = formats == null ? new RNNFormat[] {RNNFormat.NWC, RNNFormat.NWC, RNNFormat.NWC} : formats;
    }

    public int[] getQueryGroups() { return queryGroups; }
    public void setQueryGroups(int[] queryGroups) { this.queryGroups = queryGroups; }
    public int[] getKeyGroups() { return keyGroups; }
    public void setKeyGroups(int[] keyGroups) { this.keyGroups = keyGroups; }

    /** Keras's dropout rate on the attention weights in training (0: none). */
    public double getTrainingDropout() { return trainingDropout; }
    public void setTrainingDropout(double rate) { this.trainingDropout = rate; }

    /** The number of attention weights per sample, {@code heads·Tq·Tk}, for these inputs (query, value, ...). */
    long attentionWeights(INDArray[] inputs) {
        long tq = queryFormat == RNNFormat.NCW ? inputs[0].size(2) : inputs[0].size(1);
        long tk = valueFormat == RNNFormat.NCW ? inputs[1].size(2) : inputs[1].size(1);
        return heads * tq * tk;
    }

    /** How many Keras masks are inputs. */
    public int kerasMaskCount() {
        int n = 0;
        for (boolean b : kerasMasks) if (b) n++;
        return n;
    }
}
