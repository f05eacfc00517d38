package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code GlobalAveragePooling1D} under a mask: the mean over the unmasked steps only,
 * {@code sum(x · keep) / sum(keep)} per feature (a row with every step masked gives 0/0, NaN, as Keras's does). Inputs are
 * the sequence {@code [batch, steps, f]} and the output of the layer that made the mask ({@link StepKeep}); output
 * {@code [batch, f]}. No parameters; the error reaches each unmasked step divided by the count, none the mask source.
 */
public class MaskedAverage1DVertex extends GraphVertex {
    private double maskValue;
    private boolean sequenceNcw;
    private boolean sourceNcw;

    public MaskedAverage1DVertex() {
    }

    public MaskedAverage1DVertex(double maskValue) {
        this.maskValue = maskValue;
    }

    @Override
    public MaskedAverage1DVertex clone() {
        MaskedAverage1DVertex c = new MaskedAverage1DVertex(maskValue);
        c.sequenceNcw = sequenceNcw;
        c.sourceNcw = sourceNcw;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskedAverage1DVertex v && v.maskValue == maskValue && v.sequenceNcw == sequenceNcw && v.sourceNcw == sourceNcw;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(maskValue, sequenceNcw, sourceNcw, 1);
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
        return new MaskedAverage1DRuntimeVertex(graph, name, idx, networkDatatype, this);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in == null || in.length != 2) throw new InvalidInputTypeException("the masked average takes a sequence and the mask's source");
        InputType.InputTypeRecurrent x = StepKeep.sequence(in[0], "the masked average", "first input");
        InputType.InputTypeRecurrent source = StepKeep.sequence(in[1], "the masked average", "mask source");
        sequenceNcw = StepKeep.isNcw(x);
        sourceNcw = StepKeep.isNcw(source);
        return InputType.feedForward(x.getSize());
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType out = getOutputType(-1, inputTypes);
        return new LayerMemoryReport.Builder(null, MaskedAverage1DVertex.class, inputTypes[0], out)
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    public double getMaskValue() { return maskValue; }
    public void setMaskValue(double maskValue) { this.maskValue = maskValue; }
    public boolean isSequenceNcw() { return sequenceNcw; }
    public void setSequenceNcw(boolean sequenceNcw) { this.sequenceNcw = sequenceNcw; }
    public boolean isSourceNcw() { return sourceNcw; }
    public void setSourceNcw(boolean sourceNcw) { this.sourceNcw = sourceNcw; }

    @Override
    public String toString() {
        return "MaskedAverage1DVertex(maskValue=" + maskValue + ")";
    }
}
