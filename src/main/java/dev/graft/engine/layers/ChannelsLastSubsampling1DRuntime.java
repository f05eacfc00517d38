package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.Subsampling1DLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computing side of {@link ChannelsLastSubsampling1DLayer}: takes {@code (batch, steps,
 * channels)}, holds it as {@code (batch, channels, steps)} and runs DL4J's own NCW 1-d pooling on it,
 * forward and backward, swapping the axes of its output and of the input gradient it returns back to
 * Keras's order. DL4J's runtime takes the layout from its configuration, which states the NWC the
 * layer is fed in; so this layer reads an NCHW copy of that configuration instead. Max pooling without
 * padding is computed on the NWC data as it is instead, as the 2-d pooling of {@code (batch, steps, 1,
 * channels)} ({@link ChannelsLastMaxPooling2D}; in training it keeps where each output came from): on the
 * time-series hybrid DL4J's pooling and its four axis swaps took a twentieth of a training step.
 */
public class ChannelsLastSubsampling1DRuntime extends Subsampling1DLayer {
    // Not initialised in their declarations: DL4J's constructors already call layerConf(), before
    // this class's initialisers would run (and reset them).
    private SubsamplingLayer declared;
    private SubsamplingLayer computing;
    /** Where the last training forward pass's outputs came from, for its backward pass (null until one ran). */
    private ChannelsLastMaxPooling2D.Sources sources;
    /** The input of the last training forward pass pooled on the heap (the key of its sources). */
    private INDArray pooledInput;

    public ChannelsLastSubsampling1DRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether the last training forward pass was pooled on the heap, its sources kept for the backward pass (for tests). */
    public boolean keepsHeapTrainingStep() {
        return sources != null && sources.keeps(pooledInput);
    }

    @Override
    public SubsamplingLayer layerConf() {
        SubsamplingLayer current = super.layerConf();
        if (current != declared) {
            SubsamplingLayer nchw = current.clone();
            nchw.setCnn2dDataFormat(CNN2DFormat.NCHW);
            computing = nchw;
            declared = current;
        }
        return computing;
    }

    /** Kept as NCW, so that everything DL4J's NCW layer does with its input sees that layout. */
    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        if (sources != null) sources.forget();
        super.setInput(NwcAsNcw.swap(input), workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        ChannelsLastMaxPooling2D own = own();
        if (own != null) {
            if (training && sources == null) sources = new ChannelsLastMaxPooling2D.Sources();
            INDArray rows = stepsAsRows(input);
            INDArray out = training ? own.forward(rows, workspaceMgr, sources, input) : own.forward(rows, workspaceMgr);
            if (out != null) {
                if (training) pooledInput = input;
                return out.reshape('c', out.size(0), out.size(1), out.size(3));
            }
        }
        return NwcAsNcw.swapInto(workspaceMgr, ArrayType.ACTIVATIONS, super.activate(training, workspaceMgr));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        ChannelsLastMaxPooling2D own = own();
        if (own != null && epsilon != null && epsilon.rank() == 3) {
            INDArray e = epsilon.reshape('c', epsilon.size(0), epsilon.size(1), 1, epsilon.size(2));
            INDArray dx = sources != null && sources.keeps(input) ? own.backward(sources, e, workspaceMgr) : null;
            if (dx == null) dx = own.backward(stepsAsRows(input), e, workspaceMgr);
            if (dx != null) return new Pair<>(new DefaultGradient(), dx.reshape('c', dx.size(0), dx.size(1), dx.size(3)));
        }
        Pair<Gradient, INDArray> p = super.backpropGradient(NwcAsNcw.swap(epsilon), workspaceMgr);
        return new Pair<>(p.getFirst(), NwcAsNcw.swapInto(workspaceMgr, ArrayType.ACTIVATION_GRAD, p.getSecond()));
    }

    /** The NCW input this layer holds as Keras's {@code (batch, steps, 1, channels)}: a view where the data allows. */
    static INDArray stepsAsRows(INDArray ncw) {
        return ncw.permute(0, 2, 1).reshape('c', ncw.size(0), ncw.size(2), 1, ncw.size(1));
    }

    /**
     * The pooling computed on the heap, or null: not max pooling without padding, an input that is not rank 3, a mask,
     * or an input dropout that drops anything (its mask is DL4J's, in DL4J's layout).
     */
    private ChannelsLastMaxPooling2D own() {
        SubsamplingLayer conf = layerConf();
        if (input == null || input.rank() != 3 || maskArray != null) return null;
        boolean keepsEverything = conf.getIDropout() == null
                || conf.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.Dropout d && d.getPSchedule() == null && d.getP() == 1.0;
        return keepsEverything ? ChannelsLastMaxPooling2D.ofSteps(conf) : null;
    }
}
