package dev.graft.engine.train;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Keras losses the engine lacks or computes differently, written as Keras defines them: each
 * sample's loss is the mean (the sum, for {@code kl_divergence}) over its outputs of an element
 * loss of prediction {@code p} and label {@code y}; the engine averages over the batch.
 * <ul>
 * <li>{@code huber}: ½·min(|p−y|, δ)² + δ·(|p−y| − min(|p−y|, δ));</li>
 * <li>{@code log_cosh}: x + softplus(−2x) − log 2 with x = p − y;</li>
 * <li>{@code hinge}, {@code squared_hinge}: max(1 − y·p, 0) (squared), labels already −1/1
 * ({@link LossSettings#lossLabels} converts 0/1 as Keras does);</li>
 * <li>{@code poisson}: p − y·log(p + 1e-7);</li>
 * <li>{@code kl_divergence}: y·log(y/p), both clipped to [1e-7, 1].</li>
 * </ul>
 * (The engine's hinge losses take the labels as given and sum over the outputs; its Poisson sums.)
 *
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON.
 */
public final class KerasElementLoss extends KerasRowLoss {
    private static final double EPS = 1e-7;

    /** The Keras name of the loss. */
    public String kind = "huber";
    /** Huber's {@code delta}: quadratic below it, linear above. */
    public double delta = 1.0;

    public KerasElementLoss() {
    }

    public KerasElementLoss(String kind, double delta) {
        this.kind = kind;
        this.delta = delta;
    }

    private INDArray output(INDArray preOutput, IActivation activation) {
        return activation.getActivation(preOutput.dup(), true);
    }

    private INDArray elementLoss(INDArray p, INDArray y) {
        switch (kind) {
            case "huber": {
                INDArray abs = Transforms.abs(p.sub(y), false);
                INDArray quadratic = Transforms.min(abs, delta, true);
                INDArray linear = abs.sub(quadratic);
                return quadratic.mul(quadratic).muli(0.5).addi(linear.muli(delta));
            }
            case "log_cosh": {
                INDArray e = p.sub(y);
                return e.add(Transforms.softPlus(e.mul(-2), false)).subi(Math.log(2));
            }
            case "hinge": return Transforms.relu(y.mul(p).rsubi(1), false);
            case "squared_hinge": {
                INDArray h = Transforms.relu(y.mul(p).rsubi(1), false);
                return h.muli(h);
            }
            case "poisson": return p.sub(y.mul(Transforms.log(p.add(EPS), false)));
            case "kl_divergence": {
                INDArray yc = clip01(y), pc = clip01(p);
                return yc.mul(Transforms.log(yc.div(pc), false));
            }
            default: throw new IllegalStateException(kind);
        }
    }

    /** d(element loss)/dp. */
    private INDArray elementGradient(INDArray p, INDArray y) {
        switch (kind) {
            case "huber": return Transforms.min(Transforms.max(p.sub(y), -delta, false), delta, false);
            case "log_cosh": return Transforms.tanh(p.sub(y), false);
            case "hinge": {
                INDArray active = y.mul(p).rsubi(1);
                BooleanIndexing.replaceWhere(active, 0.0, Conditions.lessThanOrEqual(0.0));
                BooleanIndexing.replaceWhere(active, 1.0, Conditions.greaterThan(0.0));
                return active.muli(y).negi();
            }
            case "squared_hinge": return Transforms.relu(y.mul(p).rsubi(1), false).muli(y).muli(-2);
            case "poisson": return y.div(p.add(EPS)).rsubi(1);
            case "kl_divergence": {
                // zero where Keras's clip holds p at a bound
                INDArray g = clip01(y).divi(clip01(p)).negi();
                INDArray inside = p.dup();
                BooleanIndexing.replaceWhere(inside, 0.0, Conditions.lessThan(EPS));
                BooleanIndexing.replaceWhere(inside, 0.0, Conditions.greaterThan(1.0));
                BooleanIndexing.replaceWhere(inside, 1.0, Conditions.notEquals(0.0));
                return g.muli(inside);
            }
            default: throw new IllegalStateException(kind);
        }
    }

    private static INDArray clip01(INDArray a) {
        return Transforms.min(Transforms.max(a, EPS, true), 1.0, false);
    }

    private boolean sums() {
        return kind.equals("kl_divergence");
    }

    @Override
    protected INDArray rowLosses(INDArray labels, INDArray preOutput, IActivation activationFn) {
        INDArray p = output(preOutput, activationFn);
        INDArray elem = elementLoss(p, labels.castTo(p.dataType()));
        return sums() ? elem.sum(1) : elem.mean(1);
    }

    @Override
    protected INDArray outputGradient(INDArray labels, INDArray preOutput, IActivation activationFn) {
        INDArray p = output(preOutput, activationFn);
        INDArray dOut = elementGradient(p, labels.castTo(p.dataType()));
        return sums() ? dOut : dOut.divi(p.size(1));
    }

    @Override
    public String name() {
        return kind;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasElementLoss l && l.kind.equals(kind) && l.delta == delta;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(delta);
    }

    @Override
    public String toString() {
        return "Keras " + kind + (kind.equals("huber") ? "(delta=" + delta + ")" : "");
    }
}
