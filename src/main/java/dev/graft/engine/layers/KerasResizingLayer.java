package dev.graft.engine.layers;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code Resizing} of channels-last images to {@code height × width}, nearest or bilinear, as TensorFlow
 * defines them ({@link ResizeWeights}): two matrix products, rows then columns, so the gradient to the layers before
 * it is exact too. Without parameters. The matrices are made for the input's size when the runtime builds the graph
 * (it builds again for another size), so images of any size are resized.
 */
public class KerasResizingLayer extends SameDiffLayer {
    private long height;
    private long width;
    private boolean bilinear = true;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected KerasResizingLayer() {
    }

    protected KerasResizingLayer(Builder b) {
        super(b);
        this.height = b.height;
        this.width = b.width;
        this.bilinear = b.bilinear;
    }

    /** Builds a {@link KerasResizingLayer}. */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private long height;
        private long width;
        private boolean bilinear = true;

        public Builder height(long height) { this.height = height; return this; }
        public Builder width(long width) { this.width = width; return this; }
        public Builder bilinear(boolean bilinear) { this.bilinear = bilinear; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public KerasResizingLayer build() {
            return new KerasResizingLayer(this);
        }
    }

    @Override
    public void defineParameters(SDLayerParams params) {
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> paramTable, SDVariable mask) {
        long[] s = x.getShape();
        int inH = (int) s[1];
        int inW = (int) s[2];
        long c = s[3];
        DataType type = x.dataType();
        SDVariable rowsT = sd.constant(Nd4j.createFromArray(matrix(inH, (int) height)).transpose().dup('c').castTo(type));
        SDVariable colsT = sd.constant(Nd4j.createFromArray(matrix(inW, (int) width)).transpose().dup('c').castTo(type));
        // (b, H, W, C) -> (b·W·C, H) · (H, h) -> (b, h, C, W) -> (b·h·C, W) · (W, w) -> (b, h, w, C)
        SDVariable byRows = sd.mmul(sd.reshape(sd.permute(x, 0, 2, 3, 1), -1, inH), rowsT);
        SDVariable t = sd.permute(sd.reshape(byRows, -1, inW, c, height), 0, 3, 2, 1);
        SDVariable byCols = sd.mmul(sd.reshape(t, -1, inW), colsT);
        return sd.permute(sd.reshape(byCols, -1, height, c, width), 0, 1, 3, 2);
    }

    private double[][] matrix(int in, int out) {
        return bilinear ? ResizeWeights.bilinear(in, out) : ResizeWeights.nearest(in, out);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.convolutional(height, width, image(inputType).getChannels(), CNN2DFormat.NHWC);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        image(inputType);
    }

    private InputType.InputTypeConvolutional image(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c && c.getFormat() == CNN2DFormat.NHWC) return c;
        throw new IllegalStateException("Resizing layer " + getLayerName() + " takes a channels-last image (batch, rows, cols, channels); its input is " + t);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return ShapeKeyedSameDiffRuntime.instantiate(initializer(), conf, listeners, layerIndex, layerParamsView, initializeParams, networkDataType);
    }

    // ---- bean accessors: DL4J stores layer configurations as JSON through them ----

    public long getHeight() { return height; }
    public void setHeight(long height) { this.height = height; }
    public long getWidth() { return width; }
    public void setWidth(long width) { this.width = width; }
    public boolean isBilinear() { return bilinear; }
    public void setBilinear(boolean bilinear) { this.bilinear = bilinear; }
}
