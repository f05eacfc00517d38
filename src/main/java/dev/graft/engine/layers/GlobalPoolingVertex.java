package dev.graft.engine.layers;

import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Keras's {@code GlobalAveragePooling1D/2D/3D} and {@code GlobalMaxPooling1D/2D/3D}: the mean or maximum over every
 * spatial axis (all axes between batch and channels, or after the channels with {@code data_format="channels_first"}),
 * the reduced axes kept with size 1 under {@code keepdims}. The maximum's gradient goes where SameDiff sends it (the
 * maximal element).
 */
public class GlobalPoolingVertex extends KerasTensorOpVertex {
    private boolean max;
    private boolean channelsFirst;
    private boolean keepDims;

    /** For JSON deserialisation (DL4J configurations and zips). */
    public GlobalPoolingVertex() {
    }

    public GlobalPoolingVertex(boolean max, boolean channelsFirst, boolean keepDims) {
        this.max = max;
        this.channelsFirst = channelsFirst;
        this.keepDims = keepDims;
    }

    @Override
    protected int inputCount() {
        return 1;
    }

    @Override
    protected SDVariable compute(SameDiff sd, SDVariable[] in, long[][] shapes) {
        int[] axes = spatialAxes(shapes[0].length);
        return max ? in[0].max(keepDims, axes) : in[0].mean(keepDims, axes);
    }

    /** The spatial axes of a tensor of {@code rank} (batch included). */
    private int[] spatialAxes(int rank) {
        int[] axes = new int[rank - 2];
        for (int i = 0; i < axes.length; i++) axes[i] = i + (channelsFirst ? 2 : 1);
        return axes;
    }

    @Override
    protected long[] outputShape(long[][] inputs) {
        long[] in = inputs[0];
        if (in.length < 2) throw new IllegalArgumentException("global pooling takes (batch, spatial..., channels), got rank " + (in.length + 1));
        long channels = channelsFirst ? in[0] : in[in.length - 1];
        if (!keepDims) return new long[] {channels};
        long[] out = new long[in.length];
        java.util.Arrays.fill(out, 1);
        out[channelsFirst ? 0 : in.length - 1] = channels;
        return out;
    }

    @Override
    public GlobalPoolingVertex clone() {
        return withSettingsOf(new GlobalPoolingVertex(max, channelsFirst, keepDims));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlobalPoolingVertex g && max == g.max && channelsFirst == g.channelsFirst && keepDims == g.keepDims;
    }

    @Override
    public int hashCode() {
        return Objects.hash(max, channelsFirst, keepDims);
    }

    public boolean isMax() { return max; }
    public void setMax(boolean max) { this.max = max; }
    public boolean isChannelsFirst() { return channelsFirst; }
    public void setChannelsFirst(boolean channelsFirst) { this.channelsFirst = channelsFirst; }
    public boolean isKeepDims() { return keepDims; }
    public void setKeepDims(boolean keepDims) { this.keepDims = keepDims; }
}
