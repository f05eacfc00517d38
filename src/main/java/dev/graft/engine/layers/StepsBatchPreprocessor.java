package dev.graft.engine.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * How the engine computes Keras's {@code TimeDistributed} around a layer that is not per-step by itself (a convolution,
 * pooling, Flatten, ...): the steps of {@code (batch, steps, ...)} become rows, {@code (batch·steps, ...)}, for the
 * wrapped layer ({@link Mode#INTO_BATCH}), and its rows become steps again after it ({@link Mode#INTO_STEPS}); and a step of several axes becomes a vector ({@link Mode#FLATTEN_STEPS}). Arrays are in Keras's
 * layout throughout (channels last), so a reshape in C order is the whole job; the step count is the model's, fixed.
 *
 * <p>Input types: a sample {@code (steps, a)} is a sequence (NWC), {@code (steps, a, b)} an NHWC image and
 * {@code (steps, a, b, c)} an NDHWC volume, as DL4J's Keras import types Keras's channels-last arrays.
 */
public class StepsBatchPreprocessor implements InputPreProcessor {
    /** What it does to {@code (batch, steps, ...)}. */
    public enum Mode {
        /** steps into rows */
        INTO_BATCH,
        /** rows into steps */
        INTO_STEPS,
        /** Keras's {@code TimeDistributed(Flatten)}: {@code (batch, steps, a, b, ...)} to {@code (batch, steps, a·b·...)} */
        FLATTEN_STEPS
    }

    private final long steps;
    private final Mode mode;

    public StepsBatchPreprocessor(@JsonProperty("steps") long steps, @JsonProperty("mode") Mode mode) {
        this.steps = steps;
        this.mode = mode;
    }

    public long getSteps() {
        return steps;
    }

    public Mode getMode() {
        return mode;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (mode == Mode.FLATTEN_STEPS) {
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c').reshape('c', input.size(0), steps, input.length() / input.size(0) / steps);
        }
        return reshape(input, mode == Mode.INTO_BATCH, ArrayType.ACTIVATIONS, workspaceMgr);
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (mode == Mode.FLATTEN_STEPS) {
            // the input's shape: (batch, steps) and the sample shape this preprocessor was typed with
            long[] target = new long[inputSample.length + 1];
            target[0] = output.size(0);
            System.arraycopy(inputSample, 0, target, 1, inputSample.length);
            return workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, output, 'c').reshape('c', target);
        }
        return reshape(output, mode != Mode.INTO_BATCH, ArrayType.ACTIVATION_GRAD, workspaceMgr);
    }

    /** A sample's shape at the input, (steps, ...), known once typed (FLATTEN_STEPS's backward pass needs it). */
    private long[] inputSample = new long[0];

    public long[] getInputSample() {
        return inputSample.clone();
    }

    public void setInputSample(long[] inputSample) {
        this.inputSample = inputSample == null ? new long[0] : inputSample.clone();
    }

    private INDArray reshape(INDArray a, boolean merge, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
        long[] s = a.shape();
        long[] target;
        if (merge) {
            if (s.length < 3 || s[1] != steps) {
                throw new IllegalStateException("TimeDistributed: expected (batch, " + steps + ", ...), got " + Arrays.toString(s));
            }
            target = new long[s.length - 1];
            target[0] = s[0] * s[1];
            System.arraycopy(s, 2, target, 1, s.length - 2);
        } else {
            if (s[0] % steps != 0) throw new IllegalStateException("TimeDistributed: " + s[0] + " rows are not whole samples of " + steps + " steps");
            target = new long[s.length + 1];
            target[0] = s[0] / steps;
            target[1] = steps;
            System.arraycopy(s, 1, target, 2, s.length - 1);
        }
        return workspaceMgr.dup(type, a, 'c').reshape('c', target);
    }

    @Override
    public InputType getOutputType(InputType in) {
        long[] sample = sample(in);
        long[] out;
        if (mode == Mode.FLATTEN_STEPS) {
            inputSample = sample.clone();
            long n = 1;
            for (int i = 1; i < sample.length; i++) n *= sample[i];
            out = new long[] {sample[0], n};
        } else if (mode == Mode.INTO_BATCH) {
            out = Arrays.copyOfRange(sample, 1, sample.length);
        } else {
            out = new long[sample.length + 1];
            out[0] = steps;
            System.arraycopy(sample, 0, out, 1, sample.length);
        }
        return type(out);
    }

    /** A sample's shape in Keras's (channels-last) order. */
    static long[] sample(InputType in) {
        if (in instanceof InputType.InputTypeFeedForward f) return new long[] {f.getSize()};
        if (in instanceof InputType.InputTypeRecurrent r) {
            if (r.getFormat() == RNNFormat.NCW) throw new IllegalStateException("TimeDistributed: a channels-first sequence is not computed");
            return new long[] {r.getTimeSeriesLength(), r.getSize()};
        }
        if (in instanceof InputType.InputTypeConvolutional c) {
            if (c.getFormat() != CNN2DFormat.NHWC) throw new IllegalStateException("TimeDistributed: a channels-first image is not computed");
            return new long[] {c.getHeight(), c.getWidth(), c.getChannels()};
        }
        if (in instanceof InputType.InputTypeConvolutional3D c) {
            if (c.getDataFormat() != Convolution3D.DataFormat.NDHWC) throw new IllegalStateException("TimeDistributed: a channels-first volume is not computed");
            return new long[] {c.getDepth(), c.getHeight(), c.getWidth(), c.getChannels()};
        }
        throw new IllegalStateException("TimeDistributed: inputs of type " + in + " are not computed");
    }

    static InputType type(long[] sample) {
        return switch (sample.length) {
            case 1 -> InputType.feedForward(sample[0]);
            case 2 -> InputType.recurrent(sample[1], sample[0], RNNFormat.NWC);
            case 3 -> InputType.convolutional(sample[0], sample[1], sample[2], CNN2DFormat.NHWC);
            case 4 -> InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, sample[0], sample[1], sample[2], sample[3]);
            default -> throw new IllegalStateException("TimeDistributed: samples of rank " + sample.length + " are not computed");
        };
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, null);
    }

    @Override
    public StepsBatchPreprocessor clone() {
        StepsBatchPreprocessor c = new StepsBatchPreprocessor(steps, mode);
        c.inputSample = inputSample.clone();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepsBatchPreprocessor p && p.steps == steps && p.mode == mode && Arrays.equals(p.inputSample, inputSample);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(steps) * 31 + mode.hashCode();
    }
}
