package dev.graft.shape;

import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Convolutions: regular, separable, depthwise, transposed and locally connected, in 1 to 3
 * spatial dimensions and both data formats.
 */
final class ConvolutionRules {
    private ConvolutionRules() {}

    static void register(RuleRegistry r) {
        r.add(call -> regular(call, 1), "Conv1D", "Convolution1D", "AtrousConvolution1D",
                "SeparableConv1D", "SeparableConvolution1D");
        r.add(call -> regular(call, 2), "Conv2D", "Convolution2D", "AtrousConvolution2D",
                "SeparableConv2D", "SeparableConvolution2D");
        r.add(call -> regular(call, 3), "Conv3D", "Convolution3D");
        r.add(call -> depthwise(call, 1), "DepthwiseConv1D");
        r.add(call -> depthwise(call, 2), "DepthwiseConv2D");
        r.add(call -> transposed(call, 1), "Conv1DTranspose", "Convolution1DTranspose");
        // Deconvolution2D/3D are Keras 2 aliases; Keras 1's Deconvolution2D is handled inside.
        r.add(call -> transposed(call, 2), "Conv2DTranspose", "Convolution2DTranspose", "Deconvolution2D");
        r.add(call -> transposed(call, 3), "Conv3DTranspose", "Convolution3DTranspose", "Deconvolution3D");
        r.add(call -> locallyConnected(call, 1), "LocallyConnected1D");
        r.add(call -> locallyConnected(call, 2), "LocallyConnected2D");
    }

    private static List<Shape> regular(InferenceCall call, int rank) {
        ConvGeometry g = ConvGeometry.read(call.config(), rank);
        SpatialShape in = channelsKnown(call, rank, g.format);
        long groups = call.config().longOr(1, "groups");
        if (groups > 1 && in.channels % groups != 0) {
            throw call.error("has " + groups + " groups, which must divide the " + in.channels
                    + " input channels of " + call.onlyInput());
        }
        long filters = call.config().requireLong("filters", "nb_filter");
        return List.of(convolve(call, in, g).withChannels(filters).toShape(g.format));
    }

    /** One filter set per input channel, so the output has channels x depth_multiplier channels. */
    private static List<Shape> depthwise(InferenceCall call, int rank) {
        ConvGeometry g = ConvGeometry.read(call.config(), rank);
        SpatialShape in = channelsKnown(call, rank, g.format);
        long multiplier = call.config().longOr(1, "depth_multiplier");
        return List.of(convolve(call, in, g).withChannels(in.channels * multiplier).toShape(g.format));
    }

    private static List<Shape> transposed(InferenceCall call, int rank) {
        LayerConfig c = call.config();
        if (c.has("nb_filter") && c.has("output_shape")) return keras1Deconvolution(call);
        ConvGeometry g = ConvGeometry.read(c, rank);
        SpatialShape in = channelsKnown(call, rank, g.format);
        long[] outputPadding = c.has("output_padding") ? c.tuple(rank, null, "output_padding") : null;
        List<Long> spatial = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            Long op = outputPadding == null ? null : outputPadding[i];
            if (op != null && op >= g.strides[i]) {
                throw call.error("output_padding " + op + " must be smaller than the stride " + g.strides[i]);
            }
            Long out = ConvArithmetic.deconvOutputLength(in.spatial.get(i), g.kernel[i], g.padding, op,
                    g.strides[i], g.dilation[i]);
            spatial.add(requirePositive(call, out, i, g));
        }
        long filters = c.requireLong("filters", "nb_filter");
        return List.of(in.withSpatial(spatial).withChannels(filters).toShape(g.format));
    }

    /**
     * Keras 1's Deconvolution2D stores the full output shape it was built for, and its backend op
     * produces exactly that tensor, so the stored shape is the answer.
     */
    private static List<Shape> keras1Deconvolution(InferenceCall call) {
        Shape in = call.onlyInput();
        List<Long> declared = call.config().longList("output_shape");
        if (declared.size() != in.rank()) {
            throw call.error("output_shape " + declared + " does not have the rank of its input " + in);
        }
        List<Long> out = new ArrayList<>(declared);
        out.set(0, in.dim(0));
        return List.of(Shape.of(out));
    }

    /** Unshared weights per output position: no dilation, and Keras only allows known spatial sizes. */
    private static List<Shape> locallyConnected(InferenceCall call, int rank) {
        ConvGeometry g = ConvGeometry.read(call.config(), rank);
        SpatialShape in = channelsKnown(call, rank, g.format);
        if (in.spatial.contains(null)) {
            throw call.error("needs known spatial dimensions (it has one set of weights per position), got "
                    + call.onlyInput());
        }
        long filters = call.config().requireLong("filters", "nb_filter");
        return List.of(convolve(call, in, g).withChannels(filters).toShape(g.format));
    }

    private static SpatialShape channelsKnown(InferenceCall call, int rank, DataFormat format) {
        Shape shape = call.onlyInput();
        SpatialShape in = SpatialShape.split(call, shape, rank, format);
        call.requireKnown(in.channels, "channels", shape);
        return in;
    }

    static SpatialShape convolve(InferenceCall call, SpatialShape in, ConvGeometry g) {
        if (g.padding == Padding.CAUSAL && in.spatial.size() != 1) {
            throw call.error("cannot use 'causal' padding: only 1D convolutions can");
        }
        List<Long> spatial = new ArrayList<>();
        for (int i = 0; i < in.spatial.size(); i++) {
            Long out = ConvArithmetic.convOutputLength(in.spatial.get(i), g.kernel[i], g.padding,
                    g.strides[i], g.dilation[i]);
            spatial.add(requirePositive(call, out, i, g));
        }
        return in.withSpatial(spatial);
    }

    static Long requirePositive(InferenceCall call, Long length, int axis, ConvGeometry g) {
        if (length != null && length < 1) {
            throw call.error("input " + call.inputs().get(0) + " is too small: spatial axis " + (axis + 1)
                    + " would have size " + length + " with " + g.describe(axis));
        }
        return length;
    }
}
