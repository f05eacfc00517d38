package dev.graft.shape;

/**
 * Output lengths along one spatial axis, written as Keras writes them
 * ({@code keras.utils.conv_utils} in Keras 2, {@code keras.src.ops.operation_utils} in Keras 3),
 * so the integer rounding matches Keras exactly. An unknown ({@code null}) length stays unknown.
 */
final class ConvArithmetic {
    private ConvArithmetic() {}

    /** The kernel's reach once dilation spreads its taps apart: {@code k + (k-1)(d-1)}. */
    static long dilatedKernel(long kernel, long dilation) {
        return kernel + (kernel - 1) * (dilation - 1);
    }

    /**
     * {@code conv_output_length}: valid {@code ceil((L - dk + 1)/s)}, same/causal {@code ceil(L/s)},
     * full {@code ceil((L + dk - 1)/s)}.
     */
    static Long convOutputLength(Long input, long kernel, Padding padding, long stride, long dilation) {
        if (input == null) return null;
        long dk = dilatedKernel(kernel, dilation);
        long length = switch (padding) {
            case SAME, CAUSAL -> input;
            case VALID -> input - dk + 1;
            case FULL -> input + dk - 1;
        };
        return Math.floorDiv(length + stride - 1, stride);
    }

    /**
     * {@code deconv_output_length}: without output padding Keras picks the largest length whose
     * forward convolution gives back the input length; with it, the length is exact.
     */
    static Long deconvOutputLength(Long input, long kernel, Padding padding, Long outputPadding,
                                   long stride, long dilation) {
        if (input == null) return null;
        long dk = dilatedKernel(kernel, dilation);
        if (outputPadding == null) {
            return switch (padding) {
                case VALID -> input * stride + Math.max(dk - stride, 0);
                case FULL -> input * stride - (stride + dk - 2);
                case SAME, CAUSAL -> input * stride;
            };
        }
        long pad = switch (padding) {
            case SAME, CAUSAL -> dk / 2;
            case VALID -> 0;
            case FULL -> dk - 1;
        };
        return (input - 1) * stride + dk - 2 * pad + outputPadding;
    }

    /** Pooling windows: valid {@code floor((L - p)/s) + 1}, same {@code ceil(L/s)}. */
    static Long poolOutputLength(Long input, long pool, Padding padding, long stride) {
        if (input == null) return null;
        return switch (padding) {
            case VALID -> Math.floorDiv(input - pool, stride) + 1;
            case SAME -> Math.floorDiv(input + stride - 1, stride);
            default -> throw new IllegalArgumentException("pooling has no " + padding.keras() + " padding");
        };
    }
}
