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
 * An LSTM's inference pass for {@link ContiguousLstmHelper} when its layer is small: the products stay ND4J's (one
 * for every step's input at once, one per step for the recurrent part) and the gates are applied in plain Java loops
 * on the heap. With few units the ND4J path's dozen elementwise operations per step cost more in calls than in
 * arithmetic (JFR on an {@code LSTM(8)} over 10 steps: two thirds of the layer's time in {@code ActivationSigmoid}
 * and the calls around each step's products), and the first batches of a run pay them again until the JIT has
 * compiled ND4J's Java side.
 *
 * <p>The arithmetic is DL4J's: per step {@code z = x·W + h'·R + b} in DL4J's gate order (block input, forget, output,
 * input gate), {@code c = f·c' + i·tanh(z_a)}, {@code h = o·tanh(c)}; the gates' sigmoid and tanh are computed in double
 * and rounded to float (DL4J computes them in float: outputs agree to float rounding). Only tanh with sigmoid gates,
 * float arrays and no mask or peepholes come here ({@link #suits}); everything else stays on the helper's ND4J path.
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
        // Every step's input product at once: [batch·steps, in] (row-major [batch, steps, in]) · W [in, 4·units].
        // Scratch arrays in the workspace DL4J has open (reused from batch to batch; a fresh native block each time costs
        // its page faults: JFR put a tenth of the predict there).
        INDArray rows = input.permute(0, 2, 1).reshape('c', (long) batch * steps, in);
        INDArray inputProducts = Nd4j.createUninitialized(DataType.FLOAT, (long) batch * steps, gates);
        Nd4j.gemm(rows, inputWeights, inputProducts, false, false, 1.0, 0.0);
        float[] xw = HeapFloats.read(inputProducts);                         // [batch, steps, 4·units]
        float[] b = HeapFloats.read(biases.reshape(gates));
        INDArray recurrent = recurrentWeights.size(1) == gates ? recurrentWeights
                : recurrentWeights.get(NDArrayIndex.all(), NDArrayIndex.interval(0, gates)).dup('c');
        float[] h = HeapFloats.read(prevOutput);                             // [batch, units]
        float[] c = HeapFloats.read(prevCell);
        float[] y = new float[batch * steps * units];                              // [batch, steps, units]
        float[] hr = new float[batch * gates];                                     // h'·R, [batch, 4·units]
        INDArray nativeH = Nd4j.createUninitialized(DataType.FLOAT, batch, units);
        INDArray nativeHr = Nd4j.createUninitialized(DataType.FLOAT, batch, gates);
        FloatPointer hValues = new FloatPointer(nativeH.data().addressPointer());
        FloatPointer hrValues = new FloatPointer(nativeHr.data().addressPointer());
        for (int i = 0; i < steps; i++) {
            int t = forwards ? i : steps - 1 - i;
            hValues.position(0).put(h, 0, h.length);
            Nd4j.gemm(nativeH, recurrent, nativeHr, false, false, 1.0, 0.0);
            hrValues.position(0).get(hr, 0, hr.length);
            for (int s = 0; s < batch; s++) cell(xw, (s * steps + t) * gates, hr, s * gates, b, c, h, s * units, units, y, (s * steps + t) * units);
        }
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[] {batch, steps, units}, 'c');
        new FloatPointer(output.data().addressPointer()).put(y, 0, y.length);
        FwdPassReturn result = new FwdPassReturn();
        result.fwdPassOutput = output.permute(0, 2, 1);
        result.lastAct = Nd4j.createFromArray(h).reshape('c', batch, units);
        result.lastMemCell = Nd4j.createFromArray(c).reshape('c', batch, units);
        return result;
    }

    /**
     * One sample's step, a method of its own so that the JIT compiles it early in the first batch: the gates from the
     * input product at {@code xo}, the recurrent product at {@code ro} and the bias, then the new cell state and output
     * in {@code c} and {@code h} at {@code state}, the output also in {@code y} at {@code yo}.
     */
    private static void cell(float[] xw, int xo, float[] hr, int ro, float[] b, float[] c, float[] h, int state, int units, float[] y, int yo) {
        for (int j = 0; j < units; j++) {
            float blockInput = tanh(xw[xo + j] + hr[ro + j] + b[j]);
            float forget = sigmoid(xw[xo + units + j] + hr[ro + units + j] + b[units + j]);
            float output = sigmoid(xw[xo + 2 * units + j] + hr[ro + 2 * units + j] + b[2 * units + j]);
            float inputGate = sigmoid(xw[xo + 3 * units + j] + hr[ro + 3 * units + j] + b[3 * units + j]);
            float cell = c[state + j] * forget + blockInput * inputGate;
            c[state + j] = cell;
            float out = output * tanh(cell);
            h[state + j] = out;
            y[yo + j] = out;
        }
    }

    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    private static float tanh(float x) {
        return (float) (2.0 / (1.0 + Math.exp(-2.0 * x)) - 1.0);
    }
}
