package dev.graft.engine.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime of {@link MaskedAverage1DVertex}. */
public class MaskedAverage1DRuntimeVertex extends BaseGraphVertex {
    private final MaskedAverage1DVertex conf;

    public MaskedAverage1DRuntimeVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType, MaskedAverage1DVertex conf) {
        super(graph, name, vertexIndex, null, null, dataType);
        this.conf = conf;
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    private INDArray keep(INDArray x) {
        INDArray keep = StepKeep.of(StepKeep.nwc(inputs[1], conf.isSourceNcw()), conf.getMaskValue(), x.dataType());
        if (x.size(1) != keep.size(1)) {
            throw new IllegalStateException(getVertexName() + ": the sequence has " + x.size(1) + " steps, its mask " + keep.size(1));
        }
        return keep;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) throw new IllegalStateException("Cannot do forward pass: inputs not set");
        INDArray x = StepKeep.nwc(inputs[0], conf.isSequenceNcw());
        INDArray keep = keep(x);                                   // [b, s, 1]
        INDArray sum = x.mul(keep).sum(1);                         // [b, f]; masked steps contribute exact zeros
        INDArray count = keep.sum(1);                              // [b, 1]
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, sum.diviColumnVector(count));
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) throw new IllegalStateException("Cannot do backward pass: error not set");
        INDArray x = StepKeep.nwc(inputs[0], conf.isSequenceNcw());
        INDArray keep = keep(x);                                   // [b, s, 1]
        INDArray count = keep.sum(1);                              // [b, 1]
        INDArray perRow = epsilon.divColumnVector(count);          // [b, f]
        long b = x.size(0), s = x.size(1), f = x.size(2);
        INDArray grad = Nd4j.createUninitialized(x.dataType(), b, s, f);
        for (long t = 0; t < s; t++) {
            INDArray k = keep.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());  // [b, 1]
            grad.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(perRow.mulColumnVector(k.reshape(b, 1)));
        }
        INDArray toSequence = conf.isSequenceNcw() ? grad.permute(0, 2, 1) : grad;
        INDArray[] grads = {workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, toSequence),
                workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, Nd4j.zerosLike(inputs[1]))};
        return new Pair<>(null, grads);
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) throw new IllegalStateException("the masked average has no parameters");
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, null);   // the average of the steps is a vector: no per-step mask after it
    }

    @Override
    public String toString() {
        return "MaskedAverage1DRuntimeVertex(" + getVertexName() + ")";
    }
}
