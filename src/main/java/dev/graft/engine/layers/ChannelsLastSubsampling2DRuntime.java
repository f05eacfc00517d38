package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computing side of {@link ChannelsLastSubsampling2DLayer}: takes {@code (batch, height, width,
 * channels)}; max pooling without padding is computed on that data as it is ({@link ChannelsLastMaxPooling2D}),
 * anything else holds it as {@code (batch, channels, height, width)} and runs DL4J's own NCHW pooling on
 * it, forward and backward, permuting its output and the input gradient it returns back to Keras's
 * order. DL4J's runtime takes the layout from its configuration, which states the NHWC the layer is fed
 * in; so this layer reads an NCHW copy of that configuration instead.
 */
public class ChannelsLastSubsampling2DRuntime extends org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer {
    // Not initialised in their declarations: DL4J's constructors already call layerConf(), before
    // this class's initialisers would run (and reset them).
    private SubsamplingLayer declared;
    private SubsamplingLayer computing;
    /** Where the last training forward pass's outputs came from, for its backward pass (null until one ran). */
    private ChannelsLastMaxPooling2D.Sources sources;

    public ChannelsLastSubsampling2DRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
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

    /** Kept as NCHW, so that everything DL4J's NCHW layer does with its input sees that layout. */
    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        if (sources != null) sources.forget();
        super.setInput(NhwcAsNchw.toNchw(input), workspaceMgr);
    }

    /** Max pooling without padding on the NHWC data as it is ({@link ChannelsLastMaxPooling2D}); DL4J's NCHW pooling otherwise. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        ChannelsLastMaxPooling2D own = own();
        if (own != null) {
            if (training && sources == null) sources = new ChannelsLastMaxPooling2D.Sources();
            INDArray out = training ? own.forward(input.permute(0, 2, 3, 1), workspaceMgr, sources, input) : own.forward(input.permute(0, 2, 3, 1), workspaceMgr);
            if (out != null) return out;
        }
        return NhwcAsNchw.toNhwcInto(workspaceMgr, ArrayType.ACTIVATIONS, super.activate(training, workspaceMgr));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        ChannelsLastMaxPooling2D own = own();
        if (own != null && epsilon != null) {
            INDArray dx = sources != null && sources.keeps(input) ? own.backward(sources, epsilon, workspaceMgr) : null;
            if (dx == null) dx = own.backward(input.permute(0, 2, 3, 1), epsilon, workspaceMgr);
            if (dx != null) return new Pair<>(new DefaultGradient(), dx);
        }
        Pair<Gradient, INDArray> p = super.backpropGradient(NhwcAsNchw.toNchw(epsilon), workspaceMgr);
        return new Pair<>(p.getFirst(), NhwcAsNchw.toNhwcInto(workspaceMgr, ArrayType.ACTIVATION_GRAD, p.getSecond()));
    }

    /**
     * The pooling computed on the heap, or null: not max pooling without padding, an input that is not rank 4, a mask,
     * or an input dropout that drops anything (its mask is DL4J's, in DL4J's layout).
     */
    private ChannelsLastMaxPooling2D own() {
        SubsamplingLayer conf = layerConf();
        if (input == null || input.rank() != 4 || maskArray != null) return null;
        boolean keepsEverything = conf.getIDropout() == null
                || conf.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.Dropout d && d.getPSchedule() == null && d.getP() == 1.0;
        return keepsEverything ? ChannelsLastMaxPooling2D.of(conf) : null;
    }
}
