package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hands a Keras mask that reached a recurrent layer through other layers ({@code Masking → Dense → GRU}) to the layer
 * as one more feature: inputs are the layer's sequence {@code [batch, steps, f]} and the output of the layer that made
 * the mask; the output is the sequence with the step's keep flag ({@link StepKeep}) appended, {@code [batch, steps, f + 1]}
 * in NWC order. graft's GRU and SimpleRNN configured with {@code keepFeature} read the last feature as the mask. No
 * parameters; the error passes to the sequence unchanged and none to the mask source (a mask has no gradient).
 *
 * <p>With {@code zeroes} set it computes Keras's {@code Masking} output instead: the sequence times its keep flag
 * ({@code inputs * any(inputs != mask_value)}, masked steps become 0), {@code [batch, steps, f]} in NWC order, for the
 * layers that read a Masking layer's values rather than its mask; the error reaches the kept steps only.
 *
 * <p>With {@code restoredRow} set it reads a {@code mask_zero} Embedding's output, whose row 0 DL4J's import zeroes (the
 * mask readers find index 0's steps by those zeros), and puts row 0's stored vector back at those steps, as Keras
 * returns it to the layers that read the values (the engine makes sure no other row is all zeros; inference only).
 */
public class StepKeepVertex extends GraphVertex {
    private double maskValue;
    private boolean sequenceNcw;
    private boolean sourceNcw;
    private boolean zeroes;
    private double[] restoredRow;

    public StepKeepVertex() {
    }

    public StepKeepVertex(double maskValue) {
        this.maskValue = maskValue;
    }

    @Override
    public StepKeepVertex clone() {
        StepKeepVertex c = new StepKeepVertex(maskValue);
        c.sequenceNcw = sequenceNcw;
        c.sourceNcw = sourceNcw;
        c.zeroes = zeroes;
        c.restoredRow = restoredRow == null ? null : restoredRow.clone();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepKeepVertex v && v.maskValue == maskValue && v.sequenceNcw == sequenceNcw && v.sourceNcw == sourceNcw && v.zeroes == zeroes && java.util.Arrays.equals(v.restoredRow, restoredRow);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(maskValue, sequenceNcw, sourceNcw, zeroes, java.util.Arrays.hashCode(restoredRow));
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
            boolean initializeParams, DataType networkDatatype) {
        return new StepKeepRuntimeVertex(graph, name, idx, networkDatatype, this);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in == null || in.length != 2) throw new InvalidInputTypeException("the mask feature vertex takes a sequence and the mask's source");
        InputType.InputTypeRecurrent x = StepKeep.sequence(in[0], "the mask feature vertex", "first input");
        InputType.InputTypeRecurrent source = StepKeep.sequence(in[1], "the mask feature vertex", "mask source");
        sequenceNcw = StepKeep.isNcw(x);
        sourceNcw = StepKeep.isNcw(source);
        return InputType.recurrent(x.getSize() + (zeroes || restoredRow != null ? 0 : 1), x.getTimeSeriesLength(), RNNFormat.NWC);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType out = getOutputType(-1, inputTypes);
        return new LayerMemoryReport.Builder(null, StepKeepVertex.class, inputTypes[0], out)
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    public double getMaskValue() { return maskValue; }
    public void setMaskValue(double maskValue) { this.maskValue = maskValue; }
    public boolean isSequenceNcw() { return sequenceNcw; }
    public void setSequenceNcw(boolean sequenceNcw) { this.sequenceNcw = sequenceNcw; }
    public boolean isSourceNcw() { return sourceNcw; }
    public boolean isZeroes() { return zeroes; }
    public void setZeroes(boolean zeroes) { this.zeroes = zeroes; }
    public double[] getRestoredRow() { return restoredRow; }
    public void setRestoredRow(double[] restoredRow) { this.restoredRow = restoredRow; }
    public void setSourceNcw(boolean sourceNcw) { this.sourceNcw = sourceNcw; }

    @Override
    public String toString() {
        return "StepKeepVertex(maskValue=" + maskValue + (zeroes ? ", zeroes" : "") + ")";
    }
}
