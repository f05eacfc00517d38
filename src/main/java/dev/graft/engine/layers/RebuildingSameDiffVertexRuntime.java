package dev.graft.engine.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * DL4J's SameDiff vertex runtime with what graft's SameDiff vertices need beyond it:
 * <ul>
 *   <li>the graph is built again when inputs arrive that it was not built for ({@link #buildKey}: a step count,
 *       per-sample shapes); DL4J would reuse the graph of the first input it saw;</li>
 *   <li>the masks fed to the graph are made here ({@link #masks}), in placeholders shaped by {@link #maskShape}:
 *       DL4J's own mask placeholders assume NCW input and would be {@code [batch, features]} for Keras's NWC
 *       sequences;</li>
 *   <li>the gradient arriving from the graph is halved, undoing ND4J M2.1's doubling of every SameDiff
 *       gradient ({@code ExternalErrorsFunction.doDiff}: see {@link KerasGruRuntimeLayer}); the gradient-check
 *       tests fail if this ever stops holding.</li>
 *   <li>an inference pass of a {@link DirectInferenceVertex} is computed by the vertex itself when it can (no
 *       SameDiff session); training always runs the graph.</li>
 * </ul>
 */
public abstract class RebuildingSameDiffVertexRuntime extends SameDiffGraphVertex {
    private Object builtFor;

    protected RebuildingSameDiffVertexRuntime(SameDiffVertex config, ComputationGraph graph, String name, int vertexIndex,
                                              INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    /** What the graph is built for, from the current inputs (equal keys reuse the graph); null when the inputs are not there yet. */
    protected abstract Object buildKey(INDArray[] inputs);

    /** The masks the graph reads, one per input; an entry left null is made by DL4J in its placeholder's shape. */
    protected abstract INDArray[] masks(INDArray[] inputs);

    /** The shape of input {@code i}'s mask placeholder, batch first as -1. */
    protected abstract long[] maskShape(int i, INDArray[] inputs);

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        // The direct path first: it needs neither the graph's build key nor the masks' arrays made for the graph.
        if (!training && config instanceof DirectInferenceVertex direct && allPresent(inputs) && masksHideNothing(inputs)) {
            INDArray out = direct.inferDirectly(inputs, paramTable);
            if (out != null) return workspaceMgr.leverageTo(org.deeplearning4j.nn.workspace.ArrayType.ACTIVATIONS, out);
        }
        prepare();
        return super.doForward(training, workspaceMgr);
    }

    private static boolean allPresent(INDArray[] inputs) {
        if (inputs == null) return false;
        for (INDArray x : inputs) if (x == null) return false;
        return true;
    }

    /**
     * Whether the masks {@link #masks} makes for these inputs hide nothing (the direct inference path reads none); a
     * runtime whose masks are ones by construction answers without making them.
     */
    protected boolean masksHideNothing(INDArray[] inputs) {
        for (INDArray m : masks(inputs)) {
            if (m != null && m.minNumber().doubleValue() != 1.0) return false;
        }
        return true;
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
        Object key = buildKey(inputs);
        if (key == null) return;   // validateInput reports missing or malformed inputs clearly
        if (sameDiff != null && !Objects.deepEquals(key, builtFor)) sameDiff = null;
        builtFor = key;
        // Read by the parent's forward and backward passes.
        maskArrays = masks(inputs);
    }

    /** The parent's graph set-up, with mask placeholders shaped by {@link #maskShape}. */
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
                inputShape[0] = -1;
                inputVars.put(s, sameDiff.placeHolder(s, dataType, inputShape));
                maskVars.put(s, sameDiff.placeHolder(s + "_mask", dataType, maskShape(i, inputs)));
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
