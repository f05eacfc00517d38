package dev.graft.engine.layers;

import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.layers.recurrent.FwdPassReturn;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An LSTM's inference pass for {@link ContiguousLstmHelper} when its layer is small, on batch columns on the heap: each
 * {@code float[]} holds one value (an input feature, a gate, a unit's state) of every sample of the batch, so that every
 * loop, the products with the kernels included, runs over the batch, which C2 vectorises, and the gates' sigmoid and tanh
 * are {@link BulkFloatMath}'s. With few units the ND4J path's dozen elementwise operations per step cost more in calls
 * than in arithmetic (JFR on an {@code LSTM(8)} over 10 steps: two thirds of the layer's time in {@code ActivationSigmoid}
 * and the calls around each step's products), and gate loops row by row spent the rest in scalar {@code Math.exp} (JFR:
 * a third of an {@code LSTM(8)} with attention's predict time).
 *
 * <p>The arithmetic is DL4J's: per step {@code z = x·W + h'·R + b} in DL4J's gate order (block input, forget, output,
 * input gate), {@code c = f·c' + i·tanh(z_a)}, {@code h = o·tanh(c)}; outputs agree with DL4J's to float rounding (the
 * products are summed in another order, the activations are within two units in the last place). Only tanh with sigmoid
 * gates, float arrays and no mask or peepholes come here ({@link #suits}); everything else stays on the helper's ND4J path.
 */
final class SmallLstmInference {
    /**
     * Up to this many units the Java gate loops beat the ND4J path (measured, interleaved against it: {@code LSTM(8)},
     * twice as fast over the whole model; {@code LSTM(32)}, slower: its gate activations cost more in Java's
     * {@code Math.exp} than in ND4J's vectorised loops once a step's arrays are large enough to hide the call costs).
     */
    static final long MAX_UNITS = 16;

    private SmallLstmInference() {
    }

    static boolean suits(INDArray input, long units) {
        return input.dataType() == DataType.FLOAT && input.rank() == 3 && units <= MAX_UNITS
                && input.size(0) * input.size(2) * 4 * Math.max(units, input.size(1)) <= Integer.MAX_VALUE;
    }

    /**
     * The forward pass over {@code input} {@code [batch, inputs, steps]}: the output {@code [batch, units, steps]} (a view
     * of a row-major {@code [batch, steps, units]} array, so that DL4J's NWC permutation of it is row-major again) with
     * the last step's output and cell state.
     */
    static FwdPassReturn forward(INDArray input, INDArray inputWeights, INDArray recurrentWeights, INDArray biases, INDArray prevOutput,
                                 INDArray prevCell, boolean forwards, LayerWorkspaceMgr workspaceMgr) {
        int batch = (int) input.size(0);
        int in = (int) input.size(1);
        int steps = (int) input.size(2);
        int units = (int) recurrentWeights.size(0);
        int gates = 4 * units;
        float[][] x = stepColumns(input, batch, in, steps);                     // [steps · in][batch]
        float[] kernel = HeapFloats.read(inputWeights);                         // [in, 4·units]
        float[] bias = HeapFloats.read(biases.reshape(gates));
        INDArray recurrent = recurrentWeights.size(1) == gates ? recurrentWeights
                : recurrentWeights.get(NDArrayIndex.all(), NDArrayIndex.interval(0, gates));
        float[] r = HeapFloats.read(recurrent);                                 // [units, 4·units]
        float[][] h = RowProducts.columns(HeapFloats.read(prevOutput), batch, units);
        float[][] c = RowProducts.columns(HeapFloats.read(prevCell), batch, units);
        float[][] z = new float[gates][batch];
        float[] activatedCell = new float[batch];
        BulkFloatMath math = new BulkFloatMath();
        float[] y = new float[batch * steps * units];                          // [batch, steps, units]
        for (int i = 0; i < steps; i++) {
            int t = forwards ? i : steps - 1 - i;
            for (int g = 0; g < gates; g++) {
                float[] zg = z[g];
                java.util.Arrays.fill(zg, bias[g]);
                for (int k = 0; k < in; k++) ColumnKernels.addScaled(zg, x[t * in + k], kernel[k * gates + g], batch);
                for (int j = 0; j < units; j++) ColumnKernels.addScaled(zg, h[j], r[j * gates + g], batch);
            }
            for (int g = 0; g < units; g++) math.tanh(z[g], 0, batch);
            for (int g = units; g < gates; g++) math.sigmoid(z[g], 0, batch);
            for (int j = 0; j < units; j++) {
                cell(z[j], z[units + j], z[3 * units + j], c[j], batch);
                System.arraycopy(c[j], 0, activatedCell, 0, batch);
                math.tanh(activatedCell, 0, batch);
                output(z[2 * units + j], activatedCell, h[j], batch);
                float[] hj = h[j];
                for (int b = 0, at = t * units + j; b < batch; b++, at += steps * units) y[at] = hj[b];
            }
        }
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[] {batch, steps, units}, 'c');
        new FloatPointer(output.data().addressPointer()).put(y, 0, y.length);
        FwdPassReturn result = new FwdPassReturn();
        result.fwdPassOutput = output.permute(0, 2, 1);
        result.lastAct = Nd4j.createFromArray(RowProducts.rows(h)).reshape('c', batch, units);
        result.lastMemCell = Nd4j.createFromArray(RowProducts.rows(c)).reshape('c', batch, units);
        return result;
    }

    /**
     * {@code input [batch, in, steps]} as batch columns, {@code [t · in + k][b]}: read as the {@code [batch, steps, in]}
     * array DL4J permuted it from (one bulk copy when that is row-major, as a Keras model's input is).
     */
    private static float[][] stepColumns(INDArray input, int batch, int in, int steps) {
        float[] rows = HeapFloats.read(input.permute(0, 2, 1));                 // [batch, steps, in]
        return RowProducts.columns(rows, batch, steps * in);
    }

    /** The cell state of one unit over the batch, {@code c = f·c' + i·a}, from the activated gates. */
    private static void cell(float[] blockInput, float[] forget, float[] inputGate, float[] c, int batch) {
        for (int b = 0; b < batch; b++) c[b] = c[b] * forget[b] + blockInput[b] * inputGate[b];
    }

    /** {@code h = o·tanh(c)} of one unit over the batch. */
    private static void output(float[] outputGate, float[] activatedCell, float[] h, int batch) {
        for (int b = 0; b < batch; b++) h[b] = outputGate[b] * activatedCell[b];
    }
}
