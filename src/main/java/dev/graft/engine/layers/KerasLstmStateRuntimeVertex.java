package dev.graft.engine.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of {@link KerasLstmStateVertex}: its graph is unrolled for a fixed number of steps, so it is
 * built for the sequence's step count; the sequence's per-step mask ({@code [batch, steps]}) is computed here
 * from the input, where the spec has a mask value.
 */
public class KerasLstmStateRuntimeVertex extends RebuildingSameDiffVertexRuntime {

    public KerasLstmStateRuntimeVertex(KerasLstmStateVertex config, ComputationGraph graph, String name, int vertexIndex,
                                       INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    private KerasLstmStateVertex conf() {
        return (KerasLstmStateVertex) config;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return config.feedForwardMaskArrays(maskArrays, currentMaskState, minibatchSize);
    }

    @Override
    protected Object buildKey(INDArray[] inputs) {
        if (inputs[0] == null || inputs[0].rank() != 3) return null;
        return conf().steps(inputs[0]);
    }

    /** Only the sequence's entry is ours; the others are made by the parent in the shape its placeholders have. */
    @Override
    protected INDArray[] masks(INDArray[] inputs) {
        INDArray[] masks = new INDArray[inputs.length];
        masks[0] = sequenceMask(inputs[0]);
        return masks;
    }

    @Override
    protected long[] maskShape(int i, INDArray[] inputs) {
        return i == 0 ? new long[] {-1, conf().steps(inputs[0])} : new long[] {-1, 1};
    }

    /** 1 for a step that counts, 0 for a masked one: all features equal to the mask value. */
    private INDArray sequenceMask(INDArray x) {
        Double maskValue = conf().getMaskValue();
        long steps = conf().steps(x);
        if (conf().isKeepFeature()) {
            // the mask as the sequence's last feature (StepKeepVertex, NWC)
            return x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(x.size(2) - 1)).castTo(dataType).reshape(x.size(0), steps);
        }
        if (maskValue == null) {
            return Nd4j.ones(dataType, x.size(0), steps);
        }
        int featureAxis = conf().getInputFormat() == org.deeplearning4j.nn.conf.RNNFormat.NCW ? 1 : 2;
        return x.neq(maskValue).castTo(dataType).sum(featureAxis).gt(0).castTo(dataType).reshape(x.size(0), steps);
    }
}
