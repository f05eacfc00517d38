package dev.graft.engine.layers;

/**
 * DL4J's LSTM ({@code c = f·c' + i·tanh(z_a)}, {@code h = o·tanh(c)}, sigmoid gates, no peepholes) computed on heap arrays,
 * forward and backward through time. At the batch sizes training uses (32 sequences of 32 units) every ND4J operation
 * costs more in dispatch than in arithmetic, and an LSTM step takes a dozen of them forward and twice that backward; here
 * a step is one matrix product ({@link SmallGemm}: the step's input and the output before it, side by side, times the
 * kernel above the recurrent kernel), the gates' tanh and sigmoids over runs of values ({@link BulkFloatMath}, vectorised,
 * within 2 ulps) and two loops, and backward two products and one loop.
 *
 * <p>Layouts are row-major, with DL4J's gate order within a row of {@code 4·units}: block input, forget, output, input gate.
 * Weights: {@code kernel [in][4·units]}, {@code recurrent [units][4·units]}, {@code bias [4·units]}. Every kept array is
 * one step's, in the order the steps are processed. Sequences are DL4J's {@code [batch][features][steps]} for the engine's
 * layer ({@link ContiguousLstmHelper}), Keras's {@code [batch][steps][features]} for a network trained on the heap
 * ({@link LstmStage}): the same arithmetic, only where each value is read and written differs.
 */
final class JavaLstmPass {
    final int batch;
    final int in;
    final int units;
    final int steps;
    final boolean forwards;
    /**
     * The layout of the sequences read and written (inputs, outputs' gradients, inputs' gradients): Keras's
     * {@code [batch][steps][features]} when true, else DL4J's {@code [batch][features][steps]}.
     */
    final boolean stepsOuter;
    /** The kernel's rows above the recurrent kernel's: {@code [in + units][4·units]}, so that one product per step takes both. */
    final float[] weights;
    /** Per step in the order processed: the step's input beside the output before it, {@code [batch][in + units]}. */
    final float[][] inputs;
    /** Per step processed: the activated gates {@code [batch][4·units]}; cell state, its tanh and the output {@code [batch][units]}. */
    final float[][] gates;
    final float[][] cell;
    final float[][] activatedCell;
    final float[][] h;
    /** The state before the first step, {@code [batch][units]}. */
    final float[] h0;
    final float[] c0;

    private JavaLstmPass(int batch, int in, int units, int steps, boolean forwards, boolean stepsOuter, float[] weights, float[] h0, float[] c0) {
        this.batch = batch;
        this.in = in;
        this.units = units;
        this.steps = steps;
        this.forwards = forwards;
        this.stepsOuter = stepsOuter;
        this.weights = weights;
        this.h0 = h0;
        this.c0 = c0;
        inputs = new float[steps][batch * (in + units)];
        gates = new float[steps][batch * 4 * units];
        cell = new float[steps][batch * units];
        activatedCell = new float[steps][batch * units];
        h = new float[steps][batch * units];
    }

    /** The time step the {@code i}-th step processed is. */
    int stepOf(int i) {
        return forwards ? i : steps - 1 - i;
    }

    /**
     * The forward pass over all steps.
     *
     * @param input {@code [batch][in][steps]} row-major, as DL4J hands an LSTM its input
     */
    static JavaLstmPass forward(float[] input, int batch, int in, int steps, float[] kernel, float[] recurrent, float[] bias, float[] h0,
                                float[] c0, boolean forwards) {
        int units = h0.length / batch;
        int g4 = 4 * units;
        int width = in + units;
        float[] weights = new float[width * g4];
        System.arraycopy(kernel, 0, weights, 0, in * g4);
        System.arraycopy(recurrent, 0, weights, in * g4, units * g4);
        JavaLstmPass p = new JavaLstmPass(batch, in, units, steps, forwards, false, weights, h0, c0);
        p.run(input, bias);
        return p;
    }

    /**
     * A forward pass from zero states over {@code batch} sequences in Keras's layout ({@code [batch][steps][in]}), to run
     * again and again ({@link #run}) with its arrays reused: a layer trained on the heap.
     *
     * @param weights the kernel's rows above the recurrent kernel's, {@code [in + units][4·units]}: the caller's array, read at each run
     */
    static JavaLstmPass keras(int batch, int in, int units, int steps, float[] weights) {
        return new JavaLstmPass(batch, in, units, steps, true, true, weights, new float[batch * units], new float[batch * units]);
    }

    /** The value of feature {@code k} of {@code features} at step {@code t} of sequence {@code b}, in this pass's layout. */
    private int at(int b, int k, int t, int features) {
        return stepsOuter ? (b * steps + t) * features + k : (b * features + k) * steps + t;
    }

    /** The forward pass over all steps of {@code input} (in this pass's layout), keeping every step's values. */
    void run(float[] input, float[] bias) {
        int g4 = 4 * units;
        int width = in + units;
        BulkFloatMath math = new BulkFloatMath();
        for (int i = 0; i < steps; i++) {
            int t = stepOf(i);
            float[] hPrev = i == 0 ? h0 : h[i - 1];
            float[] cPrev = i == 0 ? c0 : cell[i - 1];
            float[] a = inputs[i];
            float[] z = gates[i];
            for (int b = 0; b < batch; b++) {
                int row = b * width;
                if (stepsOuter) {
                    System.arraycopy(input, (b * steps + t) * in, a, row, in);
                } else {
                    for (int k = 0; k < in; k++) a[row + k] = input[(b * in + k) * steps + t];
                }
                System.arraycopy(hPrev, b * units, a, row + in, units);
                System.arraycopy(bias, 0, z, b * g4, g4);
            }
            SmallGemm.gemm(false, false, batch, g4, width, a, weights, 1f, z);
            float[] c = cell[i];
            float[] tcs = activatedCell[i];
            float[] out = h[i];
            // The gates in place, in runs BulkFloatMath vectorises: per row, tanh of the block input, sigmoid of the
            // forget, output and input gates (adjacent); one scalar function call per value took a third of the training
            for (int b = 0; b < batch; b++) {
                math.tanh(z, b * g4, units);
                math.sigmoid(z, b * g4 + units, 3 * units);
            }
            for (int b = 0; b < batch; b++) {
                int row = b * g4;
                int at = b * units;
                for (int u = 0; u < units; u++) c[at + u] = z[row + units + u] * cPrev[at + u] + z[row + 3 * units + u] * z[row + u];
            }
            System.arraycopy(c, 0, tcs, 0, c.length);
            math.tanh(tcs, 0, tcs.length);
            for (int b = 0; b < batch; b++) {
                int row = b * g4;
                int at = b * units;
                for (int u = 0; u < units; u++) out[at + u] = z[row + 2 * units + u] * tcs[at + u];
            }
        }
    }

    /** The outputs as DL4J's LSTM returns them, {@code [batch][units][steps]} row-major. */
    float[] outputs() {
        float[] out = new float[batch * units * steps];
        for (int i = 0; i < steps; i++) {
            int t = stepOf(i);
            float[] hi = h[i];
            for (int b = 0; b < batch; b++) {
                for (int u = 0; u < units; u++) out[(b * units + u) * steps + t] = hi[b * units + u];
            }
        }
        return out;
    }

    /** The output and cell state after the last step processed, {@code [batch][units]}. */
    float[] lastOutput() {
        return h[steps - 1].clone();
    }

    float[] lastCell() {
        return cell[steps - 1].clone();
    }

    /** Gradients of one backward pass: null weight gradients when they were not asked for. */
    record Gradients(float[] kernel, float[] recurrent, float[] bias, float[] input) {
    }

    /**
     * Backpropagation through time over this pass: per step (last first) the gate deltas, then one product for the errors
     * passed to the step's input and to the output before it, one for the weights' gradient.
     *
     * @param epsilon          the loss gradient at the outputs, {@code [batch][units][steps]} row-major
     * @param weightGradients  whether to compute the weights' gradients (not for a frozen layer, whose gradients are dropped)
     * @return the gradients; the input's is {@code [batch][in][steps]} row-major
     */
    Gradients backward(float[] epsilon, boolean weightGradients) {
        int g4 = 4 * units;
        int width = in + units;
        float[] dWeights = weightGradients ? new float[width * g4] : null;
        float[] dBias = weightGradients ? new float[g4] : null;
        float[] dInput = new float[batch * in * steps];
        backward(epsilon, dWeights, dBias, dInput);
        if (!weightGradients) return new Gradients(null, null, null, dInput);
        return new Gradients(java.util.Arrays.copyOfRange(dWeights, 0, in * g4), java.util.Arrays.copyOfRange(dWeights, in * g4, width * g4),
                dBias, dInput);
    }

    /**
     * As {@link #backward(float[], boolean)}, into the caller's arrays, in this pass's layout: {@code dWeights}
     * ({@code [in + units][4·units]}, the kernel's rows above the recurrent kernel's) and {@code dBias} are overwritten with
     * the gradients summed over the batch and the steps (both null: not computed), {@code dInput} with the gradient at the
     * input (null: not written).
     */
    void backward(float[] epsilon, float[] dWeights, float[] dBias, float[] dInput) {
        int g4 = 4 * units;
        int width = in + units;
        float[] dz = new float[batch * g4];
        float[] da = new float[batch * width];
        float[] dh = new float[batch * units];
        float[] dc = new float[batch * units];
        boolean weightGradients = dWeights != null;
        if (weightGradients) {
            java.util.Arrays.fill(dWeights, 0f);
            java.util.Arrays.fill(dBias, 0f);
        }
        for (int i = steps - 1; i >= 0; i--) {
            int t = stepOf(i);
            float[] cPrev = i == 0 ? c0 : cell[i - 1];
            float[] z = gates[i];
            float[] tcs = activatedCell[i];
            for (int b = 0; b < batch; b++) {
                int row = b * g4;
                int bu = b * units;
                for (int u = 0; u < units; u++) {
                    float dhv = dh[bu + u] + epsilon[at(b, u, t, units)];
                    float a = z[row + u];
                    float f = z[row + units + u];
                    float o = z[row + 2 * units + u];
                    float ig = z[row + 3 * units + u];
                    float tc = tcs[bu + u];
                    // h = o·tanh(c): the output gate's and the cell's share
                    float dcv = dc[bu + u] + dhv * o * (1 - tc * tc);
                    dz[row + 2 * units + u] = dhv * tc * (o * (1 - o));
                    // c = f·c' + i·a
                    dz[row + u] = dcv * ig * (1 - a * a);
                    dz[row + 3 * units + u] = dcv * a * (ig * (1 - ig));
                    dz[row + units + u] = dcv * cPrev[bu + u] * (f * (1 - f));
                    dc[bu + u] = dcv * f;
                }
            }
            // [dx | dh'] = dz · [kernel; recurrent]ᵀ
            SmallGemm.gemm(false, true, batch, width, g4, dz, weights, 0f, da);
            for (int b = 0; b < batch; b++) {
                int row = b * width;
                if (dInput != null && stepsOuter) {
                    System.arraycopy(da, row, dInput, (b * steps + t) * in, in);
                } else if (dInput != null) {
                    for (int k = 0; k < in; k++) dInput[(b * in + k) * steps + t] = da[row + k];
                }
                System.arraycopy(da, row + in, dh, b * units, units);
            }
            if (weightGradients) {
                SmallGemm.gemm(true, false, width, g4, batch, inputs[i], dz, 1f, dWeights);
                for (int b = 0; b < batch; b++) {
                    int row = b * g4;
                    for (int g = 0; g < g4; g++) dBias[g] += dz[row + g];
                }
            }
        }
    }
}
