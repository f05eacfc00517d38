package dev.graft.shape;

/**
 * Kernel, strides, dilation, padding and data format of a convolution-like layer, read from
 * Keras 2/3 keys ({@code kernel_size}, {@code strides}, {@code dilation_rate}, {@code padding},
 * {@code data_format}) or Keras 1 keys ({@code filter_length} / {@code nb_row}, {@code nb_col} /
 * {@code kernel_dim1..3}, {@code subsample_length} / {@code subsample}, {@code atrous_rate},
 * {@code border_mode}, {@code dim_ordering}).
 */
final class ConvGeometry {
    final long[] kernel;
    final long[] strides;
    final long[] dilation;
    final Padding padding;
    final DataFormat format;

    private ConvGeometry(long[] kernel, long[] strides, long[] dilation, Padding padding, DataFormat format) {
        this.kernel = kernel;
        this.strides = strides;
        this.dilation = dilation;
        this.padding = padding;
        this.format = format;
    }

    static ConvGeometry read(LayerConfig c, int rank) {
        long[] kernel = c.has("kernel_size") ? c.tuple(rank, null, "kernel_size") : keras1Kernel(c, rank);
        long[] strides = c.tuple(rank, 1L, "strides", rank == 1 ? "subsample_length" : "subsample");
        long[] dilation = c.tuple(rank, 1L, "dilation_rate", "atrous_rate");
        return new ConvGeometry(kernel, strides, dilation, c.padding(), c.dataFormat());
    }

    private static long[] keras1Kernel(LayerConfig c, int rank) {
        switch (rank) {
            case 1:
                return new long[] {c.requireLong("kernel_size", "filter_length")};
            case 2:
                return new long[] {c.requireLong("nb_row"), c.requireLong("nb_col")};
            default:
                return new long[] {c.requireLong("kernel_dim1"), c.requireLong("kernel_dim2"), c.requireLong("kernel_dim3")};
        }
    }

    String describe(int axis) {
        return "kernel " + kernel[axis] + ", stride " + strides[axis] + ", dilation " + dilation[axis]
                + " and '" + padding.keras() + "' padding";
    }
}
