package dev.graft.engine.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code Bidirectional(GRU)}: two of graft's GRU recurrences ({@link GruUnroller}) in one trainable layer,
 * the forward one over the steps in order and the backward one from the end, merged as Keras 3.15's
 * {@code Bidirectional.call} does: the backward sequence flipped back to the input's order (when returning
 * sequences), then {@code concat} (forward features first), {@code sum}, {@code mul} or {@code ave}.
 *
 * <p>The forward GRU's settings are this layer's own ({@link KerasGruLayer}'s); the backward one is the same GRU
 * running the other way, with its own parameters: {@code fKernel}, {@code fRecurrentKernel}, {@code fBias} and
 * {@code bKernel}, ... in Keras's shapes (see {@link KerasGruLayer}).
 */
public class KerasBidirectionalGruLayer extends KerasGruLayer {
    /** Keras's {@code merge_mode}s that give one tensor. */
    public enum Merge { CONCAT, SUM, MUL, AVE }

    public static final String[] FORWARD = {"fKernel", "fRecurrentKernel", "fBias"};
    public static final String[] BACKWARD = {"bKernel", "bRecurrentKernel", "bBias"};

    private Merge merge = Merge.CONCAT;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected KerasBidirectionalGruLayer() {
    }

    /** @param forward the forward GRU's settings ({@code goBackwards} false) */
    public KerasBidirectionalGruLayer(KerasGruLayer.Builder forward, Merge merge) {
        super(forward);
        this.merge = merge;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        for (String[] names : new String[][] {FORWARD, BACKWARD}) {
            params.addWeightParam(names[0], getNIn(), 3L * getUnits());
            params.addWeightParam(names[1], getUnits(), 3L * getUnits());
            if (isUseBias()) params.addBiasParam(names[2], isResetAfter() ? 2 : 1, 3L * getUnits());
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray p = e.getValue();
            if (e.getKey().endsWith("Bias")) p.assign(0);
            else initWeights((int) p.size(0), (int) p.size(1), org.deeplearning4j.nn.weights.WeightInit.XAVIER_UNIFORM, p);
        }
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, Map<String, SDVariable> p, SDVariable mask) {
        long[] shape = layerInput.getShape();
        if (shape == null || shape.length != 3) {
            throw new IllegalStateException("Bidirectional GRU layer " + getLayerName() + " needs a rank-3 input");
        }
        boolean ncw = getRnnDataFormat() == RNNFormat.NCW;
        SDVariable nwc = ncw ? sd.permute(layerInput, 0, 2, 1) : layerInput;
        int steps = (int) (ncw ? shape[2] : shape[1]);
        GruSpec f = spec();
        GruSpec b = new GruSpec(f.units(), f.resetAfter(), f.useBias(), f.activation(), f.recurrentActivation(), f.returnSequences(),
                !f.goBackwards(), f.maskValue(), f.zeroOutputForMask());
        SDVariable y = new GruUnroller(f).build(sd, nwc, steps, getNIn(), p.get(FORWARD[0]), p.get(FORWARD[1]),
                isUseBias() ? p.get(FORWARD[2]) : null);
        SDVariable yRev = new GruUnroller(b).build(sd, nwc, steps, getNIn(), p.get(BACKWARD[0]), p.get(BACKWARD[1]),
                isUseBias() ? p.get(BACKWARD[2]) : null);
        if (isReturnSequences()) yRev = sd.reverse(yRev, 1);
        SDVariable out = switch (merge) {
            case CONCAT -> sd.concat(isReturnSequences() ? 2 : 1, y, yRev);
            case SUM -> y.add(yRev);
            case MUL -> y.mul(yRev);
            case AVE -> y.add(yRev).mul(0.5);
        };
        return isReturnSequences() && ncw ? sd.permute(out, 0, 2, 1) : out;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType one = super.getOutputType(layerIndex, inputType);
        if (merge != Merge.CONCAT) return one;
        if (one instanceof InputType.InputTypeRecurrent r) return InputType.recurrent(2L * getUnits(), r.getTimeSeriesLength(), r.getFormat());
        return InputType.feedForward(2L * getUnits());
    }

    // ---- bean accessors: DL4J stores layer configurations as JSON through them ----

    public Merge getMerge() { return merge; }
    public void setMerge(Merge merge) { this.merge = merge; }
}
