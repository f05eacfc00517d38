package dev.graft.engine.layers;

import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Keras layer without weights that rearranges or reduces whole tensors (Permute, global pooling, Dot), computed by
 * SameDiff on the arrays as Keras holds them ({@link KerasTensorTypes}): SameDiff differentiates it, so gradients flow
 * through in training. The graph is built per input shape ({@link ShapeKeyedSameDiffVertexRuntime}), so
 * {@link #compute} sees every per-sample size; the batch is -1.
 */
public abstract class KerasTensorOpVertex extends SameDiffVertex {

    /** The number of tensors the layer takes. */
    protected abstract int inputCount();

    /** The output, from inputs of the per-sample shapes {@code shapes} (batch first as -1). */
    protected abstract SDVariable compute(SameDiff sd, SDVariable[] in, long[][] shapes);

    /** The per-sample output shape from the inputs' (sizes -1 where unknown). */
    protected abstract long[] outputShape(long[][] inputs);

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        String[] names = new String[inputCount()];
        for (int i = 0; i < names.length; i++) names[i] = "in" + i;
        params.defineInputs(names);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> in, Map<String, SDVariable> p, Map<String, SDVariable> maskVars) {
        SDVariable[] x = new SDVariable[inputCount()];
        long[][] shapes = new long[x.length][];
        for (int i = 0; i < x.length; i++) {
            x[i] = in.get("in" + i);
            shapes[i] = x[i].getShape();
        }
        return compute(sd, x, shapes);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, null);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in == null || in.length != inputCount()) {
            throw new InvalidInputTypeException(getClass().getSimpleName() + " takes " + inputCount() + " input(s), got "
                    + (in == null ? 0 : in.length));
        }
        long[][] shapes = new long[in.length][];
        for (int i = 0; i < in.length; i++) shapes[i] = KerasTensorTypes.sampleShape(in[i]);
        return KerasTensorTypes.typeOf(outputShape(shapes), in[0]);
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                                                      boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new ShapeKeyedSameDiffVertexRuntime(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    /** Base-class settings copied into a clone. */
    protected <T extends KerasTensorOpVertex> T withSettingsOf(T clone) {
        return SameDiffVertexSettings.copy(this, clone);
    }

    /** The Keras axis {@code axis} of a tensor of {@code rank} (batch included), negative ones counted from the end. */
    static int axis(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }
}
