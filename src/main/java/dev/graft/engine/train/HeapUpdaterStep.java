package dev.graft.engine.train;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The engine's optimizer step ({@link KerasUpdaterStep#applyUpdater}) computed on the heap in one pass: the block's
 * gradient and the optimizer's state arrays read into heap buffers, {@link KerasUpdaterStep.Floats}' arithmetic (the
 * same operations in the same order, each rounded to float as ND4J rounds them), the step and the new state written
 * back where the engine keeps them. Why: the engine's Adam is ten element-wise operations over the whole block, each a
 * pass through memory and a native call with its shape descriptors; on the MNIST CNN (225,000 parameters in one block)
 * they took 4% of the training step.
 *
 * <p>A class of its own so that any training path with one flat parameter block can use it. Adam, AdamW, SGD and
 * RMSprop on float32 arrays laid out one value after the other; {@link #update} returns false for anything else, and the
 * engine's operations compute it.
 */
final class HeapUpdaterStep {
    private final KerasUpdater config;
    private float[] gradient = new float[0];
    private float[][] state = new float[0][];

    HeapUpdaterStep(KerasUpdater config) {
        this.config = config;
    }

    /** Set (to anything) to compute every optimizer step with the engine's operations: for comparing the two. */
    static final String OFF = "graft.train.engineUpdaterOnly";

    /**
     * Turns {@code gradient}, in place, into the amount the engine subtracts from the block's parameters, updating
     * {@code stateArrays} (the optimizer's arrays, each the block's length) as the engine's step does; false (nothing
     * done) when the step is not one computed here.
     */
    boolean update(INDArray gradientArray, INDArray[] stateArrays, int iteration) {
        if (System.getProperty(OFF) != null || !KerasUpdaterStep.Floats.computes(config) || !flat(gradientArray)) return false;
        long length = gradientArray.length();
        if (length > Integer.MAX_VALUE || stateArrays.length != config.stateArrays()) return false;
        for (INDArray s : stateArrays) if (s == null || s.length() != length || !flat(s)) return false;
        int n = (int) length;
        if (gradient.length != n) gradient = new float[n];
        if (state.length != stateArrays.length || (state.length > 0 && state[0].length != n)) state = new float[stateArrays.length][n];
        read(gradientArray, gradient);
        for (int i = 0; i < state.length; i++) read(stateArrays[i], state[i]);
        KerasUpdaterStep.Floats.update(config, state, gradient, iteration);
        write(gradient, gradientArray);
        for (int i = 0; i < state.length; i++) write(state[i], stateArrays[i]);
        return true;
    }

    /**
     * Float32 values one after the other in the array's buffer from its offset (a row of a bigger flat array, typically: its
     * buffer is a view whose {@code length()} is the view's, and whose NIO buffer spans the whole underlying buffer, indexed
     * from its start, as the offset is).
     */
    private static boolean flat(INDArray x) {
        if (x.dataType() != DataType.FLOAT || x.data().dataType() != DataType.FLOAT) return false;
        if (x.offset() < 0 || x.offset() + x.length() > x.data().asNioFloat().capacity()) return false;
        long[] shape = x.shape(), stride = x.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; expected *= shape[d], d--) {
            if (shape[d] != 1 && stride[d] != expected) return false;
        }
        return true;
    }

    private static void read(INDArray from, float[] into) {
        FloatBuffer b = from.data().asNioFloat();
        b.position((int) from.offset());
        b.get(into, 0, into.length);
    }

    private static void write(float[] values, INDArray into) {
        FloatBuffer b = into.data().asNioFloat();
        b.position((int) into.offset());
        b.put(values, 0, values.length);
    }
}
