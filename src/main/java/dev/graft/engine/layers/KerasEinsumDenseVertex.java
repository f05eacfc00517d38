package dev.graft.engine.layers;

import dev.graft.shape.EinsumEquation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * Keras 3's {@code EinsumDense} ({@code einsum(equation, x, kernel) + bias}, Keras 3.15's {@code EinsumDense.call}; the
 * activation is a layer of its own after it) on vectors and sequences, as a DL4J vertex trainable through SameDiff.
 * Any equation Keras allows is one matrix product: the input's axes are arranged as (axes shared with the kernel and
 * the output, the input's own output axes, the contracted axes), the kernel's as (shared, contracted, the kernel's own
 * output axes), multiplied, and the result's axes put in the output's order. The bias (Keras's shape: the output's axes
 * from the first bias axis on, 1 elsewhere) is spread over those axes by a constant 0/1 matrix, which keeps every
 * broadcast out of the backward pass.
 *
 * <p>Parameters hold Keras's arrays row-major as one row each ({@code kernel}, {@code bias}). Sequences are NWC or NCW
 * as their input type says; a sequence output is NWC.
 */
public class KerasEinsumDenseVertex extends SameDiffVertex {
    public static final String KERNEL = "kernel";
    public static final String BIAS = "bias";

    private String equation;
    private String biasAxes;
    private long[] partialOutputShape;
    /** The input's sizes after the batch, Keras layout. */
    private long[] inputDims;
    private RNNFormat format = RNNFormat.NWC;

    @JsonIgnore
    private transient Map<String, INDArray> initialValues;

    /** For JSON deserialisation (DL4J configurations and zips). */
    public KerasEinsumDenseVertex() {
    }

    public KerasEinsumDenseVertex(String equation, String biasAxes, long[] partialOutputShape) {
        this.equation = equation;
        this.biasAxes = biasAxes;
        this.partialOutputShape = partialOutputShape;
    }

    /** Values the parameters start from (the model's stored weights), taken once when the network is built. */
    public void setInitialValues(Map<String, INDArray> values) {
        this.initialValues = values == null ? null : new HashMap<>(values);
    }

    private List<Long> inputShape() {
        List<Long> s = new ArrayList<>();
        s.add(null);
        for (long d : inputDims) s.add(d);
        return s;
    }

    private EinsumEquation parsed() {
        return EinsumEquation.parse(equation, inputDims.length + 1);
    }

    /** The output's shape, batch (null) included. */
    public List<Long> outputShape() {
        List<Long> partial = new ArrayList<>();
        if (partialOutputShape != null) for (long d : partialOutputShape) partial.add(d < 0 ? null : d);
        return parsed().outputShape(inputShape(), partial, equation);
    }

    public long[] kernelShape() {
        return parsed().kernelShape(inputShape(), outputShape());
    }

    public long[] biasShape() {
        return parsed().biasShape(biasAxes, outputShape());
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.defineInputs("in");
        params.addWeightParam(KERNEL, 1, prod(kernelShape()));
        long[] b = biasShape();
        if (b != null) params.addBiasParam(BIAS, 1, prod(b));
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        Map<String, INDArray> given = initialValues;
        initialValues = null;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray v = given == null ? null : given.get(e.getKey());
            if (v == null) {
                if (BIAS.equals(e.getKey())) {
                    e.getValue().assign(0);
                } else {
                    long[] k = kernelShape();
                    long fanIn = prod(k) / k[k.length - 1];
                    WeightInit.XAVIER_UNIFORM.getWeightInitFunction().init(fanIn, k[k.length - 1], e.getValue().shape(), 'c', e.getValue());
                }
            } else if (v.length() != e.getValue().length()) {
                throw new IllegalStateException("EinsumDense " + getLayerName() + ": parameter " + e.getKey() + " has " + e.getValue().length()
                        + " values, the stored weight " + v.length());
            } else {
                e.getValue().assign(v.castTo(e.getValue().dataType()).reshape('c', e.getValue().shape()));
            }
        }
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> in, Map<String, SDVariable> p, Map<String, SDVariable> maskVars) {
        EinsumEquation eq = parsed();
        String iL = eq.input(), kL = eq.kernel(), oL = eq.output();
        List<Long> inShape = inputShape();
        List<Long> outShape = outputShape();
        long[] kShape = kernelShape();
        SDVariable x = in.get("in");
        if (inputDims.length == 2 && format == RNNFormat.NCW) x = sd.permute(x, 0, 2, 1);
        StringBuilder shared = new StringBuilder(), iFree = new StringBuilder(), contracted = new StringBuilder(), kFree = new StringBuilder();
        for (char c : iL.toCharArray()) {
            boolean inK = kL.indexOf(c) >= 0, inO = oL.indexOf(c) >= 0;
            if (inK && inO) shared.append(c);
            else if (inO) iFree.append(c);
            else if (inK) contracted.append(c);
            else throw new IllegalStateException("EinsumDense " + getLayerName() + ": input axis '" + c + "' is summed away");
        }
        for (char c : kL.toCharArray()) if (iL.indexOf(c) < 0) kFree.append(c);
        long s = sizes(shared.toString(), iL, inShape);
        long cSize = sizes(contracted.toString(), iL, inShape);
        long fk = 1;
        for (char c : kFree.toString().toCharArray()) fk *= kShape[kL.indexOf(c)];
        SDVariable xp = sd.permute(x, positions(shared.toString() + iFree + contracted, iL));
        SDVariable kernel = sd.reshape(p.get(KERNEL), kShape);
        SDVariable kp = kL.length() > 1 ? sd.permute(kernel, positions(shared.toString() + contracted + kFree, kL)) : kernel;
        SDVariable y;
        if (shared.length() == 0) {
            y = sd.reshape(xp, -1, cSize).mmul(sd.reshape(kp, cSize, fk));
        } else {
            y = sd.mmul(sd.reshape(xp, s, -1, cSize), sd.reshape(kp, s, cSize, fk));
        }
        String order = shared.toString() + iFree + kFree;
        long[] dims = new long[order.length()];
        for (int j = 0; j < dims.length; j++) {
            Long d = outShape.get(oL.indexOf(order.charAt(j)));
            dims[j] = d == null ? -1 : d;
        }
        y = sd.reshape(y, dims);
        y = sd.permute(y, positions(oL, order));
        long[] b = biasShape();
        if (b != null) {
            long[] outDims = new long[oL.length()];
            for (int j = 0; j < outDims.length; j++) outDims[j] = outShape.get(j) == null ? -1 : outShape.get(j);
            int first = oL.length() - b.length;
            long span = 1;
            for (int j = first; j < oL.length(); j++) span *= outDims[j];
            // E[biasIndex, outputIndex] = 1 where the output place takes that bias value (1-sized bias axes repeat it)
            long nb = prod(b);
            float[] e = new float[(int) (nb * span)];
            long[] idx = new long[b.length];
            for (int o = 0; o < span; o++) {
                long rest = o;
                for (int j = b.length - 1; j >= 0; j--) {
                    long size = outDims[first + j];
                    idx[j] = rest % size;
                    rest /= size;
                }
                long bi = 0;
                for (int j = 0; j < b.length; j++) bi = bi * b[j] + (b[j] == 1 ? 0 : idx[j]);
                e[(int) (bi * span + o)] = 1f;
            }
            SDVariable spread = p.get(BIAS).mmul(sd.constant(Nd4j.createFromArray(e).reshape(nb, span).castTo(y.dataType())));
            y = sd.reshape(sd.reshape(y, -1, span).add(spread), outDims);
        }
        return y;
    }

    private static long sizes(String labels, String all, List<Long> shape) {
        long n = 1;
        for (char c : labels.toCharArray()) n *= shape.get(all.indexOf(c));
        return n;
    }

    private static int[] positions(String labels, String in) {
        int[] p = new int[labels.length()];
        for (int i = 0; i < p.length; i++) p[i] = in.indexOf(labels.charAt(i));
        return p;
    }

    private static long prod(long[] a) {
        long n = 1;
        for (long v : a) n *= v;
        return n;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, null);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in == null || in.length != 1) throw new InvalidInputTypeException("EinsumDense " + getLayerName() + " takes one input");
        if (in[0] instanceof InputType.InputTypeFeedForward f) {
            setInputDims(new long[] {f.getSize()});
        } else if (in[0] instanceof InputType.InputTypeRecurrent r && r.getTimeSeriesLength() > 0) {
            setInputDims(new long[] {r.getTimeSeriesLength(), r.getSize()});
            format = r.getFormat();
        } else {
            throw new InvalidInputTypeException("EinsumDense " + getLayerName() + " takes (batch, features) or (batch, steps, features), got " + in[0]);
        }
        List<Long> out;
        try {
            out = outputShape();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputTypeException("EinsumDense " + getLayerName() + ": " + e.getMessage());
        }
        if (out.get(0) != null) throw new InvalidInputTypeException("EinsumDense " + getLayerName() + ": the batch axis must stay first");
        if (out.size() == 2) return InputType.feedForward(out.get(1));
        if (out.size() == 3) return InputType.recurrent(out.get(2), out.get(1), RNNFormat.NWC);
        throw new InvalidInputTypeException("EinsumDense " + getLayerName() + " gives rank " + out.size() + "; graft computes ranks 2 and 3");
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                                                      boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new ShapeKeyedSameDiffVertexRuntime(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public KerasEinsumDenseVertex clone() {
        KerasEinsumDenseVertex c = new KerasEinsumDenseVertex(equation, biasAxes, partialOutputShape == null ? null : partialOutputShape.clone());
        c.inputDims = inputDims == null ? null : inputDims.clone();
        c.format = format;
        c.initialValues = initialValues;
        return SameDiffVertexSettings.copy(this, c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasEinsumDenseVertex v && Objects.equals(equation, v.equation) && Objects.equals(biasAxes, v.biasAxes)
                && Arrays.equals(partialOutputShape, v.partialOutputShape) && Arrays.equals(inputDims, v.inputDims) && format == v.format;
    }

    @Override
    public int hashCode() {
        return Objects.hash(equation, biasAxes, Arrays.hashCode(partialOutputShape), Arrays.hashCode(inputDims), format);
    }

    // ---- bean accessors: DL4J stores configurations as JSON through them ----

    public String getEquation() { return equation; }
    public void setEquation(String equation) { this.equation = equation; }
    public String getBiasAxes() { return biasAxes; }
    public void setBiasAxes(String biasAxes) { this.biasAxes = biasAxes; }
    public long[] getPartialOutputShape() { return partialOutputShape; }
    public void setPartialOutputShape(long[] s) { this.partialOutputShape = s; }
    public long[] getInputDims() { return inputDims; }
    public void setInputDims(long[] inputDims) { this.inputDims = inputDims; setVertexParams(null); }
    public RNNFormat getFormat() { return format; }
    public void setFormat(RNNFormat format) { this.format = format == null ? RNNFormat.NWC : format; }
}
