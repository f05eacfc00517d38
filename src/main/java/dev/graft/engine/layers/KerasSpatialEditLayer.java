package dev.graft.engine.layers;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
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
 * Keras's {@code Cropping1D/2D/3D}, {@code ZeroPadding1D/2D/3D} and nearest {@code UpSampling1D/2D/3D} on Keras's own
 * layout, channels last or channels first: per spatial axis, {@code cropBefore}/{@code cropAfter} steps are cut, then
 * {@code padBefore}/{@code padAfter} zeros added, then every step repeated {@code repeat} times. Each is a plain ND4J op
 * with its own gradient (slice, pad, tile), so the layers before it train. Without parameters.
 *
 * <p>DL4J 1.0.0-M2.1's own Cropping1D/3D, ZeroPadding1D/3D and Upsampling1D read the axis after the batch as the channels
 * (Keras 1's Theano ordering). This layer reads its input's axes as Keras wrote them, whatever DL4J's label (a
 * sequence's {@link KerasSequenceAxes}, an image's or volume's axes in the order its format stores them: {@link KerasArrayAxes}).
 */
public class KerasSpatialEditLayer extends SameDiffLayer {
    private boolean channelsFirst;
    private long[] cropBefore = new long[0];
    private long[] cropAfter = new long[0];
    private long[] padBefore = new long[0];
    private long[] padAfter = new long[0];
    private long[] repeat = new long[0];

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected KerasSpatialEditLayer() {
    }

    protected KerasSpatialEditLayer(Builder b) {
        super(b);
        int n = b.spatialRank;
        this.channelsFirst = b.channelsFirst;
        this.cropBefore = orZeros(b.cropBefore, n);
        this.cropAfter = orZeros(b.cropAfter, n);
        this.padBefore = orZeros(b.padBefore, n);
        this.padAfter = orZeros(b.padAfter, n);
        this.repeat = b.repeat == null ? ones(n) : b.repeat.clone();
        for (long[] a : new long[][] {cropBefore, cropAfter, padBefore, padAfter, repeat}) {
            if (a.length != n) throw new IllegalArgumentException("layer " + getLayerName() + ": " + n + " spatial axes, but " + Arrays.toString(a));
            for (long v : a) if (v < 0) throw new IllegalArgumentException("layer " + getLayerName() + ": negative size " + Arrays.toString(a));
        }
        for (long r : repeat) if (r < 1) throw new IllegalArgumentException("layer " + getLayerName() + ": repeat must be at least 1");
    }

    private static long[] orZeros(long[] a, int n) {
        return a == null ? new long[n] : a.clone();
    }

    private static long[] ones(int n) {
        long[] a = new long[n];
        Arrays.fill(a, 1);
        return a;
    }

    /** Builds a {@link KerasSpatialEditLayer}; {@code spatialRank} first, every per-axis array then has that length. */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private int spatialRank = 1;
        private boolean channelsFirst;
        private long[] cropBefore;
        private long[] cropAfter;
        private long[] padBefore;
        private long[] padAfter;
        private long[] repeat;

        public Builder spatialRank(int n) { this.spatialRank = n; return this; }
        public Builder channelsFirst(boolean b) { this.channelsFirst = b; return this; }
        public Builder crop(long[] before, long[] after) { this.cropBefore = before; this.cropAfter = after; return this; }
        public Builder pad(long[] before, long[] after) { this.padBefore = before; this.padAfter = after; return this; }
        public Builder repeat(long... r) { this.repeat = r; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public KerasSpatialEditLayer build() {
            return new KerasSpatialEditLayer(this);
        }
    }

    @Override
    public void defineParameters(SDLayerParams params) {
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
    }

    /** The array position (batch = 0) of spatial axis {@code i}. */
    private int axis(int i) {
        return channelsFirst ? i + 2 : i + 1;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> paramTable, SDVariable mask) {
        long[] s = x.getShape();
        int rank = s.length;
        int n = repeat.length;
        if (rank != n + 2) throw new IllegalStateException("layer " + getLayerName() + " takes rank " + (n + 2) + " arrays, not " + Arrays.toString(s));
        SDVariable y = x;
        boolean crops = false;
        SDIndex[] keep = new SDIndex[rank];
        Arrays.fill(keep, SDIndex.all());
        for (int i = 0; i < n; i++) {
            int a = axis(i);
            if (cropBefore[i] + cropAfter[i] == 0) continue;
            crops = true;
            long end = s[a] - cropAfter[i];
            if (end <= cropBefore[i]) throw new IllegalStateException("layer " + getLayerName() + " crops all of axis " + a + " (length " + s[a] + ")");
            keep[a] = SDIndex.interval(cropBefore[i], end);
        }
        if (crops) y = y.get(keep);
        boolean pads = false;
        long[][] pad = new long[rank][2];
        for (int i = 0; i < n; i++) {
            pad[axis(i)] = new long[] {padBefore[i], padAfter[i]};
            pads |= padBefore[i] + padAfter[i] > 0;
        }
        if (pads) y = sd.nn.pad(y, sd.constant(Nd4j.createFromArray(pad).castTo(DataType.LONG)), PadMode.CONSTANT, 0.0);
        long[] current = s.clone();
        for (int i = 0; i < n; i++) current[axis(i)] = s[axis(i)] - cropBefore[i] - cropAfter[i] + padBefore[i] + padAfter[i];
        for (int i = 0; i < n; i++) {
            if (repeat[i] == 1) continue;
            // Every step k times in a row: (.., L, ..) -> (.., L, 1, ..) tiled to (.., L, k, ..) -> (.., L·k, ..).
            int a = axis(i);
            long[] shape = current;
            long[] withOne = new long[rank + 1];
            for (int d = 0; d <= a; d++) withOne[d] = shape[d];
            withOne[a + 1] = 1;
            for (int d = a + 1; d < rank; d++) withOne[d + 1] = shape[d];
            withOne[0] = -1;
            SDVariable expanded = sd.reshape(y, withOne);
            int[] tiles = new int[rank + 1];
            Arrays.fill(tiles, 1);
            tiles[a + 1] = (int) repeat[i];
            long[] out = shape.clone();
            out[0] = -1;
            out[a] = shape[a] * repeat[i];
            y = sd.reshape(sd.tile(expanded, tiles), out);
            current = out;
        }
        return y != x ? y : sd.identity(x);
    }

    /** The length of spatial axis {@code i} after the layer, or -1 when the input's is not known. */
    long outLength(long in, int i) {
        if (in <= 0) return -1;
        return (in - cropBefore[i] - cropAfter[i] + padBefore[i] + padAfter[i]) * repeat[i];
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long[] axes = KerasArrayAxes.of(inputType, repeat.length + 1, getLayerName());
        for (int i = 0; i < repeat.length; i++) {
            long in = axes[axis(i) - 1];
            long out = outLength(in, i);
            if (in > 0 && out < 1) throw new IllegalStateException("layer " + getLayerName() + " crops all of axis " + axis(i) + " (length " + in + ")");
            axes[axis(i) - 1] = out;
        }
        return KerasArrayAxes.with(inputType, axes);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        KerasArrayAxes.of(inputType, repeat.length + 1, getLayerName());
    }

    /** The array arrives in Keras's layout, which is what the layer computes on. */
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

    public boolean isChannelsFirst() { return channelsFirst; }
    public void setChannelsFirst(boolean channelsFirst) { this.channelsFirst = channelsFirst; }
    public long[] getCropBefore() { return cropBefore; }
    public void setCropBefore(long[] cropBefore) { this.cropBefore = cropBefore; }
    public long[] getCropAfter() { return cropAfter; }
    public void setCropAfter(long[] cropAfter) { this.cropAfter = cropAfter; }
    public long[] getPadBefore() { return padBefore; }
    public void setPadBefore(long[] padBefore) { this.padBefore = padBefore; }
    public long[] getPadAfter() { return padAfter; }
    public void setPadAfter(long[] padAfter) { this.padAfter = padAfter; }
    public long[] getRepeat() { return repeat; }
    public void setRepeat(long[] repeat) { this.repeat = repeat; }
}
