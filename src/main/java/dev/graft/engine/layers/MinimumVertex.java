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
 * Keras's {@code Minimum} merge: the element-wise minimum of two or more tensors of one shape, which DL4J's
 * element-wise vertex lacks (it has the maximum). No parameters; the gradient goes to the input holding the minimum
 * (the first one on a tie, as DL4J's maximum does).
 */
public class MinimumVertex extends GraphVertex {

    @Override
    public MinimumVertex clone() {
        return new MinimumVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinimumVertex;
    }

    @Override
    public int hashCode() {
        return MinimumVertex.class.hashCode();
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
        return Integer.MAX_VALUE;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
            boolean initializeParams, DataType networkDatatype) {
        return new MinimumRuntimeVertex(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in == null || in.length < 2) throw new InvalidInputTypeException("Minimum takes two or more inputs");
        for (InputType t : in) {
            if (!t.equals(in[0])) throw new InvalidInputTypeException("Minimum takes inputs of one shape, got " + java.util.Arrays.toString(in));
        }
        return in[0];
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, MinimumVertex.class, inputTypes[0], inputTypes[0])
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    @Override
    public String toString() {
        return "MinimumVertex()";
    }
}
