package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computing side of {@link ChannelsLastConv2DLayer}: takes {@code (batch, height, width,
 * channels)}, holds it as {@code (batch, channels, height, width)} and computes DL4J's own NCHW
 * convolution on it, forward and backward, permuting its output and the input gradient it returns
 * back to Keras's order. DL4J's runtime takes the layout from its configuration, which states the
 * NHWC the layer is fed in; so this layer reads an NCHW copy of that configuration instead. The
 * kernel's layout, {@code (out, in, height, width)}, is the same in both.
 */
public class ChannelsLastConv2DRuntime extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer implements SkipsInputGradient {
    // Not initialised in their declarations: DL4J's constructors already call layerConf(), before
    // this class's initialisers would run (and reset them).
    private ConvolutionLayer declared;
    private ConvolutionLayer computing;
    /**
     * The pre-activation output of the last training forward pass, outside any workspace, and the input it was computed
     * for: the backward pass of the same step needs it and need not compute it again (a third of a convolution's
     * backward arithmetic). A new input drops it.
     */
    private INDArray trainingPreOutput;
    private INDArray trainingInput;
    /** The training step with buffers kept across batches, where it applies; else the two fields above. */
    private Im2colConv2DTrainingStep trainingStep;
    /** Nothing reads the gradient at this layer's input (a network input, while training): not computed, zeros returned. */
    private boolean inputGradientUnused;

    /**
     * Whether anything reads the gradient at this layer's input; when not (the layer of a CNN that takes the network's
     * input, while training), its backward pass returns zeros instead of computing it: a product and a scatter per batch.
     */
    @Override
    public void setInputGradientUnused(boolean unused) {
        inputGradientUnused = unused;
    }

    public ChannelsLastConv2DRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public ConvolutionLayer layerConf() {
        ConvolutionLayer current = super.layerConf();
        if (current != declared) {
            ConvolutionLayer nchw = current.clone();
            nchw.setCnn2dDataFormat(CNN2DFormat.NCHW);
            computing = nchw;
            declared = current;
        }
        return computing;
    }

    /** Kept as NCHW, so that everything DL4J's NCHW layer does with its input (dropout, backprop) sees that layout. */
    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        trainingPreOutput = null;
        trainingInput = null;
        if (trainingStep != null) trainingStep.forget();
        super.setInput(NhwcAsNchw.toNchw(input), workspaceMgr);
    }

    /**
     * The backward pass on the NHWC data and gradient as they are ({@link Im2colConv2D#backward}), filling DL4J's
     * gradient views as DL4J's own backward pass does; null (nothing done) where it does not apply: another type or
     * mode, a layer with input dropout that drops anything, or weight noise (their masks are DL4J's, in DL4J's layout).
     */
    private Pair<Gradient, INDArray> channelsLastBackprop(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        ConvolutionLayer conf = layerConf();
        if (input == null || input.rank() != 4 || epsilon == null || epsilon.rank() != 4 || !keepsEverything(conf)) {
            return null;
        }
        INDArray biasGradient = conf.hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        boolean trainingStepDone = trainingStep != null && trainingStep.keeps(input);
        INDArray inputGradient = trainingStepDone
                ? trainingStep.backward(epsilon, weightGradient, biasGradient, !inputGradientUnused, workspaceMgr)
                : Im2colConv2D.backward(input.permute(0, 2, 3, 1), getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr),
                conf.hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr) : null, epsilon, conf.getActivationFn(),
                conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(), convolutionMode, weightGradient, biasGradient,
                trainingInput == input ? trainingPreOutput : null, workspaceMgr);
        trainingPreOutput = null;
        trainingInput = null;
        if (inputGradient == null && inputGradientUnused && trainingStepDone) {
            inputGradient = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, new long[] {input.size(0), input.size(2), input.size(3), input.size(1)}, 'c');
        }
        if (inputGradient == null) return null;
        Gradient gradient = new DefaultGradient();
        if (biasGradient != null) gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGradient);
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradient, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, inputGradient);
    }

    /** No input dropout that drops anything (DL4J's Keras import sets a keep-everything one) and no weight noise: nothing DL4J must see. */
    private static boolean keepsEverything(ConvolutionLayer conf) {
        return conf.getWeightNoise() == null && (conf.getIDropout() == null
                || (conf.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.Dropout d && d.getPSchedule() == null && d.getP() == 1.0));
    }

    /**
     * The forward pass as one matrix product on the NHWC data this layer is fed ({@link Im2colConv2D}), as an NCHW
     * view; the backward pass (which needs DL4J's own gathered matrix) and anything Im2colConv2D does not cover
     * are DL4J's.
     */
    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (!forBackprop && input != null && input.rank() == 4) {
            ConvolutionLayer conf = layerConf();
            INDArray out = Im2colConv2D.forward(input.permute(0, 2, 3, 1), getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr),
                    conf.hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr) : null,
                    conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(), convolutionMode, workspaceMgr);
            if (out != null) return new Pair<>(out.permute(0, 3, 1, 2), null);
        }
        return super.preOutput(training, forBackprop, workspaceMgr);
    }

    /**
     * On the NHWC data as it is where {@link Im2colConv2D} computes the layer (the activation function then runs on a
     * row-major array: on DL4J's permuted view it took a quarter of a CNN's training time); DL4J's way otherwise.
     */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        ConvolutionLayer conf = layerConf();
        if (training && input != null && input.rank() == 4 && keepsEverything(conf)) {
            if (trainingStep == null) trainingStep = new Im2colConv2DTrainingStep();
            INDArray a = trainingStep.forward(input, getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr),
                    conf.hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr) : null, conf.getActivationFn(),
                    conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(), convolutionMode, workspaceMgr);
            if (a != null) return a;
        }
        if (input != null && input.rank() == 4 && keepsEverything(conf)) {
            INDArray z = Im2colConv2D.forward(input.permute(0, 2, 3, 1), getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr),
                    conf.hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr) : null,
                    conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(), convolutionMode, workspaceMgr);
            if (z != null) {
                if (training) keepForBackward(z);
                return conf.getActivationFn().getActivation(z, training);
            }
        }
        return NhwcAsNchw.toNhwcInto(workspaceMgr, ArrayType.ACTIVATIONS, super.activate(training, workspaceMgr));
    }

    /** A copy of the pre-activation output (the activation works in place) outside the workspaces, for the backward pass. */
    private void keepForBackward(INDArray z) {
        try (org.nd4j.linalg.api.memory.MemoryWorkspace none = org.nd4j.linalg.factory.Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            trainingPreOutput = z.dup('c');
        }
        trainingInput = input;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> fast = channelsLastBackprop(epsilon, workspaceMgr);
        if (fast != null) return fast;
        Pair<Gradient, INDArray> p = super.backpropGradient(NhwcAsNchw.toNchw(epsilon), workspaceMgr);
        return new Pair<>(p.getFirst(), NhwcAsNchw.toNhwcInto(workspaceMgr, ArrayType.ACTIVATION_GRAD, p.getSecond()));
    }
}
