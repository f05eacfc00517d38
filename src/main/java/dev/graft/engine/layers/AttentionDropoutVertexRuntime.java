package dev.graft.engine.layers;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of a {@link KerasMultiHeadAttentionVertex} with Keras's {@code dropout} on its attention weights: each
 * training forward pass draws one keep-or-drop factor per weight ({@code [batch, heads·Tq·Tk]}, kept ones 1/(1 - rate),
 * as Keras's {@code Dropout} on the weights), handed to the graph in the query's mask placeholder; the backward pass
 * that follows reads the same factors (the graph computes the forward pass again inside it). Inference passes ones.
 */
public class AttentionDropoutVertexRuntime extends ShapeKeyedSameDiffVertexRuntime {
    private final KerasMultiHeadAttentionVertex attention;
    /** This training batch's factors, null outside training. */
    private INDArray factors;
    /** Factors every training pass uses instead of drawing (a gradient check's fixed mask), else null. */
    private INDArray fixed;

    public AttentionDropoutVertexRuntime(KerasMultiHeadAttentionVertex config, ComputationGraph graph, String name, int vertexIndex, INDArray paramsView,
                                         boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
        this.attention = config;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        factors = null;
        if (training && fixed != null) {
            factors = fixed;
        } else if (training && inputs != null && inputs[0] != null && inputs[1] != null) {
            INDArray f = Nd4j.createUninitializedDetached(dataType, inputs[0].size(0), attention.attentionWeights(inputs)).assign(1.0);
            Nd4j.getExecutioner().exec(new DropOutInverted(f, 1 - attention.getTrainingDropout()));
            factors = f;
        }
        return super.doForward(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (factors == null) throw new IllegalStateException("attention '" + getVertexName() + "': a backward pass without a training forward pass");
        return super.doBackward(tbptt, workspaceMgr);
    }

    /** Makes every training pass use these factors ({@code [batch, heads·Tq·Tk]}), or draw again with null: for tests. */
    void fixFactors(INDArray factors) {
        this.fixed = factors;
    }

    /** The factors of the batch's training pass (null outside training): read by tests. */
    INDArray factors() {
        return factors;
    }

    @Override
    protected INDArray[] masks(INDArray[] inputs) {
        INDArray[] masks = super.masks(inputs);
        masks[0] = factors != null ? factors : Nd4j.ones(dataType, inputs[0].size(0), attention.attentionWeights(inputs));
        return masks;
    }

    @Override
    protected long[] maskShape(int i, INDArray[] inputs) {
        return i == 0 ? new long[] {-1, attention.attentionWeights(inputs)} : super.maskShape(i, inputs);
    }
}
