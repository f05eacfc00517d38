package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: a graph holding one LSTM state vertex (and its parts), fed and read as plain Java arrays. */
final class LstmStateNets {

    private LstmStateNets() {
    }

    /**
     * A double-precision graph: inputs {@code x} (and {@code h0}, {@code c0} with an initial state), the vertex
     * {@code lstm}, and outputs {@code out}, {@code h}, {@code c} (parts) with return_state, else {@code lstm}.
     */
    static ComputationGraph single(LstmSpec spec, int nIn, int steps, double[][] kernel, double[][] recurrent, double[] bias) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(1)
                .graphBuilder();
        List<String> inputs = new ArrayList<>(List.of("x"));
        List<InputType> types = new ArrayList<>(List.of(InputType.recurrent(nIn, steps, RNNFormat.NWC)));
        if (spec.initialState()) {
            inputs.addAll(List.of("h0", "c0"));
            types.addAll(List.of(InputType.feedForward(spec.units()), InputType.feedForward(spec.units())));
        }
        g.addInputs(inputs.toArray(new String[0])).setInputTypes(types.toArray(new InputType[0]));
        KerasLstmStateVertex v = new KerasLstmStateVertex(spec, nIn);
        Map<String, INDArray> values = new HashMap<>();
        values.put(KerasLstmStateVertex.KERNEL, Nd4j.create(kernel));
        values.put(KerasLstmStateVertex.RECURRENT_KERNEL, Nd4j.create(recurrent));
        if (bias != null) {
            values.put(KerasLstmStateVertex.BIAS, Nd4j.create(new double[][]{bias}));
        }
        v.setInitialValues(values);
        g.addVertex("lstm", v, inputs.toArray(new String[0]));
        if (spec.returnState()) {
            g.addVertex("out", new LstmStatePartVertex(LstmStatePartVertex.Part.OUTPUT, spec.returnSequences()), "lstm");
            g.addVertex("h", new LstmStatePartVertex(LstmStatePartVertex.Part.H, spec.returnSequences()), "lstm");
            g.addVertex("c", new LstmStatePartVertex(LstmStatePartVertex.Part.C, spec.returnSequences()), "lstm");
            g.setOutputs("out", "h", "c");
        } else {
            g.setOutputs("lstm");
        }
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    static LstmSpec spec(int units, boolean returnSequences, boolean returnState, boolean initialState, boolean goBackwards) {
        return new LstmSpec(units, true, GruActivation.TANH, GruActivation.SIGMOID, returnSequences, returnState,
                initialState, goBackwards, null, LstmMaskedOutput.PREVIOUS);
    }

    /** Largest |a − b| between an output [batch, steps, units] or [batch, units] and a reference [batch][steps or 1][units]. */
    static double maxAbsDiff(INDArray out, double[][][] ref, boolean sequences) {
        double max = 0;
        for (int b = 0; b < ref.length; b++) {
            for (int t = 0; t < ref[b].length; t++) {
                for (int j = 0; j < ref[b][t].length; j++) {
                    double v = sequences ? out.getDouble(b, t, j) : out.getDouble(b, j);
                    max = Math.max(max, Math.abs(v - ref[b][t][j]));
                }
            }
        }
        return max;
    }

    static double maxAbsDiff(INDArray out, double[][] ref) {
        double max = 0;
        for (int b = 0; b < ref.length; b++) {
            for (int j = 0; j < ref[b].length; j++) {
                max = Math.max(max, Math.abs(out.getDouble(b, j) - ref[b][j]));
            }
        }
        return max;
    }
}
