package dev.graft.engine.layers;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code Resizing} of images to {@code height × width}, nearest, bilinear, bicubic or area, as TensorFlow defines them
 * ({@link ResizeWeights}), channels last or first, optionally cropped or padded ({@code fill_value}) to the target's aspect
 * ratio first as Keras does; also a bilinear or bicubic {@code UpSampling2D} (a resize by whole factors): two matrix products, rows then columns, so the gradient to the layers before
 * it is exact too. Without parameters. The matrices are made for the input's size when the runtime builds the graph
 * (it builds again for another size), so images of any size are resized.
 */
public class KerasResizingLayer extends SameDiffLayer {
    private long height;
    private long width;
    private boolean bilinear = true;
    /** nearest, bilinear, bicubic or area; null in configurations written before it existed, which {@link #bilinear} then tells. */
    private String interpolation;
    private boolean channelsFirst;
    private boolean cropToAspectRatio;
    private boolean padToAspectRatio;
    private double fillValue;
    /** UpSampling2D's factors: when above 0, the output is the input's rows/columns times these, not height/width. */
    private long heightFactor;
    private long widthFactor;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected KerasResizingLayer() {
    }

    protected KerasResizingLayer(Builder b) {
        super(b);
        this.height = b.height;
        this.width = b.width;
        this.interpolation = b.interpolation;
        this.bilinear = "bilinear".equals(b.interpolation);
        this.channelsFirst = b.channelsFirst;
        this.cropToAspectRatio = b.cropToAspectRatio;
        this.padToAspectRatio = b.padToAspectRatio;
        this.fillValue = b.fillValue;
        this.heightFactor = b.heightFactor;
        this.widthFactor = b.widthFactor;
        if (!Set.of("nearest", "bilinear", "bicubic", "area").contains(interpolation)) {
            throw new IllegalArgumentException("layer " + getLayerName() + ": interpolation " + interpolation + " is not computed");
        }
        if (cropToAspectRatio && padToAspectRatio) throw new IllegalArgumentException("layer " + getLayerName() + ": crop and pad to aspect ratio");
    }

    /** Builds a {@link KerasResizingLayer}. */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private long height;
        private long width;
        private String interpolation = "bilinear";
        private boolean channelsFirst;
        private boolean cropToAspectRatio;
        private boolean padToAspectRatio;
        private double fillValue;
        private long heightFactor;
        private long widthFactor;

        public Builder height(long height) { this.height = height; return this; }
        public Builder width(long width) { this.width = width; return this; }
        public Builder bilinear(boolean bilinear) { this.interpolation = bilinear ? "bilinear" : "nearest"; return this; }
        public Builder interpolation(String interpolation) { this.interpolation = interpolation; return this; }
        public Builder channelsFirst(boolean channelsFirst) { this.channelsFirst = channelsFirst; return this; }
        public Builder cropToAspectRatio(boolean crop) { this.cropToAspectRatio = crop; return this; }
        public Builder padToAspectRatio(boolean pad) { this.padToAspectRatio = pad; return this; }
        public Builder fillValue(double fillValue) { this.fillValue = fillValue; return this; }
        /** UpSampling2D: rows and columns multiplied by these factors instead of a fixed height and width. */
        public Builder factors(long rows, long cols) { this.heightFactor = rows; this.widthFactor = cols; return this; }

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
        // Keras's channels-first resize transposes to channels last and back, as TensorFlow's kernels only resize NHWC.
        long[] s = x.getShape();
        if (channelsFirst) {
            x = sd.permute(x, 0, 2, 3, 1);
            s = new long[] {s[0], s[2], s[3], s[1]};
        }
        int inH = (int) s[1];
        int inW = (int) s[2];
        long c = s[3];
        long outH = outHeight(inH);
        long outW = outWidth(inW);
        if (cropToAspectRatio) {
            // Keras's centred crop to the target's aspect ratio (its TensorFlow backend's integer arithmetic).
            int cropH = Math.max(Math.min(inH, (int) ((float) (inW * outH) / outW)), 1);
            int cropW = Math.max(Math.min(inW, (int) ((float) (inH * outW) / outH)), 1);
            int top = (int) ((float) (inH - cropH) / 2);
            int left = (int) ((float) (inW - cropW) / 2);
            if (cropH != inH || cropW != inW) {
                x = x.get(SDIndex.all(), SDIndex.interval(top, top + cropH), SDIndex.interval(left, left + cropW), SDIndex.all());
            }
            inH = cropH;
            inW = cropW;
        } else if (padToAspectRatio) {
            // Keras pads fill_value symmetrically: start rows/columns on each side, so an odd remainder is not padded.
            int padH = Math.max(inH, (int) ((float) (inW * outH) / outW));
            int padW = Math.max(inW, (int) ((float) (inH * outW) / outH));
            int top = (int) ((float) (padH - inH) / 2);
            int left = (int) ((float) (padW - inW) / 2);
            if (top > 0 || left > 0) {
                long[][] p = {{0, 0}, {top, top}, {left, left}, {0, 0}};
                x = sd.nn.pad(x, sd.constant(Nd4j.createFromArray(p).castTo(DataType.LONG)), PadMode.CONSTANT, fillValue);
            }
            inH += 2 * top;
            inW += 2 * left;
        }
        DataType type = x.dataType();
        SDVariable rowsT = sd.constant(Nd4j.createFromArray(matrix(inH, (int) outH)).transpose().dup('c').castTo(type));
        SDVariable colsT = sd.constant(Nd4j.createFromArray(matrix(inW, (int) outW)).transpose().dup('c').castTo(type));
        // (b, H, W, C) -> (b·W·C, H) · (H, h) -> (b, h, C, W) -> (b·h·C, W) · (W, w) -> (b, h, w, C)
        SDVariable byRows = sd.mmul(sd.reshape(sd.permute(x, 0, 2, 3, 1), -1, inH), rowsT);
        SDVariable t = sd.permute(sd.reshape(byRows, -1, inW, c, outH), 0, 3, 2, 1);
        SDVariable byCols = sd.mmul(sd.reshape(t, -1, inW), colsT);
        SDVariable y = sd.permute(sd.reshape(byCols, -1, outH, c, outW), 0, 1, 3, 2);
        return channelsFirst ? sd.permute(y, 0, 3, 1, 2) : y;
    }

    private long outHeight(long inH) {
        return heightFactor > 0 ? (inH > 0 ? inH * heightFactor : -1) : height;
    }

    private long outWidth(long inW) {
        return widthFactor > 0 ? (inW > 0 ? inW * widthFactor : -1) : width;
    }

    private String mode() {
        return interpolation != null ? interpolation : bilinear ? "bilinear" : "nearest";
    }

    private double[][] matrix(int in, int out) {
        return switch (mode()) {
            case "bilinear" -> ResizeWeights.bilinear(in, out);
            case "bicubic" -> ResizeWeights.bicubic(in, out);
            case "area" -> ResizeWeights.area(in, out);
            default -> ResizeWeights.nearest(in, out);
        };
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long[] a = KerasArrayAxes.of(inputType, 3, getLayerName());
        int h = channelsFirst ? 1 : 0;
        a[h] = outHeight(a[h]);
        a[h + 1] = outWidth(a[h + 1]);
        return KerasArrayAxes.with(inputType, a);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        KerasArrayAxes.of(inputType, 3, getLayerName());
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
    public String getInterpolation() { return interpolation; }
    public void setInterpolation(String interpolation) { this.interpolation = interpolation; }
    public boolean isChannelsFirst() { return channelsFirst; }
    public void setChannelsFirst(boolean channelsFirst) { this.channelsFirst = channelsFirst; }
    public boolean isCropToAspectRatio() { return cropToAspectRatio; }
    public void setCropToAspectRatio(boolean cropToAspectRatio) { this.cropToAspectRatio = cropToAspectRatio; }
    public boolean isPadToAspectRatio() { return padToAspectRatio; }
    public void setPadToAspectRatio(boolean padToAspectRatio) { this.padToAspectRatio = padToAspectRatio; }
    public double getFillValue() { return fillValue; }
    public void setFillValue(double fillValue) { this.fillValue = fillValue; }
    public long getHeightFactor() { return heightFactor; }
    public void setHeightFactor(long heightFactor) { this.heightFactor = heightFactor; }
    public long getWidthFactor() { return widthFactor; }
    public void setWidthFactor(long widthFactor) { this.widthFactor = widthFactor; }
}
