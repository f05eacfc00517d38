package dev.graft.engine.layers;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * One of the three outputs of a Keras LSTM with {@code return_state=True}, taken from the packed array
 * of a {@link KerasLstmStateVertex} ({@code [batch, S + 2, units]}, NWC): {@link Part#OUTPUT} (Keras's tensor 0:
 * {@code [batch, steps, units]} with {@code returnSequences}, else {@code [batch, units]}), {@link Part#H}
 * (tensor 1, {@code [batch, units]}) or {@link Part#C} (tensor 2). No parameters; the gradient goes back
 * into the same slice of the packed array.
 */
public class LstmStatePartVertex extends GraphVertex {

    /** Which of Keras's outputs, in Keras's order. */
    public enum Part {
        OUTPUT, H, C;

        /** The part for Keras's output tensor index (0, 1, 2). */
        public static Part ofTensor(int tensor) {
            if (tensor < 0 || tensor > 2) {
                throw new IllegalArgumentException("an LSTM with return_state has outputs 0, 1 and 2, not " + tensor);
            }
            return values()[tensor];
        }
    }

    private final Part part;
    private final boolean returnSequences;

    public LstmStatePartVertex(@JsonProperty("part") Part part, @JsonProperty("returnSequences") boolean returnSequences) {
        this.part = Objects.requireNonNull(part, "part");
        this.returnSequences = returnSequences;
    }

    public Part getPart() {
        return part;
    }

    public boolean isReturnSequences() {
        return returnSequences;
    }

    /** Whether this part is a sequence ({@code [batch, steps, units]}) rather than one vector per example. */
    boolean isSequence() {
        return part == Part.OUTPUT && returnSequences;
    }

    @Override
    public LstmStatePartVertex clone() {
        return new LstmStatePartVertex(part, returnSequences);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LstmStatePartVertex v && v.part == part && v.returnSequences == returnSequences;
    }

    @Override
    public int hashCode() {
        return Objects.hash(part, returnSequences);
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
        return new LstmStatePartRuntimeVertex(graph, name, idx, this, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in == null || in.length != 1 || in[0] == null || in[0].getType() != InputType.Type.RNN) {
            throw new InvalidInputTypeException("an LSTM state part takes the LSTM's packed outputs, got "
                    + java.util.Arrays.toString(in));
        }
        InputType.InputTypeRecurrent packed = (InputType.InputTypeRecurrent) in[0];
        if (!isSequence()) {
            return InputType.feedForward(packed.getSize());
        }
        long packedSteps = packed.getTimeSeriesLength();
        return InputType.recurrent(packed.getSize(), packedSteps > 0 ? packedSteps - 2 : -1, RNNFormat.NWC);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, LstmStatePartVertex.class, inputTypes[0], getOutputType(-1, inputTypes))
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    @Override
    public String toString() {
        return "LstmStatePartVertex(" + part + (returnSequences ? ", sequences" : "") + ")";
    }
}
