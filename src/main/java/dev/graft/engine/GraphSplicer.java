package dev.graft.engine;

import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Joins networks in a chain into one new ComputationGraph: donor 1 → bridge 1 → donor 2 → ... The
 * hybrid computes exactly {@code dN(bridge(...d2(bridge(d1(x)))))}: every donor vertex is copied
 * with its own configuration and its parameters bit for bit, and only the bridges are new. The
 * first donor's inputs are the hybrid's inputs, the last donor's outputs its outputs.
 */
public final class GraphSplicer {
    /** Keras's default optimizer, for bridges trained in the hybrid; donors keep their own updaters. */
    public static final double DEFAULT_BRIDGE_LEARNING_RATE = 1e-3;

    private GraphSplicer() {
    }

    public static EngineModel splice(List<SpliceDonor> donors, List<SpliceBridge> bridges) {
        return splice(donors, bridges, new Adam(DEFAULT_BRIDGE_LEARNING_RATE));
    }

    /**
     * @param bridges one per junction: {@code bridges.get(i)} joins donor i's output to donor i+1's input
     * @param bridgeUpdater how training updates the bridges' parameters
     * @throws EngineException when the donors cannot be joined as asked (names, shapes, layers)
     */
    public static EngineModel splice(List<SpliceDonor> donors, List<SpliceBridge> bridges, IUpdater bridgeUpdater) {
        if (donors.size() < 2) throw new EngineException("a splice joins at least two networks, got " + donors.size());
        if (bridges.size() != donors.size() - 1) {
            throw new IllegalArgumentException(donors.size() + " donors need " + (donors.size() - 1) + " bridges, got " + bridges.size());
        }
        DataType type = widestType(donors);
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .dataType(type)
                .updater(bridgeUpdater)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                // Donor output layers keep the activation/loss pairs their authors chose.
                .validateOutputLayerConfig(false);
        VertexNames names = new VertexNames();

        List<TensorSpec> hybridInputs = new ArrayList<>();
        for (TensorSpec in : donors.get(0).model().inputs()) {
            TensorSpec renamed = in.withName(donors.get(0).rename(in.name()));
            names.claim(renamed.name(), "donor 1");
            graph.addInputs(renamed.name());
            hybridInputs.add(renamed);
        }

        Map<String, VertexCopy> copies = new LinkedHashMap<>();
        Map<String, SpliceBridge.Dense> denseBridges = new LinkedHashMap<>();
        String feed = null; // the vertex that takes the place of the current donor's input
        Shape arriving = null; // what reaches the current donor's input
        EngineModel model = null;
        int last = donors.size() - 1;
        for (int i = 0; i <= last; i++) {
            SpliceDonor donor = donors.get(i);
            String label = "donor " + (i + 1);
            checkRenames(donor, label);
            String replacedInput = i == 0 ? null : single(donor.model().inputNames(), label, "input");
            String exposedOutput = i == last ? null : single(donor.model().outputNames(), label, "output");
            addDonor(graph, names, donor, label, replacedInput, feed, exposedOutput, copies);
            // A donor's output shape may be known only once its input's is (sequence lengths, image sizes).
            model = i == 0 ? donor.model() : donor.model().withInputShapes(List.of(arriving));
            if (i < last) {
                TensorSpec produced = model.outputs().get(0);
                produced = produced.withName(donor.rename(produced.name()));
                TensorSpec consumed = donors.get(i + 1).model().inputs().get(0);
                Junction.Built j = Junction.add(graph, names, produced, bridges.get(i), consumed, "between " + label + " and donor " + (i + 2));
                feed = j.output();
                arriving = j.arriving();
                if (j.denseVertex() != null) denseBridges.put(j.denseVertex(), (SpliceBridge.Dense) bridges.get(i));
            }
        }
        List<TensorSpec> hybridOutputs = new ArrayList<>();
        for (TensorSpec out : model.outputs()) hybridOutputs.add(out.withName(donors.get(last).rename(out.name())));
        graph.setOutputs(hybridOutputs.stream().map(TensorSpec::name).toArray(String[]::new));

        ComputationGraph hybrid = build(graph);
        for (Map.Entry<String, VertexCopy> e : copies.entrySet()) copyParameters(e.getValue(), hybrid.getVertex(e.getKey()).paramTable(false));
        for (Map.Entry<String, SpliceBridge.Dense> e : denseBridges.entrySet()) setBridge(e.getValue(), hybrid.getVertex(e.getKey()).paramTable(false), type);
        return EngineModel.of(hybrid, hybridInputs, hybridOutputs);
    }

    /** Where a hybrid vertex's parameters come from. */
    private record VertexCopy(String donor, ComputationGraph graph, String vertex) {
    }

    private static void addDonor(GraphBuilder graph, VertexNames names, SpliceDonor donor, String label, String replacedInput, String feed,
                                 String exposedOutput, Map<String, VertexCopy> copies) {
        boolean first = replacedInput == null;
        ComputationGraph g = donor.model().graph();
        ComputationGraphConfiguration conf = g.getConfiguration();
        for (int idx : g.topologicalSortOrder()) {
            String old = g.getVertices()[idx].getVertexName();
            if (conf.getNetworkInputs().contains(old)) continue;
            GraphVertex vertex = conf.getVertices().get(old).clone();
            if (old.equals(exposedOutput)) vertex = HiddenOutputLayers.asHidden(vertex, label);
            if (donor.frozen()) vertex = first ? Freezing.asFeatureExtractor(vertex) : Freezing.withBackprop(vertex);
            String name = donor.rename(old);
            names.claim(name, label);
            // DL4J finds a layer's vertex by the layer's own name.
            LayerVertex lv = layerVertex(vertex);
            if (lv != null) lv.getLayerConf().getLayer().setLayerName(name);
            List<String> inputs = new ArrayList<>();
            for (String in : conf.getVertexInputs().getOrDefault(old, List.of())) inputs.add(in.equals(replacedInput) ? feed : donor.rename(in));
            graph.addVertex(name, vertex, inputs.toArray(new String[0]));
            if (vertex.numParams(false) > 0) copies.put(name, new VertexCopy(label, g, old));
        }
    }

    private static ComputationGraph build(GraphBuilder graph) {
        try {
            ComputationGraph hybrid = new ComputationGraph(BatchNormOutputs.apply(graph.build()));
            hybrid.init();
            return hybrid;
        } catch (RuntimeException e) {
            throw new EngineException("the engine cannot build the spliced network: " + KerasEngine.firstLine(rootMessage(e)), e);
        }
    }

    /** Every donor parameter, bit for bit (widened exactly when the hybrid computes in a wider type). */
    private static void copyParameters(VertexCopy source, Map<String, INDArray> target) {
        Map<String, INDArray> params = source.graph().getVertex(source.vertex()).paramTable(false);
        if (!params.keySet().equals(target.keySet())) {
            throw new IllegalStateException(source.donor() + " vertex '" + source.vertex() + "' has parameters " + params.keySet()
                    + " but its copy has " + target.keySet());
        }
        for (Map.Entry<String, INDArray> p : params.entrySet()) {
            INDArray to = target.get(p.getKey());
            if (!Arrays.equals(p.getValue().shape(), to.shape())) {
                throw new IllegalStateException(source.donor() + " vertex '" + source.vertex() + "' parameter " + p.getKey() + " has shape "
                        + Arrays.toString(p.getValue().shape()) + " but its copy " + Arrays.toString(to.shape()));
            }
            to.assign(p.getValue());
        }
    }

    /** A Dense bridge's kernel (in, units) is DL4J's W (nIn, nOut) as it is; the bias fills b, whatever its row shape. */
    private static void setBridge(SpliceBridge.Dense bridge, Map<String, INDArray> params, DataType type) {
        INDArray w = params.get("W");
        INDArray b = params.get("b");
        w.assign(Tensors.toNd4j(bridge.kernel(), type));
        b.assign(Tensors.toNd4j(bridge.bias(), type).reshape(b.shape()));
    }

    /** Names in a donor's map must be its vertices: a typo would otherwise pass silently. */
    private static void checkRenames(SpliceDonor donor, String label) {
        Map<String, GraphVertex> vertices = donor.model().graph().getConfiguration().getVertices();
        List<String> inputs = donor.model().graph().getConfiguration().getNetworkInputs();
        for (String old : donor.names().keySet()) {
            if (!vertices.containsKey(old) && !inputs.contains(old)) throw new EngineException(label + " has no vertex named '" + old + "'");
        }
    }

    private static String single(List<String> names, String label, String what) {
        if (names.size() != 1) {
            throw new EngineException(label + " has " + names.size() + " " + what + "s " + names + "; a chain joins networks with one " + what
                    + " at each junction");
        }
        return names.get(0);
    }

    private static LayerVertex layerVertex(GraphVertex v) {
        if (v instanceof FrozenVertex f) return layerVertex(f.getUnderlying());
        return v instanceof LayerVertex lv ? lv : null;
    }

    /** The widest type any donor computes in: widening float32 parameters to float64 keeps their values exactly. */
    private static DataType widestType(List<SpliceDonor> donors) {
        DataType widest = null;
        for (SpliceDonor d : donors) {
            DataType t = d.model().graph().getConfiguration().getDataType();
            if (widest == null || t.width() > widest.width()) widest = t;
        }
        return widest;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
