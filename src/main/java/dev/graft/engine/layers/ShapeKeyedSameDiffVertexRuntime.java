package dev.graft.engine.layers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.autodiff.util.SameDiffUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's SameDiff vertex runtime for graft's vertices that take no masks, with the corrections
 * {@link KerasLstmStateRuntimeVertex} explains: the graph is built again when inputs of other shapes arrive
 * (placeholders are fixed but for the batch), every input gets a {@code [batch, 1]} mask of ones in a placeholder
 * of that shape (DL4J's own would be shaped for NCW), and ND4J M2.1's doubled SameDiff gradients are halved.
 */
public class ShapeKeyedSameDiffVertexRuntime extends SameDiffGraphVertex {
    private long[][] builtFor;

    public ShapeKeyedSameDiffVertexRuntime(SameDiffVertex config, ComputationGraph graph, String name, int vertexIndex, INDArray paramsView,
                                           boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        prepare();
        return super.doForward(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        prepare();
        INDArray received = epsilon;
        epsilon = received.mul(0.5);
        try {
            return super.doBackward(tbptt, workspaceMgr);
        } finally {
            epsilon = received;
        }
    }

    private void prepare() {
        if (inputs == null) return;
        long[][] shapes = new long[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) return;
            shapes[i] = Arrays.copyOfRange(inputs[i].shape(), 1, inputs[i].rank());
        }
        if (sameDiff != null && !Arrays.deepEquals(shapes, builtFor)) sameDiff = null;
        builtFor = shapes;
        maskArrays = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) maskArrays[i] = Nd4j.ones(dataType, inputs[i].size(0), 1);
    }

    @Override
    protected void doInit() {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            sameDiff = SameDiff.create();
            sameDiff.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);
            inputVars = new LinkedHashMap<>();
            Map<String, SDVariable> maskVars = new LinkedHashMap<>();
            List<String> names = config.getVertexParams().getInputs();
            for (int i = 0; i < names.size(); i++) {
                String s = names.get(i);
                long[] inputShape = inputs[i].shape().clone();
                inputShape[0] = -1;
                inputVars.put(s, sameDiff.placeHolder(s, dataType, inputShape));
                maskVars.put(s, sameDiff.placeHolder(s + "_mask", dataType, -1, 1));
            }
            Map<String, SDVariable> params = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : config.getVertexParams().getParamShapes().entrySet()) {
                params.put(e.getKey(), sameDiff.var(e.getKey(), dataType, e.getValue()));
            }
            outputVar = config.defineVertex(sameDiff, inputVars, params, maskVars);
            for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
                sameDiff.associateArrayWithVariable(e.getValue(), sameDiff.getVariable(e.getKey()));
            }
            fn = SameDiffUtils.externalErrors(sameDiff, null, outputVar);
            fn.outputVariable();
            outputKey = outputVar.name();
        }
    }
}
