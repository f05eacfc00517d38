package dev.graft.engine.train;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Keras's {@code categorical_crossentropy} and {@code sparse_categorical_crossentropy} (not from logits) on any output:
 * each row is divided by its sum, clipped to [1e-7, 1 - 1e-7], and the loss is {@code -sum(y * log(q))}. On a softmax
 * output the engine's own loss ({@code MCXENT}, {@code SPARSE_MCXENT}) computes the same and is used unchanged. On any
 * other output (a sigmoid or linear Dense, a Conv1D, a loss head after the layer) the engine took {@code -sum(y * log(p))}
 * of the raw outputs: a different loss and gradient where rows do not sum to 1, and NaN where an output is negative,
 * which Keras computes finite.
 * <p>
 * Gradient: with {@code S} the row's sum, {@code q = p / S}, {@code g_k = -y_k / q_k} where the clip lets {@code q_k}
 * through (0 where it holds it at a bound, as torch's clamp), {@code dL/dp_j = (g_j - sum_k g_k q_k) / S}, then the
 * output activation's backward pass ({@code KerasProbabilityLossGradientTest} checks it against finite differences).
 * A written DL4J zip records the engine's loss ({@link #engineLosses}): the zip names only DL4J's classes; and a DL4J
 * zip trains with the engine's loss, as DL4J defines it.
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON.
 */
public final class KerasProbabilityLoss extends KerasRowLoss {
    private static final double EPS = 1e-7;

    /** Class indices (one per row) instead of one-hot rows. */
    public boolean sparse;

    public KerasProbabilityLoss() {
    }

    public KerasProbabilityLoss(boolean sparse) {
        this.sparse = sparse;
    }

    /** The engine's loss of the same name, which computes Keras's on a softmax output. */
    public ILossFunction engine() {
        return sparse ? new LossSparseMCXENT() : new LossMCXENT();
    }

    private static boolean softmax(IActivation a) {
        return a instanceof ActivationSoftmax;
    }

    private INDArray oneHot(INDArray labels, INDArray p) {
        if (!sparse) return labels.castTo(p.dataType());
        INDArray y = Nd4j.zeros(p.dataType(), p.size(0), p.size(1));
        for (long r = 0; r < p.size(0); r++) y.putScalar(r, labels.getLong(r), 1.0);
        return y;
    }

    /** [p, y, S, q, clipped q] for the rows. */
    private INDArray[] parts(INDArray labels, INDArray preOutput, IActivation activationFn) {
        INDArray p = activationFn.getActivation(preOutput.dup(), true);
        INDArray y = oneHot(labels, p);
        INDArray s = p.sum(true, 1);
        INDArray q = p.divColumnVector(s);
        INDArray c = Transforms.min(Transforms.max(q, EPS, true), 1 - EPS, false);
        return new INDArray[] {p, y, s, q, c};
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (softmax(activationFn)) return engine().computeScoreArray(labels, preOutput, activationFn, mask);
        return super.computeScoreArray(labels, preOutput, activationFn, mask);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        if (softmax(activationFn)) return engine().computeScore(labels, preOutput, activationFn, mask, average);
        return super.computeScore(labels, preOutput, activationFn, mask, average);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (softmax(activationFn)) return engine().computeGradient(labels, preOutput, activationFn, mask);
        return super.computeGradient(labels, preOutput, activationFn, mask);
    }

    @Override
    protected INDArray rowLosses(INDArray labels, INDArray preOutput, IActivation activationFn) {
        INDArray[] x = parts(labels, preOutput, activationFn);
        return Transforms.log(x[4], true).muli(x[1]).sum(1).negi();
    }

    @Override
    protected INDArray outputGradient(INDArray labels, INDArray preOutput, IActivation activationFn) {
        INDArray[] x = parts(labels, preOutput, activationFn);
        INDArray q = x[3];
        // where the clip holds q at a bound, no gradient passes (torch's clamp)
        INDArray inside = q.dup();
        BooleanIndexing.replaceWhere(inside, 0.0, Conditions.lessThan(EPS));
        BooleanIndexing.replaceWhere(inside, 0.0, Conditions.greaterThan(1 - EPS));
        BooleanIndexing.replaceWhere(inside, 1.0, Conditions.notEquals(0.0));
        INDArray g = x[1].div(x[4]).negi().muli(inside);
        return g.subColumnVector(g.mul(q).sum(true, 1)).diviColumnVector(x[2]);
    }

    /** Every loss of this class in the network's output and loss layers back to the engine's own (before a zip is written). */
    public static void engineLosses(ComputationGraph graph) {
        for (GraphVertex v : graph.getConfiguration().getVertices().values()) {
            if (!(v instanceof LayerVertex lv)) continue;
            Layer l = lv.getLayerConf().getLayer();
            if (l instanceof BaseOutputLayer o && o.getLossFn() instanceof KerasProbabilityLoss k) o.setLossFn(k.engine());
            if (l instanceof LossLayer o && o.getLossFn() instanceof KerasProbabilityLoss k) o.setLossFn(k.engine());
            if (l instanceof RnnLossLayer o && o.getLossFn() instanceof KerasProbabilityLoss k) o.setLossFn(k.engine());
            if (l instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer o && o.getLossFn() instanceof KerasProbabilityLoss k) o.setLossFn(k.engine());
        }
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            Layer l = layer.conf().getLayer();
            if (l instanceof BaseOutputLayer o && o.getLossFn() instanceof KerasProbabilityLoss k) o.setLossFn(k.engine());
            if (l instanceof LossLayer o && o.getLossFn() instanceof KerasProbabilityLoss k) o.setLossFn(k.engine());
        }
    }

    @Override
    public String name() {
        return sparse ? "sparse_categorical_crossentropy" : "categorical_crossentropy";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasProbabilityLoss l && l.sparse == sparse;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(sparse);
    }

    @Override
    public String toString() {
        return "Keras " + name();
    }
}
