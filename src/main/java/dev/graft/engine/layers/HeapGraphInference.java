package dev.graft.engine.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.convolution.Convolution1DLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A whole graph's inference pass on the heap, for graphs of one sequence input whose every vertex graft computes in
 * batch columns (a transformer encoder block: MultiHeadAttention, residual adds, LayerNormalization, Dense on every
 * step, Dropout). Each layer of such a graph already computes on the heap, but went back to ND4J between layers: per
 * chunk of rows, a copy into and out of native memory per layer, DL4J's graph bookkeeping, the residual adds as ND4J
 * ops, and the batch-column transposes in and out of each layer (JFR: together more than the arithmetic). Here the
 * rows are turned into batch columns once, every vertex computes on columns, and the output is turned back once.
 *
 * <p>{@link #of} answers null unless every vertex is one this class computes, with the settings it computes (each
 * layer's own class decides, as for its single-layer direct path); a step that meets an input it does not cover answers
 * null, and the caller then leaves the whole input to the engine.
 */
public final class HeapGraphInference {
    /** One vertex on batch columns: its output for its inputs, or null when this input is left to the engine. */
    interface Step {
        BatchColumns apply(BatchColumns[] inputs);
    }

    /**
     * Samples of {@code steps × features} as batch columns: {@code columns[t · features + f][b]} is feature {@code f} of
     * step {@code t} of sample {@code b}, so that every loop runs over the batch, which the JIT vectorises.
     */
    record BatchColumns(float[][] columns, int steps, int features, int batch) {
        /** Row-major {@code [batch, steps, features]} values as batch columns. */
        static BatchColumns of(float[] rows, int from, int batch, int steps, int features) {
            int width = steps * features;
            float[][] c = new float[width][batch];
            for (int b = 0; b < batch; b++) {
                int at = from + b * width;
                for (int k = 0; k < width; k++) c[k][b] = rows[at + k];
            }
            return new BatchColumns(c, steps, features, batch);
        }

        /** Into row-major {@code [batch, steps, features]} values at {@code from} of {@code rows}. */
        void copyTo(float[] rows, int from) {
            int width = columns.length;
            for (int k = 0; k < width; k++) {
                float[] c = columns[k];
                for (int b = 0; b < batch; b++) rows[from + b * width + k] = c[b];
            }
        }

        /** The {@code features} columns of step {@code t} (the arrays themselves, not copies). */
        float[][] step(int t) {
            return Arrays.copyOfRange(columns, t * features, (t + 1) * features);
        }

        boolean sameShape(BatchColumns o) {
            return steps == o.steps && features == o.features && batch == o.batch;
        }
    }

    private final int[] order;
    private final Step[] steps;
    private final int[][] inputsOf;
    private final int input;
    private final int output;

    private HeapGraphInference(int[] order, Step[] steps, int[][] inputsOf, int input, int output) {
        this.order = order;
        this.steps = steps;
        this.inputsOf = inputsOf;
        this.input = input;
        this.output = output;
    }

    /** The graph's inference pass on the heap, or null when some vertex (or the graph's data type, inputs or outputs) is not covered. */
    public static HeapGraphInference of(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getDataType() != DataType.FLOAT || conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) return null;
        GraphVertex[] vertices = graph.getVertices();
        int[] topological = graph.topologicalSortOrder();
        if (vertices == null || topological == null) return null;
        Step[] steps = new Step[vertices.length];
        int[][] inputsOf = new int[vertices.length][];
        int input = -1;
        int[] order = new int[topological.length];
        int n = 0;
        for (int i : topological) {
            GraphVertex v = vertices[i];
            if (v.isInputVertex()) {
                input = i;
                continue;
            }
            VertexIndices[] from = v.getInputVertices();
            if (from == null || from.length == 0) return null;
            inputsOf[i] = Arrays.stream(from).mapToInt(VertexIndices::getVertexIndex).toArray();
            steps[i] = stepOf(v, conf.getVertices().get(v.getVertexName()));
            if (steps[i] == null) return null;
            order[n++] = i;
        }
        GraphVertex out = graph.getVertex(conf.getNetworkOutputs().get(0));
        if (input < 0 || out == null || out.isInputVertex()) return null;
        return new HeapGraphInference(Arrays.copyOf(order, n), steps, inputsOf, input, out.getVertexIndex());
    }

    /** The step computing vertex {@code v} (configured as {@code conf}), or null when this class leaves it to the engine. */
    private static Step stepOf(GraphVertex v, org.deeplearning4j.nn.conf.graph.GraphVertex conf) {
        if (conf instanceof KerasMultiHeadAttentionVertex attention) return attention.columnStep(v.paramTable(false));
        if (conf instanceof ElementWiseVertex e && v.getClass() == org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex.class) {
            return elementWise(e.getOp());
        }
        if (!(v instanceof LayerVertex lv) || !(conf instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lc) || lc.getPreProcessor() != null) return null;
        Layer layer = lv.getLayer();
        if (layer == null) return null;
        org.deeplearning4j.nn.conf.layers.Layer layerConf = layer.conf().getLayer();
        if (layerConf instanceof DropoutLayer) return in -> in[0];   // inference: Dropout passes its input on
        if (layerConf instanceof KerasNormalizationLayer norm && layer instanceof ShapeKeyedSameDiffRuntime) return norm.columnStep(layer.paramTable());
        if (layer.getClass() == Convolution1DLayer.class) return PointwiseConv1DInference.columnStep((Convolution1DLayer) layer);
        return null;
    }

    /** DL4J's element-wise vertex on inputs of one shape (it broadcasts nothing either). */
    private static Step elementWise(ElementWiseVertex.Op op) {
        return in -> {
            if (op == ElementWiseVertex.Op.Subtract && in.length != 2) return null;
            for (BatchColumns x : in) if (!x.sameShape(in[0])) return null;
            BatchColumns a = in[0];
            float[][] out = new float[a.columns().length][];
            for (int k = 0; k < out.length; k++) {
                float[] o = a.columns()[k].clone();
                for (int i = 1; i < in.length; i++) {
                    float[] c = in[i].columns()[k];
                    switch (op) {
                        case Add, Average -> ColumnKernels.add(o, c, o.length);
                        case Subtract -> ColumnKernels.subtract(o, c, o.length);
                        case Product -> ColumnKernels.multiply(o, c, o.length);
                        case Max -> ColumnKernels.max(o, c, o.length);
                    }
                }
                if (op == ElementWiseVertex.Op.Average) ColumnKernels.divide(o, in.length, o.length);
                out[k] = o;
            }
            return new BatchColumns(out, a.steps(), a.features(), a.batch());
        };
    }

    /**
     * The graph's output for {@code batch} samples of {@code [steps, features]} read from row-major {@code rows} at
     * {@code from}, as {@code [batch, steps', features']} batch columns; null when a step leaves this input to the engine.
     */
    public Output predict(float[] rows, int from, int batch, int steps, int features) {
        BatchColumns[] values = new BatchColumns[this.steps.length];
        values[input] = BatchColumns.of(rows, from, batch, steps, features);
        for (int i : order) {
            BatchColumns[] in = new BatchColumns[inputsOf[i].length];
            for (int k = 0; k < in.length; k++) in[k] = values[inputsOf[i][k]];
            values[i] = this.steps[i].apply(in);
            if (values[i] == null) return null;
        }
        return new Output(values[output]);
    }

    /** A chunk's output: its per-sample shape, and its values copied into a row-major array. */
    public static final class Output {
        private final BatchColumns columns;

        private Output(BatchColumns columns) {
            this.columns = columns;
        }

        public int steps() {
            return columns.steps();
        }

        public int features() {
            return columns.features();
        }

        /** Writes the {@code [batch, steps, features]} values row-major into {@code rows} from {@code from}. */
        public void copyTo(float[] rows, int from) {
            columns.copyTo(rows, from);
        }
    }
}
