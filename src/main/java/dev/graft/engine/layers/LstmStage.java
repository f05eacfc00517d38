package dev.graft.engine.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link LSTM} (tanh, sigmoid gates, steps-last NWC as the Keras import makes Keras's LSTM), returning every step's
 * output or, inside {@link LastTimeStep}, the last one, trained on the heap by {@link JavaLstmPass}: the pass the engine's
 * layer trains with ({@link ContiguousLstmHelper}), reading and writing Keras's {@code (steps, features)} layout. Each
 * sequence starts from zero states, as the engine's training pass does without a stored state.
 *
 * <p>DL4J's parameters are {@code W [in][4·units]}, {@code RW [units][4·units]} and {@code b [4·units]}, the gates in its
 * order (block input, forget, output, input gate); the stage keeps {@code W} above {@code RW} as one parameter, the
 * matrix a step's input beside the output before it multiplies (their optimizer is one and works value by value).
 */
public final class LstmStage implements HeapStage {
    private final int steps;
    private final int in;
    private final int units;
    private final boolean lastStep;
    private final INDArray engineKernel;
    private final INDArray engineRecurrent;
    private final INDArray engineBias;
    /** {@code [in + units][4·units]}: the kernel's rows above the recurrent kernel's. */
    private final float[] weights;
    private final float[] bias;
    private final HeapParameter weightParameter;
    private final HeapParameter biasParameter;
    private final List<HeapParameter> parameters;
    /** The last batch's pass, reused while the batch's size stays. */
    private JavaLstmPass pass;
    private float[] output;
    /** The gradient at every step's output (a last-step layer's: zero but at the last step). */
    private float[] stepGradients;
    private float[] inputGradient;

    private LstmStage(int steps, int in, int units, boolean lastStep, INDArray kernel, INDArray recurrent, INDArray bias, boolean learns, LSTM conf) {
        this.steps = steps;
        this.in = in;
        this.units = units;
        this.lastStep = lastStep;
        this.engineKernel = kernel;
        this.engineRecurrent = recurrent;
        this.engineBias = bias;
        int g4 = 4 * units;
        this.weights = new float[(in + units) * g4];
        System.arraycopy(HeapFloats.read(kernel), 0, weights, 0, in * g4);
        System.arraycopy(HeapFloats.read(recurrent), 0, weights, in * g4, units * g4);
        this.bias = HeapFloats.read(bias);
        this.weightParameter = learns ? new HeapParameter(weights, conf.getUpdaterByParam("W")) : null;
        this.biasParameter = learns ? new HeapParameter(this.bias, conf.getUpdaterByParam("b")) : null;
        this.parameters = learns ? List.of(weightParameter, biasParameter) : List.of();
    }

    /** The stage for an LSTM (or the last step of one) computed here, or null. */
    public static HeapStage of(HeapStageSource source) {
        boolean lastStep = source.layer() instanceof LastTimeStep;
        org.deeplearning4j.nn.conf.layers.Layer layer = lastStep ? ((LastTimeStep) source.layer()).getUnderlying() : source.layer();
        org.deeplearning4j.nn.api.Layer runtime = lastStep && source.runtime() instanceof LastTimeStepLayer w ? w.getUnderlying() : source.runtime();
        if (!(layer instanceof LSTM conf) || conf.getClass() != LSTM.class || conf.getRnnDataFormat() != RNNFormat.NWC) return null;
        if (runtime == null || runtime.getClass() != org.deeplearning4j.nn.layers.recurrent.LSTM.class) return null;
        if (!HeapStageChecks.plainVertex(source.vertex()) || !HeapStageChecks.plain(conf)) return null;
        if (lastStep && !HeapStageChecks.keepsEverything(((LastTimeStep) source.layer()).getIDropout())) return null;
        if (conf.getActivationFn().getClass() != ActivationTanH.class || conf.getGateActivationFn().getClass() != ActivationSigmoid.class) return null;
        int[] shape = source.inputShape();
        Map<String, INDArray> params = runtime.paramTable(false);
        INDArray w = HeapStageChecks.floatParameter(params, "W", 2), rw = HeapStageChecks.floatParameter(params, "RW", 2);
        INDArray b = params.get("b");
        if (shape == null || shape.length != 2 || w == null || rw == null || b == null || params.size() != 3) return null;
        int units = Math.toIntExact(rw.size(0));
        if (w.size(0) != shape[1] || w.size(1) != 4L * units || rw.size(1) != 4L * units || b.length() != 4L * units || b.dataType() != w.dataType()) {
            return null;
        }
        return new LstmStage(shape[0], shape[1], units, lastStep, w, rw, b, source.learns(), conf);
    }

    @Override
    public int[] outputShape() {
        return lastStep ? new int[] {units} : new int[] {steps, units};
    }

    @Override
    public float[] forward(float[] input, int rows) {
        if (pass == null || pass.batch != rows) {
            pass = JavaLstmPass.keras(rows, in, units, steps, weights);
            output = new float[lastStep ? rows * units : rows * steps * units];
            stepGradients = lastStep ? new float[rows * steps * units] : null;
            inputGradient = new float[rows * steps * in];
        }
        pass.run(input, bias);
        if (lastStep) {
            System.arraycopy(pass.h[steps - 1], 0, output, 0, output.length);
        } else {
            for (int t = 0; t < steps; t++) {
                float[] h = pass.h[t];
                for (int b = 0; b < rows; b++) System.arraycopy(h, b * units, output, (b * steps + t) * units, units);
            }
        }
        return output;
    }

    @Override
    public float[] backward(float[] outputGradient, int rows, boolean inputGradient) {
        if (weightParameter == null && !inputGradient) return null;
        float[] epsilon = outputGradient;
        if (lastStep) {
            epsilon = stepGradients;
            for (int b = 0; b < rows; b++) System.arraycopy(outputGradient, b * units, epsilon, (b * steps + steps - 1) * units, units);
        }
        pass.backward(epsilon, weightParameter == null ? null : weightParameter.gradient(), biasParameter == null ? null : biasParameter.gradient(),
                inputGradient ? this.inputGradient : null);
        return inputGradient ? this.inputGradient : null;
    }

    @Override
    public List<HeapParameter> parameters() {
        return parameters;
    }

    @Override
    public void copyToEngine() {
        if (weightParameter == null) return;
        HeapStageChecks.copyInto(engineKernel, weights, 0);
        HeapStageChecks.copyInto(engineRecurrent, weights, in * 4 * units);
        HeapStageChecks.copyInto(engineBias, bias, 0);
    }
}
