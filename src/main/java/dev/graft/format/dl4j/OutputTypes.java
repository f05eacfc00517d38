package dev.graft.format.dl4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Each layer's output type, computed by DL4J's own {@code getOutputType} from wherever the
 * configuration lets the input type be known (see {@link ImpliedInputTypes}); null where it
 * cannot be known. A layer DL4J rejects the computed input for also gets null, and the walk
 * continues from what later layers imply.
 */
final class OutputTypes {
    private OutputTypes() {
    }

    /**
     * @param input   the network input's type, or null
     * @param outputs the output type of each layer, by index; entries may be null
     */
    record MultiLayer(InputType input, InputType[] outputs) {
    }

    static MultiLayer of(MultiLayerConfiguration conf) {
        int n = conf.getConfs().size();
        InputType[] out = new InputType[n];
        InputType networkInput = null;
        InputType current = null;
        for (int i = 0; i < n; i++) {
            Layer layer = conf.getConf(i).getLayer();
            InputPreProcessor pre = conf.getInputPreProcess(i);
            InputType entering = current;
            if (entering == null) {
                // Only a preprocessor's record speaks for the previous layer's output; a layer's nIn
                // speaks only for the network input (old zips fed 4-d activations to dense layers).
                entering = impliedEntering(layer, pre, i == 0);
                if (entering != null && i > 0) out[i - 1] = entering;
            }
            if (i == 0) networkInput = entering;
            out[i] = layerOutput(i, layer, pre, entering);
            current = out[i];
        }
        return new MultiLayer(networkInput, out);
    }

    /**
     * @param order the vertex names, network inputs included, in topological order
     * @return the type of each vertex's output (network inputs included) where known
     */
    static Map<String, InputType> of(ComputationGraphConfiguration conf, List<String> order) {
        return of(conf, order, Map.of());
    }

    /** {@link #of(ComputationGraphConfiguration, List)} from known network input types (a zip graft wrote records them). */
    static Map<String, InputType> of(ComputationGraphConfiguration conf, List<String> order, Map<String, InputType> inputTypes) {
        Map<String, InputType> types = new HashMap<>(inputTypes);
        List<String> networkInputs = conf.getNetworkInputs();
        for (int idx = 0; idx < order.size(); idx++) {
            String name = order.get(idx);
            if (networkInputs.contains(name)) continue;
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> inputs = conf.getVertexInputs().get(name);
            InputType out;
            if (vertex instanceof LayerVertex lv && inputs != null && inputs.size() == 1) {
                Layer layer = lv.getLayerConf().getLayer();
                String source = inputs.get(0);
                InputType entering = types.get(source);
                if (entering == null) {
                    boolean fromNetworkInput = networkInputs.contains(source);
                    entering = impliedEntering(layer, lv.getPreProcessor(), fromNetworkInput);
                    if (entering != null && (fromNetworkInput || lv.getPreProcessor() != null)) types.put(source, entering);
                }
                out = layerOutput(idx, layer, lv.getPreProcessor(), entering);
            } else {
                out = vertexOutput(idx, vertex, inputs, types);
            }
            if (out != null) types.put(name, out);
        }
        return types;
    }

    /** The type of the tensor entering a layer (before its preprocessor) as the configuration records it. */
    private static InputType impliedEntering(Layer layer, InputPreProcessor pre, boolean atNetworkInput) {
        if (pre != null) {
            InputType implied = ImpliedInputTypes.enteringPreProcessor(pre);
            return implied != null && ImpliedInputTypes.agrees(preProcess(pre, implied), layer) ? implied : null;
        }
        return atNetworkInput ? ImpliedInputTypes.fromLayer(layer) : null;
    }

    private static InputType layerOutput(int idx, Layer layer, InputPreProcessor pre, InputType entering) {
        InputType in = entering == null ? null : pre == null ? entering : preProcess(pre, entering);
        if (in == null || !ImpliedInputTypes.agrees(in, layer)) in = ImpliedInputTypes.fromLayer(layer);
        if (in == null) return null;
        try {
            return OutputTypeFixes.apply(layer, in, layer.getOutputType(idx, in));
        } catch (RuntimeException e) {
            return null; // DL4J refuses this input kind for the layer: unknown, not an error of the file.
        }
    }

    private static InputType vertexOutput(int idx, GraphVertex vertex, List<String> inputs, Map<String, InputType> types) {
        if (vertex == null || inputs == null || inputs.isEmpty()) return null;
        InputType[] in = new InputType[inputs.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = types.get(inputs.get(i));
            if (in[i] == null) return null;
        }
        // DL4J's MergeVertex.getOutputType sets the vertex's merge axis from its inputs' sequence format (2 for any format
        // but NCW, a DL4J zip's unset one included): asking for a type must not change the configuration, whose copies
        // (training, written zips) would then join a Bidirectional's halves along the steps instead of the features.
        Integer mergeAxis = vertex instanceof MergeVertex m ? m.getMergeAxis() : null;
        try {
            return vertex.getOutputType(idx, in);
        } catch (RuntimeException e) {
            return null;
        } finally {
            if (mergeAxis != null) ((MergeVertex) vertex).setMergeAxis(mergeAxis);
        }
    }

    private static InputType preProcess(InputPreProcessor pre, InputType in) {
        try {
            return pre.getOutputType(in);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
