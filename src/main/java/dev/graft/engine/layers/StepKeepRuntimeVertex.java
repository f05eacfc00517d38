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
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Runtime of {@link StepKeepVertex}. */
public class StepKeepRuntimeVertex extends BaseGraphVertex {
    private final StepKeepVertex conf;

    public StepKeepRuntimeVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType, StepKeepVertex conf) {
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

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) throw new IllegalStateException("Cannot do forward pass: inputs not set");
        INDArray x = StepKeep.nwc(inputs[0], conf.isSequenceNcw());
        INDArray keep = StepKeep.of(StepKeep.nwc(inputs[1], conf.isSourceNcw()), conf.getMaskValue(), x.dataType());
        if (x.size(1) != keep.size(1)) {
            throw new IllegalStateException(getVertexName() + ": the sequence has " + x.size(1) + " steps, its mask " + keep.size(1));
        }
        if (conf.getRestoredRow() != null) {
            INDArray row = Nd4j.createFromArray(conf.getRestoredRow()).castTo(x.dataType()).reshape(1, 1, conf.getRestoredRow().length);
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, x.add(keep.rsub(1.0).broadcast(x.shape()).mul(row.broadcast(x.shape()))));
        }
        if (conf.isZeroes()) return workspaceMgr.dup(ArrayType.ACTIVATIONS, x.mul(keep.broadcast(x.shape())));
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, Nd4j.concat(2, x, keep));
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) throw new IllegalStateException("Cannot do backward pass: error not set");
        INDArray toSequence;
        if (conf.getRestoredRow() != null) {
            toSequence = epsilon;
        } else if (conf.isZeroes()) {
            INDArray keep = StepKeep.of(StepKeep.nwc(inputs[1], conf.isSourceNcw()), conf.getMaskValue(), epsilon.dataType());
            toSequence = epsilon.mul(keep.broadcast(epsilon.shape()));
        } else {
            long f = epsilon.size(2) - 1;
            toSequence = epsilon.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, f));
        }
        if (conf.isSequenceNcw()) toSequence = toSequence.permute(0, 2, 1);
        INDArray[] grads = {workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, toSequence),
                workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, Nd4j.zerosLike(inputs[1]))};
        return new Pair<>(null, grads);
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) throw new IllegalStateException("the mask feature vertex has no parameters");
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, null);   // the mask travels as the last feature
    }

    @Override
    public String toString() {
        return "StepKeepRuntimeVertex(" + getVertexName() + ")";
    }
}
