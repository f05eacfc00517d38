package dev.graft.engine.train;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * An output's loss whose gradient the engine would average over the wrong number of rows. The engine divides every
 * output's gradient by one batch size, the number of rows of its first output's labels; a {@link LossHead} gives an
 * output one row per position (a sequence's steps), so in a model whose outputs have different numbers of positions
 * (two sequences of different lengths, a sequence beside a vector) every output but the first was averaged over another
 * output's rows: its gradient 5/3 of Keras's, say, while its reported loss was right. This loss scales the gradient by
 * the first output's rows over its own ({@link #engineRows}, which the trainer sets before each batch), which leaves
 * Keras's mean after the engine's division; the score is the loss's own.
 *
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON. Training takes it off
 * ({@link #removeFrom}) before a model is written.
 */
public final class PositionScaledLoss extends WrappedLoss {
    /** The rows of the batch's first output's labels: what the engine divides this output's gradient by. */
    public long engineRows;

    public PositionScaledLoss() {
    }

    PositionScaledLoss(ILossFunction loss) {
        super(loss);
    }

    /** Puts the scaling on the loss of the network output {@code output} (an output or loss layer). */
    static void putOn(GraphVertex output) {
        if (!(output instanceof LayerVertex lv)) throw new IllegalStateException("no loss on " + output);
        Layer l = lv.getLayerConf().getLayer();
        if (l instanceof BaseOutputLayer o) o.setLossFn(new PositionScaledLoss(o.getLossFn()));
        else if (l instanceof LossLayer o) o.setLossFn(new PositionScaledLoss(o.getLossFn()));
        else throw new IllegalStateException("no loss on " + l);
    }

    /** Tells the network's scaled losses the rows of this batch's first output's labels (before the engine's step). */
    static void setEngineRows(ComputationGraph graph, long rows) {
        for (int o = 1; o < graph.getNumOutputArrays(); o++) {
            Layer l = graph.getOutputLayer(o).conf().getLayer();
            ILossFunction fn = l instanceof BaseOutputLayer b ? b.getLossFn() : l instanceof LossLayer b ? b.getLossFn() : null;
            if (fn instanceof PositionScaledLoss p) p.engineRows = rows;
        }
    }

    /** Every output's own loss back (before a trained network is written or copied). */
    static void removeFrom(ComputationGraph graph) {
        for (GraphVertex v : graph.getConfiguration().getVertices().values()) if (v instanceof LayerVertex lv) unwrap(lv.getLayerConf().getLayer());
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) unwrap(layer.conf().getLayer());
    }

    private static void unwrap(Layer l) {
        if (l instanceof BaseOutputLayer o && o.getLossFn() instanceof PositionScaledLoss p) o.setLossFn(p.loss);
        if (l instanceof LossLayer o && o.getLossFn() instanceof PositionScaledLoss p) o.setLossFn(p.loss);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return loss.computeScoreArray(labels, preOutput, activationFn, mask);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        return loss.computeScore(labels, preOutput, activationFn, mask, average);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray g = loss.computeGradient(labels, preOutput, activationFn, mask);
        if (engineRows <= 0) throw new IllegalStateException("the engine's rows were not set");
        return engineRows == labels.size(0) ? g : g.muli((double) engineRows / labels.size(0));
    }

    @Override
    public String name() {
        return loss.name();
    }
}
