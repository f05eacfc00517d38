package dev.graft.engine.layers;

import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * One of the two outputs of a Keras attention layer called with {@code return_attention_scores=True}, taken from the
 * packed array of a {@link KerasAttentionVertex} or {@link KerasMultiHeadAttentionVertex}
 * ({@code [batch, Tq, outputFeatures + heads·Tk]}, NWC): {@link Part#OUTPUT} (Keras's tensor 0,
 * {@code [batch, Tq, outputFeatures]}) or {@link Part#SCORES} (tensor 1: {@code [batch, Tq, Tk]} for Attention and
 * AdditiveAttention, {@code heads} 0; {@code [batch, heads, Tq, Tk]} for MultiHeadAttention, held as Keras holds it, a
 * channels-last image of {@code heads} rows, {@code Tq} columns and {@code Tk} channels). No parameters; the gradient
 * goes back into the same slice of the packed array. The LSTM's {@link LstmStatePartVertex} does the same for its states.
 */
public class AttentionPartVertex extends GraphVertex {

    /** Which of Keras's outputs, in Keras's order. */
    public enum Part { OUTPUT, SCORES }

    private final Part part;
    private final long outputFeatures;
    private final int heads;

    public AttentionPartVertex(@JsonProperty("part") Part part, @JsonProperty("outputFeatures") long outputFeatures,
                               @JsonProperty("heads") int heads) {
        this.part = Objects.requireNonNull(part, "part");
        this.outputFeatures = outputFeatures;
        this.heads = heads;
    }

    public Part getPart() {
        return part;
    }

    /** The attended output's features per query step: where the scores start in the packed array. */
    public long getOutputFeatures() {
        return outputFeatures;
    }

    /** MultiHeadAttention's heads (scores of rank 4), or 0 for Attention's scores (rank 3). */
    public int getHeads() {
        return heads;
    }

    @Override
    public AttentionPartVertex clone() {
        return new AttentionPartVertex(part, outputFeatures, heads);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionPartVertex v && v.part == part && v.outputFeatures == outputFeatures && v.heads == heads;
    }

    @Override
    public int hashCode() {
        return Objects.hash(part, outputFeatures, heads);
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new AttentionPartRuntimeVertex(graph, name, idx, this, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in == null || in.length != 1 || !(in[0] instanceof InputType.InputTypeRecurrent packed) || packed.getFormat() != RNNFormat.NWC) {
            throw new InvalidInputTypeException("an attention output part takes the layer's packed outputs (NWC), got "
                    + java.util.Arrays.toString(in));
        }
        long steps = packed.getTimeSeriesLength();
        long scores = packed.getSize() - outputFeatures;
        if (scores <= 0 || (heads > 0 && scores % heads != 0)) {
            throw new InvalidInputTypeException("an attention output part of " + outputFeatures + " features and " + heads
                    + " heads cannot take apart " + packed.getSize() + " packed features");
        }
        if (part == Part.OUTPUT) return InputType.recurrent(outputFeatures, steps, RNNFormat.NWC);
        if (heads == 0) return InputType.recurrent(scores, steps, RNNFormat.NWC);
        if (steps <= 0) throw new InvalidInputTypeException("MultiHeadAttention scores need a fixed number of query steps");
        return InputType.convolutional(heads, steps, scores / heads, CNN2DFormat.NHWC);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, AttentionPartVertex.class, inputTypes[0], getOutputType(-1, inputTypes))
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    @Override
    public String toString() {
        return "AttentionPartVertex(" + part + ", " + outputFeatures + " output features" + (heads > 0 ? ", " + heads + " heads" : "") + ")";
    }
}
