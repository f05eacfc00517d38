package dev.graft.engine;

import dev.graft.engine.layers.HeapGraphInference;
import dev.graft.format.dl4j.Dl4jNetworks;
import dev.graft.model.DType;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import dev.graft.shape.GraphShapes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An engine network that speaks Keras layout at its edges: callers hand it (batch, features),
 * (batch, steps, features) and (batch, h, w, channels) arrays whatever the graph holds inside, and
 * get its outputs back the same way. Each input and output carries its Keras-notation shape and
 * the layout the graph holds it in ({@link TensorSpec}).
 */
public final class EngineModel {
    /** Samples per forward pass: bounds the activations held at once, whatever the input's size. */
    static final int CHUNK_ROWS = 1024;

    private final ComputationGraph graph;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;

    private EngineModel(ComputationGraph graph, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        List<String> in = graph.getConfiguration().getNetworkInputs();
        List<String> out = graph.getConfiguration().getNetworkOutputs();
        if (!in.equals(inputs.stream().map(TensorSpec::name).toList())) {
            throw new IllegalArgumentException("input specs " + inputs + " do not name the graph's inputs " + in);
        }
        if (!out.equals(outputs.stream().map(TensorSpec::name).toList())) {
            throw new IllegalArgumentException("output specs " + outputs + " do not name the graph's outputs " + out);
        }
        this.graph = graph;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    /** A Keras model on the engine. DL4J's Keras import configures every layer channels last, so no conversion is needed. */
    public static EngineModel ofKeras(ModelGraph model) {
        return ofKeras(model, KerasEngine.build(model));
    }

    /** A Keras model built for training (see {@link KerasEngine#buildForTraining}). */
    public static EngineModel ofKerasForTraining(ModelGraph model) {
        return ofKeras(model, KerasEngine.buildForTraining(model));
    }

    private static EngineModel ofKeras(ModelGraph model, ComputationGraph graph) {
        GraphShapes shapes = GraphShapes.infer(model);
        return new EngineModel(graph,
                kerasSpecs(graph.getConfiguration().getNetworkInputs(), model.inputs(), shapes.modelInputShapes()),
                kerasSpecs(graph.getConfiguration().getNetworkOutputs(), model.outputs(), shapes.modelOutputShapes()));
    }

    /**
     * The network a DL4J zip holds (a MultiLayerNetwork arrives as a graph). A zip graft wrote
     * records the Keras shape and layout of its inputs and outputs, and is read as recorded; any
     * other zip's are read from its layers ({@link #ofNative}).
     */
    public static EngineModel ofDl4j(Path file) {
        return ofDl4j(Dl4jNetworks.read(file));
    }

    /** {@link #ofDl4j(Path)} of a network graft's reader already restored (the file is not read again). */
    public static EngineModel ofDl4j(Dl4jNetworks.Network network) {
        dev.graft.format.dl4j.Dl4jFlattens.check(network.file(), network.graph().getConfiguration());
        // Whoever built the network, DL4J's in-place activation layers must not overwrite a tensor another vertex reads.
        ComputationGraph graph = SharedInputCopies.applied(network.graph());
        return network.recordedTensors() == null ? ofNative(graph) : RecordedTensorSpecs.apply(graph, network.recordedTensors(), network.file());
    }

    /** Writes this model as a DL4J zip that {@link #ofDl4j} reads back with the same inputs and outputs. */
    public void writeZip(Path target, com.fasterxml.jackson.databind.node.ObjectNode provenance) {
        dev.graft.format.dl4j.Dl4jZipWriter.write(graph, target, provenance, RecordedTensorSpecs.of(this));
    }

    /** A graph whose layers are configured as DL4J does natively: layouts are read from the layers next to each input and output. */
    public static EngineModel ofNative(ComputationGraph graph) {
        return new EngineModel(graph, NativeTensorSpecs.inputs(graph), NativeTensorSpecs.outputs(graph));
    }

    /** A graph whose inputs and outputs the caller has described (a spliced hybrid). */
    public static EngineModel of(ComputationGraph graph, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        return new EngineModel(graph, inputs, outputs);
    }

    /**
     * This model with its inputs' per-sample shapes pinned (a caller that knows its data, or a
     * splice that knows what the previous donor gives), and its output shapes worked out from
     * them. DL4J configurations do not record sequence lengths or image sizes, so a native donor's
     * output shape is often unknown until its input's is. The outputs are measured, not inferred:
     * one zero sample is computed, which is what the graph really gives whatever its layers are.
     *
     * @throws EngineException when a shape contradicts what the model expects or the model cannot compute it
     */
    public EngineModel withInputShapes(List<Shape> shapes) {
        if (shapes.size() != inputs.size()) throw new IllegalArgumentException(inputs.size() + " inputs, " + shapes.size() + " shapes");
        List<TensorSpec> pinned = new ArrayList<>();
        boolean known = true;
        for (int i = 0; i < shapes.size(); i++) {
            Shape s = merged(inputs.get(i), shapes.get(i));
            known &= s != null && s.isSampleShapeKnown();
            pinned.add(inputs.get(i).withShape(s));
        }
        EngineModel withInputs = new EngineModel(graph, pinned, outputs);
        if (!known) return withInputs;
        HostArray[] zeros = new HostArray[pinned.size()];
        for (int i = 0; i < zeros.length; i++) {
            List<Long> dims = new ArrayList<>(pinned.get(i).kerasShape().dims());
            dims.set(0, 1L);
            long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
            zeros[i] = HostArray.ofFloats(shape, new float[Math.toIntExact(HostArray.size(shape))]);
        }
        HostArray[] out;
        try {
            out = withInputs.predict(zeros);
        } catch (RuntimeException e) {
            if (e instanceof EngineException) throw e;
            throw new EngineException("the model cannot compute inputs of shape " + pinned.stream().map(TensorSpec::kerasShape).toList() + ": "
                    + KerasEngine.firstLine(e.getMessage()), e);
        }
        List<TensorSpec> measured = new ArrayList<>();
        for (int o = 0; o < out.length; o++) {
            List<Long> dims = new ArrayList<>();
            dims.add(null);
            for (int d = 1; d < out[o].rank(); d++) dims.add(out[o].shape()[d]);
            measured.add(outputs.get(o).withShape(Shape.of(dims)));
        }
        return new EngineModel(graph, pinned, measured);
    }

    /** The given shape with the spec's known dimensions checked against it and filling its unknown ones. */
    private static Shape merged(TensorSpec spec, Shape given) {
        Shape own = spec.kerasShape();
        if (given == null) return own;
        if (own == null) return given;
        if (own.rank() != given.rank()) throw new EngineException("input '" + spec.kerasName() + "' expects " + own + ", not " + given);
        List<Long> dims = new ArrayList<>();
        for (int d = 0; d < own.rank(); d++) {
            Long a = own.dim(d);
            Long b = given.dim(d);
            if (a != null && b != null && !a.equals(b)) throw new EngineException("input '" + spec.kerasName() + "' expects " + own + ", not " + given);
            dims.add(d == 0 ? null : a != null ? a : b);
        }
        return Shape.of(dims);
    }

    /**
     * Each vertex's spec, named for users after the Keras tensor it computes ({@code layer}, or {@code layer[node][tensor]} as
     * {@code inspect} lists it): graft's rewrites may compute an output in a vertex of their own ({@code <layer>_graft_glu},
     * a shared layer's {@code <layer>__graft_call_1}, an LSTM state's {@code <layer>__h}). The import keeps the model's
     * order of inputs and outputs; a vertex is matched by name only when the counts differ.
     */
    private static List<TensorSpec> kerasSpecs(List<String> vertexNames, List<TensorRef> refs, List<Shape> shapes) {
        List<TensorSpec> specs = new ArrayList<>();
        boolean inOrder = vertexNames.size() == refs.size();
        for (int i = 0; i < vertexNames.size(); i++) {
            int at = inOrder ? i : -1;
            for (int j = 0; at < 0 && j < refs.size(); j++) if (refs.get(j).layer().equals(vertexNames.get(i))) at = j;
            if (at < 0 && i < refs.size()) at = i;
            Shape shape = at >= 0 && at < shapes.size() ? shapes.get(at) : null;
            String kerasName = at >= 0 ? refs.get(at).toString() : vertexNames.get(i);
            specs.add(new TensorSpec(vertexNames.get(i), shape, Layout.CHANNELS_LAST, kerasName));
        }
        return specs;
    }

    /**
     * Computes the network (inference mode) on Keras-layout inputs, batch first, one array per
     * input in {@link #inputNames()} order; returns one Keras-layout array per output.
     *
     * @throws EngineException when an input's count, batch size or per-sample shape does not fit
     */
    public HostArray[] predict(HostArray... kerasLayoutInputs) {
        return predict(true, kerasLayoutInputs);
    }

    /** {@link #predict(HostArray...)}; {@code onHeap}: whether a graph {@link HeapGraphInference} computes may skip the engine. */
    HostArray[] predict(boolean onHeap, HostArray... kerasLayoutInputs) {
        if (kerasLayoutInputs.length != inputs.size()) {
            throw new EngineException("the model takes " + inputs.size() + " input" + (inputs.size() == 1 ? "" : "s") + " " + inputNames()
                    + ", got " + kerasLayoutInputs.length);
        }
        long rows = -1;
        for (int i = 0; i < inputs.size(); i++) {
            HostArray a = kerasLayoutInputs[i];
            check(inputs.get(i), a);
            if (rows >= 0 && a.shape()[0] != rows) {
                throw new EngineException("inputs hold different numbers of samples: " + rows + " for '" + inputs.get(0).kerasName() + "', "
                        + a.shape()[0] + " for '" + inputs.get(i).kerasName() + "'");
            }
            rows = a.shape()[0];
        }
        if (rows == 0) throw new EngineException("input '" + inputs.get(0).kerasName() + "' holds no samples");

        if (onHeap) {
            HostArray[] heap = predictOnHeap(kerasLayoutInputs, rows);
            if (heap != null) return heap;
        }
        DataType type = graph.getConfiguration().getDataType();
        Rows.Assembler[] results = new Rows.Assembler[outputs.size()];
        for (int o = 0; o < results.length; o++) results[o] = new Rows.Assembler(rows);
        for (long from = 0; from < rows; from += CHUNK_ROWS) {
            long to = Math.min(rows, from + CHUNK_ROWS);
            INDArray[] in = new INDArray[inputs.size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = inputs.get(i).layout().fromKeras(Tensors.toNd4j(Rows.slice(kerasLayoutInputs[i], from, to), type));
            }
            INDArray[] out = run(in);
            for (int o = 0; o < out.length; o++) {
                HostArray keras = Tensors.fromNd4j(outputs.get(o).layout().toKeras(out[o]));
                checkOutput(outputs.get(o), keras, kerasLayoutInputs);
                results[o].add(keras);
            }
        }
        HostArray[] result = new HostArray[results.length];
        for (int o = 0; o < result.length; o++) result[o] = results[o].result();
        return result;
    }

    /**
     * The outputs computed chunk by chunk by {@link HeapGraphInference} (the whole graph on the heap, no engine call),
     * or null when the graph or this input is not one it computes: one float sequence input and one output, Keras
     * layout at both ends.
     */
    private HostArray[] predictOnHeap(HostArray[] given, long rows) {
        HostArray x = given[0];
        if (given.length != 1 || outputs.size() != 1 || x.rank() != 3 || x.floatData() == null) return null;
        if (inputs.get(0).layout() != Layout.CHANNELS_LAST || outputs.get(0).layout() != Layout.CHANNELS_LAST) return null;
        HeapGraphInference plan = HeapGraphInference.of(graph);
        if (plan == null) return null;
        int steps = Math.toIntExact(x.shape()[1]);
        int features = Math.toIntExact(x.shape()[2]);
        float[] values = x.floatData();
        float[] out = null;
        long[] shape = null;
        for (long from = 0; from < rows; from += CHUNK_ROWS) {
            int batch = (int) (Math.min(rows, from + CHUNK_ROWS) - from);
            HeapGraphInference.Output y = plan.predict(values, Math.toIntExact(from * steps * features), batch, steps, features);
            if (y == null) return null;
            if (out == null) {
                shape = new long[] {rows, y.steps(), y.features()};
                if (HostArray.size(shape) > Integer.MAX_VALUE - 8) return null;
                out = new float[(int) HostArray.size(shape)];
            } else if (y.steps() != shape[1] || y.features() != shape[2]) {
                return null;
            }
            y.copyTo(out, Math.toIntExact(from * shape[1] * shape[2]));
        }
        HostArray result = HostArray.ofFloats(shape, out);
        checkOutput(outputs.get(0), result, given);
        return new HostArray[] {result};
    }

    /** The network's forward pass; a failure inside DL4J/ND4J becomes a one-line engine error. */
    private INDArray[] run(INDArray[] in) {
        try {
            return dev.graft.engine.layers.ContiguousLstmHelper.whileInferring(graph,
                    () -> dev.graft.engine.layers.Im2colConvHelper.whileInferring(graph,
                            () -> dev.graft.engine.layers.PointwiseConv1DInference.whileInferring(graph, () -> graph.output(false, in))));
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().split("\n")[0];
            List<String> vertices = Arrays.asList(graph.getConfiguration().getVertices().keySet().toArray(String[]::new));
            throw new EngineException(EngineFailures.naming(vertices, "the engine (DL4J 1.0.0-M2.1) failed to compute this model: " + msg), e);
        }
    }

    /**
     * The engine's output must have the shape Keras gives: a layer DL4J computes in another layout or over other axes
     * shows up here at the latest, and is refused rather than returned (never a silent wrong number). Only known
     * dimensions are compared, and only when every input's per-sample shape is known (open dimensions propagate).
     */
    private void checkOutput(TensorSpec spec, HostArray got, HostArray[] given) {
        Shape expected = spec.kerasShape();
        if (expected == null) return;
        for (TensorSpec in : inputs) if (in.kerasShape() == null || !in.kerasShape().isSampleShapeKnown()) return;
        long[] shape = got.shape();
        boolean fits = shape.length == expected.rank();
        for (int d = 1; fits && d < shape.length; d++) fits = expected.dim(d) == null || expected.dim(d) == shape[d];
        if (!fits) {
            throw new EngineException("output '" + spec.kerasName() + "': the engine (DL4J 1.0.0-M2.1) computed an output of shape " + tuple(shape)
                    + " where Keras gives " + expected + "; graft cannot compute this model");
        }
    }

    /** Rank and every known per-sample dimension must match; the batch is free. */
    private static void check(TensorSpec spec, HostArray a) {
        if (!a.dtype().isFloating() && a.dtype() != DType.INT32 && a.dtype() != DType.INT64 && a.dtype() != DType.UINT8) {
            throw new EngineException("input '" + spec.kerasName() + "' must hold numbers, got " + a.dtype().kerasName());
        }
        Shape expected = spec.kerasShape();
        long[] got = a.shape();
        if (got.length == 0) throw new EngineException("input '" + spec.kerasName() + "' needs a batch axis, got a scalar");
        if (expected == null) return;
        boolean fits = got.length == expected.rank();
        for (int d = 1; fits && d < got.length; d++) {
            Long want = expected.dim(d);
            fits = want == null || want == got[d];
        }
        if (!fits) {
            throw new EngineException("input '" + spec.kerasName() + "' expects " + expected + " per sample, got " + tuple(got));
        }
    }

    private static String tuple(long[] shape) {
        String s = Arrays.toString(shape);
        return "(" + s.substring(1, s.length() - 1) + (shape.length == 1 ? ",)" : ")");
    }

    public ComputationGraph graph() {
        return graph;
    }

    public List<TensorSpec> inputs() {
        return inputs;
    }

    public List<TensorSpec> outputs() {
        return outputs;
    }

    /** The inputs as Keras names them (what users give data for). */
    public List<String> inputNames() {
        return inputs.stream().map(TensorSpec::kerasName).toList();
    }

    /** The outputs as Keras names them, not the engine's vertices ({@link TensorSpec#kerasName}). */
    public List<String> outputNames() {
        return outputs.stream().map(TensorSpec::kerasName).toList();
    }

    /** Keras notation, batch first; null dimensions (or a null shape) where unknown. */
    public List<Shape> inputShapes() {
        return inputs.stream().map(TensorSpec::kerasShape).toList();
    }

    public List<Shape> outputShapes() {
        return outputs.stream().map(TensorSpec::kerasShape).toList();
    }

    /** The element type the engine computes in. */
    public DType dataType() {
        return Tensors.dtypeOf(graph.getConfiguration().getDataType());
    }
}
