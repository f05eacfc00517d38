package dev.graft.engine.layers;

import org.deeplearning4j.nn.api.MaskState;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DL4J's SameDiff vertex runtime with what {@link KerasLstmStateVertex} needs beyond it:
 * <ul>
 *   <li>the graph is unrolled for a fixed number of steps, so it is built again when an input arrives with
 *       another step count (DL4J would reuse the graph of the first input it saw);</li>
 *   <li>the sequence's per-step mask ({@code [batch, steps]}) is computed here from the input, where the spec
 *       has a mask value, and fed to the graph; DL4J's own mask placeholders assume NCW input and would be
 *       {@code [batch, features]} for Keras's NWC sequences;</li>
 *   <li>the gradient arriving from the graph is halved, undoing ND4J M2.1's doubling of every SameDiff
 *       gradient ({@code ExternalErrorsFunction.doDiff}: see {@link KerasGruRuntimeLayer}); the gradient-check
 *       tests fail if this ever stops holding.</li>
 * </ul>
 */
public class KerasLstmStateRuntimeVertex extends SameDiffGraphVertex {

    private long builtForSteps = -1;

    public KerasLstmStateRuntimeVertex(KerasLstmStateVertex config, ComputationGraph graph, String name, int vertexIndex,
                                       INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    private KerasLstmStateVertex conf() {
        return (KerasLstmStateVertex) config;
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

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return config.feedForwardMaskArrays(maskArrays, currentMaskState, minibatchSize);
    }

    private void prepare() {
        if (inputs == null || inputs[0] == null || inputs[0].rank() != 3) {
            return;   // validateInput reports this clearly
        }
        long steps = conf().steps(inputs[0]);
        if (sameDiff != null && steps != builtForSteps) {
            sameDiff = null;
        }
        builtForSteps = steps;
        // Read by the parent's forward and backward passes; only the sequence's entry is ours, the others
        // are made by the parent in the shape its placeholders have.
        maskArrays = new INDArray[inputs.length];
        maskArrays[0] = sequenceMask(inputs[0]);
    }

    /** 1 for a step that counts, 0 for a masked one: all features equal to the mask value. */
    private INDArray sequenceMask(INDArray x) {
        Double maskValue = conf().getMaskValue();
        long steps = conf().steps(x);
        if (maskValue == null) {
            return Nd4j.ones(dataType, x.size(0), steps);
        }
        int featureAxis = conf().getInputFormat() == org.deeplearning4j.nn.conf.RNNFormat.NCW ? 1 : 2;
        return x.neq(maskValue).castTo(dataType).sum(featureAxis).gt(0).castTo(dataType).reshape(x.size(0), steps);
    }

    /** The parent's graph set-up, with the sequence's mask placeholder shaped {@code [batch, steps]}. */
    @Override
    protected void doInit() {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            sameDiff = SameDiff.create();
            // views as parameters, single-threaded as DL4J is
            sameDiff.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);
            inputVars = new LinkedHashMap<>();
            Map<String, SDVariable> maskVars = new LinkedHashMap<>();
            List<String> names = config.getVertexParams().getInputs();
            for (int i = 0; i < names.size(); i++) {
                String s = names.get(i);
                long[] inputShape = inputs[i].shape().clone();
                long[] maskShape = i == 0 ? new long[]{-1, conf().steps(inputs[0])} : new long[]{-1, 1};
                inputShape[0] = -1;
                inputVars.put(s, sameDiff.placeHolder(s, dataType, inputShape));
                maskVars.put(s, sameDiff.placeHolder(s + "_mask", dataType, maskShape));
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
