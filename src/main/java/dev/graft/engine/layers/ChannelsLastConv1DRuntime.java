package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computing side of {@link ChannelsLastConv1DLayer}: takes {@code (batch, steps, channels)},
 * holds it as {@code (batch, channels, steps)} and computes DL4J's own NCW Conv1D on it, forward and
 * backward ({@link ChannelsFirstConv1DRuntime}), swapping the axes of its output and of the input
 * gradient it returns back to Keras's order.
 *
 * <p>In training, the convolution is computed on the NWC data as it is instead, as the 2-d convolution of
 * {@code (batch, steps, 1, channels)} by the {@code (out, in, k, 1)} kernel DL4J keeps
 * ({@link Im2colConv2DTrainingStep}: one product forward, two backward, buffers kept across batches): on the
 * time-series hybrid DL4J's Conv1D and its four axis swaps took a fifteenth of a training step. What that step does
 * not cover (causal padding, masks, input dropout, weight noise) stays DL4J's.
 */
public class ChannelsLastConv1DRuntime extends ChannelsFirstConv1DRuntime implements SkipsInputGradient {
    /** The training step with buffers kept across batches (null until one ran). */
    private Im2colConv2DTrainingStep trainingStep;
    /** The {@code (batch, channels, steps, 1)} view of the input the kept training step was computed for. */
    private INDArray trainingKey;
    /** Nothing reads the gradient at this layer's input (a network input, while training): not computed, zeros returned. */
    private boolean inputGradientUnused;

    public ChannelsLastConv1DRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether the last training forward pass was computed on the heap and its backward pass will be (for tests). */
    public boolean keepsHeapTrainingStep() {
        return trainingKey != null && trainingStep.keeps(trainingKey);
    }

    @Override
    public void setInputGradientUnused(boolean unused) {
        inputGradientUnused = unused;
    }

    /** Kept as NCW, so that everything DL4J's NCW layer does with its input (dropout, backprop) sees that layout. */
    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        trainingKey = null;
        if (trainingStep != null) trainingStep.forget();
        super.setInput(NwcAsNcw.swap(input), workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (training && heapStepApplies()) {
            Convolution1DLayer conf = layerConf();
            if (trainingStep == null) trainingStep = new Im2colConv2DTrainingStep();
            INDArray key = ChannelsLastSubsampling1DRuntime.stepsAsRows(input).permute(0, 3, 1, 2);
            INDArray a = trainingStep.forward(key, asOutInSteps(getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr)),
                    conf.hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr) : null, conf.getActivationFn(),
                    alongSteps(conf.getKernelSize(), 1), alongSteps(conf.getStride(), 1), alongSteps(conf.getPadding(), 0),
                    alongSteps(conf.getDilation(), 1), convolutionMode, workspaceMgr);
            if (a != null) {
                trainingKey = key;
                return a.reshape('c', a.size(0), a.size(1), a.size(3));
            }
        }
        return NwcAsNcw.swapInto(workspaceMgr, ArrayType.ACTIVATIONS, super.activate(training, workspaceMgr));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (trainingKey != null && trainingStep.keeps(trainingKey) && epsilon != null && epsilon.rank() == 3 && heapStepApplies()) {
            Convolution1DLayer conf = layerConf();
            INDArray e = epsilon.reshape('c', epsilon.size(0), epsilon.size(1), 1, epsilon.size(2));
            INDArray biasGradient = conf.hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
            INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
            trainingKey = null;
            INDArray dx = trainingStep.backward(e, asOutInSteps(weightGradient), biasGradient, !inputGradientUnused, workspaceMgr);
            dx = dx == null
                    ? workspaceMgr.create(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, new long[] {input.size(0), input.size(2), input.size(1)}, 'c')
                    : dx.reshape('c', dx.size(0), dx.size(1), dx.size(3));
            Gradient gradient = new DefaultGradient();
            if (biasGradient != null) gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGradient);
            gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradient, 'c');
            weightNoiseParams.clear();
            return new Pair<>(gradient, dx);
        }
        trainingKey = null;
        Pair<Gradient, INDArray> p = super.backpropGradient(NwcAsNcw.swap(epsilon), workspaceMgr);
        INDArray dx = p.getSecond();
        return new Pair<>(p.getFirst(), NwcAsNcw.swapInto(workspaceMgr, ArrayType.ACTIVATION_GRAD, dx));
    }

    /**
     * Whether {@link Im2colConv2DTrainingStep} computes this layer as DL4J would: a rank-3 float input without a mask, a
     * 4-d {@code (out, in, k, 1)} kernel, no input dropout that drops anything, no weight noise (their masks are DL4J's).
     */
    private boolean heapStepApplies() {
        Convolution1DLayer conf = layerConf();
        INDArray w = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        return input != null && input.rank() == 3 && maskArray == null && w != null && w.rank() == 4 && w.size(3) == 1
                && conf.getWeightNoise() == null && (conf.getIDropout() == null
                || conf.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.Dropout d && d.getPSchedule() == null && d.getP() == 1.0);
    }

    /**
     * DL4J's {@code (out, in, k, 1)}-shaped kernel (or its gradient) as a view in that order. Its values are laid out as
     * Keras's {@code (k, in, out)} kernel, which DL4J's Conv1D reorders before its NCW op
     * ({@code Convolution1DUtils.reshapeWeightArrayOrGradientForFormat}); the array's shape does not say so.
     */
    private static INDArray asOutInSteps(INDArray kernel) {
        long out = kernel.size(0), in = kernel.size(1), k = kernel.size(2);
        return kernel.reshape('c', k, 1, in, out).permute(3, 2, 0, 1);
    }

    /** DL4J's 1-d size (its first element) as the 2-d one of {@code (steps, 1)}: {@code (size, other)}. */
    private static int[] alongSteps(int[] size, int other) {
        return new int[] {size == null || size.length == 0 ? other : size[0], other};
    }
}
