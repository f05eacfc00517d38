package dev.graft.engine.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.layers.recurrent.TimeDistributedLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Dense layer applied to every step of a sequence ({@link SequenceTimeDistributed}, DL4J's {@link TimeDistributed} of a
 * {@link DenseLayer}, steps-last NWC as the Keras import makes it; a merge's {@code dense:N} bridge between sequence
 * layers) trained on the heap: in Keras's {@code (steps, features)} layout the batch's steps are {@code rows · steps} rows
 * of one Dense layer, which is what DL4J's layer computes after reshaping them so. Identity, ReLU, sigmoid and tanh.
 */
public final class TimeDistributedDenseStage implements HeapStage {
    private final int steps;
    private final DenseRows dense;
    private final INDArray engineWeights;
    private final INDArray engineBias;
    private final HeapParameter weights;
    private final HeapParameter bias;
    private final List<HeapParameter> parameters;
    private final float[] w;
    private final float[] b;

    private TimeDistributedDenseStage(int steps, DenseRows dense, INDArray engineWeights, INDArray engineBias, float[] w, float[] b,
                                      HeapParameter weights, HeapParameter bias) {
        this.steps = steps;
        this.dense = dense;
        this.engineWeights = engineWeights;
        this.engineBias = engineBias;
        this.w = w;
        this.b = b;
        this.weights = weights;
        this.bias = bias;
        this.parameters = weights == null ? List.of() : bias == null ? List.of(weights) : List.of(weights, bias);
    }

    /** The stage for a time-distributed Dense layer computed here, or null. */
    public static HeapStage of(HeapStageSource source) {
        if (!(source.layer() instanceof TimeDistributed td) || td.getRnnDataFormat() != RNNFormat.NWC) return null;
        if (!(td.getUnderlying() instanceof DenseLayer conf) || conf.getClass() != DenseLayer.class || conf.hasLayerNorm()) return null;
        if (!(source.runtime() instanceof TimeDistributedLayer runtime) || !HeapStageChecks.plainVertex(source.vertex())) return null;
        if (!HeapStageChecks.keepsEverything(td.getIDropout()) || !HeapStageChecks.plain(conf)) return null;
        HeapActivation activation = HeapActivation.of(conf.getActivationFn());
        int[] shape = source.inputShape();
        if (activation == null || shape == null || shape.length != 2) return null;
        Map<String, INDArray> params = runtime.getUnderlying().paramTable(false);
        INDArray w = HeapStageChecks.floatParameter(params, "W", 2);
        INDArray b = conf.hasBias() ? params.get("b") : null;
        if (w == null || w.size(0) != shape[1] || params.size() != (conf.hasBias() ? 2 : 1)) return null;
        int nIn = shape[1], nOut = Math.toIntExact(w.size(1));
        if (conf.hasBias() && (b == null || b.dataType() != w.dataType() || b.length() != nOut)) return null;
        float[] wValues = HeapFloats.read(w), bValues = b == null ? null : HeapFloats.read(b);
        HeapParameter wp = source.learns() ? new HeapParameter(wValues, conf.getUpdaterByParam("W")) : null;
        HeapParameter bp = source.learns() && b != null ? new HeapParameter(bValues, conf.getUpdaterByParam("b")) : null;
        return new TimeDistributedDenseStage(shape[0], new DenseRows(nIn, nOut, activation), w, b, wValues, bValues, wp, bp);
    }

    @Override
    public int[] outputShape() {
        return new int[] {steps, dense.nOut};
    }

    @Override
    public float[] forward(float[] input, int rows) {
        return dense.forward(input, rows * steps, w, b);
    }

    @Override
    public float[] backward(float[] outputGradient, int rows, boolean inputGradient) {
        return dense.backward(outputGradient, rows * steps, w, weights == null ? null : weights.gradient(), bias == null ? null : bias.gradient(),
                inputGradient);
    }

    @Override
    public List<HeapParameter> parameters() {
        return parameters;
    }

    @Override
    public void copyToEngine() {
        if (weights == null) return;
        HeapStageChecks.copyInto(engineWeights, w, 0);
        if (engineBias != null) HeapStageChecks.copyInto(engineBias, b, 0);
    }
}
