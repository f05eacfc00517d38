package dev.graft.engine;

import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.DataFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.preprocessors.ReshapePreprocessor;

/**
 * The vertices between one donor's output and the next donor's input. Every bridge works in Keras
 * layout, so the junction is: the producer's tensor turned channels last (when the producer holds
 * it channels first), the bridge, then the tensor turned into the layout the consumer reads. Only
 * DL4J's own vertex and preprocessor classes are used, so the written zip opens in plain DL4J.
 */
final class Junction {
    /**
     * @param output      the vertex that feeds the consumer
     * @param denseVertex the vertex holding a Dense bridge's parameters, or null
     * @param arriving    the Keras shape that reaches the consumer, its unknown dimensions filled from what the consumer expects
     */
    record Built(String output, String denseVertex, Shape arriving) {
    }

    private final GraphBuilder graph;
    private final VertexNames names;
    private final String where;

    private Junction(GraphBuilder graph, VertexNames names, String where) {
        this.graph = graph;
        this.names = names;
        this.where = where;
    }

    /**
     * @param producer the producing donor's output (renamed as in the hybrid)
     * @param consumer the consuming donor's input (as the donor names it; it is replaced by the junction)
     * @param where    names the junction in messages ({@code "between donor 1 and donor 2"})
     */
    static Built add(GraphBuilder graph, VertexNames names, TensorSpec producer, SpliceBridge bridge, TensorSpec consumer, String where) {
        return new Junction(graph, names, where).build(producer, bridge, consumer);
    }

    private Built build(TensorSpec producer, SpliceBridge bridge, TensorSpec consumer) {
        Shape shape = producer.kerasShape();
        if (shape == null) throw new EngineException(where + ": the shape of '" + producer.name() + "' is unknown, so it cannot be joined");
        int rank = shape.rank();

        // Shapes already equal and held alike: nothing to add.
        if (bridge instanceof SpliceBridge.Direct && producer.layout() == consumer.layout()) {
            checkFits(shape, consumer, "'" + producer.name() + "' gives");
            return new Built(producer.name(), null, filled(shape, consumer.kerasShape()));
        }

        String current = producer.name();
        InputPreProcessor toKeras = producer.layout().toKerasPreprocessor(rank);
        if (toKeras != null) current = addStep(bridge.name() + "_channels_last", toKeras, current);

        String dense = null;
        Shape after;
        if (bridge instanceof SpliceBridge.Reshape r) {
            after = Shape.batchOf(r.targetShape());
            current = reshape(r, shape, after, current);
        } else if (bridge instanceof SpliceBridge.Dense d) {
            after = shape.withLastDim((long) d.units());
            current = dense(d, shape, current);
            dense = d.name();
        } else {
            after = shape;
        }
        checkFits(after, consumer, bridge instanceof SpliceBridge.Direct ? "'" + producer.name() + "' gives" : "bridge '" + bridge.name() + "' gives");

        InputPreProcessor fromKeras = consumer.layout().fromKerasPreprocessor(after.rank());
        if (fromKeras != null) current = addStep(bridge.name() + "_channels_first", fromKeras, current);
        return new Built(current, dense, filled(after, consumer.kerasShape()));
    }

    private String reshape(SpliceBridge.Reshape r, Shape from, Shape to, String input) {
        if (!from.isSampleShapeKnown()) {
            throw new EngineException(where + ": bridge '" + r.name() + "' cannot reshape " + from + ", whose size is not known");
        }
        if (from.elementsPerSample() != to.elementsPerSample()) {
            throw new EngineException(where + ": bridge '" + r.name() + "' cannot reshape " + from + " (" + from.elementsPerSample()
                    + " values per sample) to " + to + " (" + to.elementsPerSample() + ")");
        }
        // Row-major on the Keras-layout sample: exactly Keras's Reshape.
        ReshapePreprocessor step = new ReshapePreprocessor(sampleDims(from), sampleDims(to), false, kerasFormat(to.rank()));
        return addStep(r.name(), step, input);
    }

    private String dense(SpliceBridge.Dense d, Shape from, String input) {
        long[] k = d.kernel().shape();
        long[] b = d.bias().shape();
        if (k.length != 2 || b.length != 1 || b[0] != k[1]) {
            throw new EngineException(where + ": bridge '" + d.name() + "' needs a kernel (in, units) and a bias (units), got "
                    + d.kernel() + " and " + d.bias());
        }
        if (from.rank() < 2) throw new EngineException(where + ": bridge '" + d.name() + "' needs a batch axis and a feature axis, got " + from);
        Long in = from.lastDim();
        if (in == null || in != k[0]) {
            throw new EngineException(where + ": bridge '" + d.name() + "' has a kernel for " + k[0] + " features, but " + from
                    + " has " + (in == null ? "an unknown number" : in));
        }
        DenseLayer layer = new DenseLayer.Builder().nIn(k[0]).nOut(k[1]).activation(BridgeActivations.of(d.activation(), d.name())).build();
        if (from.rank() == 2) {
            names.claim(d.name(), "bridge '" + d.name() + "'");
            graph.addLayer(d.name(), layer, input);
            return d.name();
        }
        // Keras's Dense on (batch, ..., features) acts on the last axis of every position: the same
        // (in, units) weights applied step by step, which is what TimeDistributed does to a sequence.
        Layer perStep = new TimeDistributed(layer, RNNFormat.NWC);
        if (from.rank() == 3) {
            names.claim(d.name(), "bridge '" + d.name() + "'");
            graph.addLayer(d.name(), perStep, input);
            return d.name();
        }
        // Higher ranks: positions flattened into one step axis, and restored after.
        if (!from.isSampleShapeKnown()) {
            throw new EngineException(where + ": bridge '" + d.name() + "' cannot apply Dense to " + from + ", whose size is not known");
        }
        long[] dims = sampleDims(from);
        long positions = from.elementsPerSample() / k[0];
        names.claim(d.name(), "bridge '" + d.name() + "'");
        graph.addLayer(d.name(), perStep, new ReshapePreprocessor(dims, new long[] {positions, k[0]}, false, RNNFormat.NWC), input);
        long[] restored = dims.clone();
        restored[restored.length - 1] = k[1];
        return addStep(d.name() + "_positions", new ReshapePreprocessor(new long[] {positions, k[1]}, restored, false, kerasFormat(restored.length + 1)),
                d.name());
    }

    private void checkFits(Shape given, TensorSpec consumer, String what) {
        Shape wanted = consumer.kerasShape();
        if (wanted == null) return;
        boolean fits = wanted.rank() == given.rank();
        for (int d = 1; fits && d < given.rank(); d++) {
            Long g = given.dim(d);
            Long w = wanted.dim(d);
            fits = g == null || w == null || g.equals(w);
        }
        if (!fits) throw new EngineException(where + ": " + what + " " + given + ", but '" + consumer.name() + "' expects " + wanted);
    }

    /** {@code given} with its unknown dimensions taken from {@code wanted} (checked to fit already). */
    private static Shape filled(Shape given, Shape wanted) {
        if (wanted == null || wanted.rank() != given.rank()) return given;
        List<Long> dims = new ArrayList<>();
        for (int d = 0; d < given.rank(); d++) dims.add(d == 0 ? null : given.dim(d) != null ? given.dim(d) : wanted.dim(d));
        return Shape.of(dims);
    }

    private String addStep(String name, InputPreProcessor step, String input) {
        names.claim(name, "the junction " + where);
        graph.addVertex(name, new PreprocessorVertex(step), input);
        return name;
    }

    /** The layout tag DL4J's shape inference reads for a Keras-layout tensor of this rank. */
    private static DataFormat kerasFormat(int rank) {
        if (rank == 3) return RNNFormat.NWC;
        if (rank == 4) return CNN2DFormat.NHWC;
        return null;
    }

    private static long[] sampleDims(Shape s) {
        List<Long> dims = new ArrayList<>(s.sampleDims());
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) out[i] = dims.get(i);
        return out;
    }
}
