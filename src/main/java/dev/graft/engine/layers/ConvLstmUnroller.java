package dev.graft.engine.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * Writes Keras's ConvLSTM recurrence ({@code ConvLSTMCell.call}) into a SameDiff graph unrolled for a known number of
 * steps, on channels-last arrays of 2 or 3 spatial axes (a 1-d layer arrives as 2-d of height 1):
 * {@code z = conv(x_t, W, strides, dilation, padding) + b + conv(h, U, same, stride 1)}, split into the gates i, f, c, o
 * (Keras's order along the kernels' last axis); {@code c' = σ(z_f)·c + σ(z_i)·act(z_c)}, {@code h' = σ(z_o)·act(c')},
 * {@code h_0 = c_0 = 0}. The input convolution does not depend on the state, so it runs once over every step (batch and
 * steps as one axis: one im2col product in ND4J's convolution); only the recurrent convolution runs per step.
 * {@code go_backwards} reads from the last step and returns the outputs in processing order, as Keras does; a Bidirectional's
 * backward half returning sequences flips them ({@code reverseOutput}), as Keras's Bidirectional does.
 */
final class ConvLstmUnroller {
    private final KerasConvLstmLayer conf;

    ConvLstmUnroller(KerasConvLstmLayer conf) {
        this.conf = conf;
    }

    /**
     * @param x      {@code [batch, steps, spatial..., channels]} (channels last, 2 or 3 spatial axes)
     * @param kernel {@code [k..., channels, 4·filters]}; recurrentKernel {@code [k..., filters, 4·filters]}; bias {@code [1, 4·filters]} or null
     * @return {@code [batch, steps, spatial'..., filters]} when returning sequences, else {@code [batch, spatial'..., filters]};
     *         with the state packed, {@code [batch, S + 2, spatial'..., filters]}: the S outputs, then h, then c
     */
    SDVariable build(SameDiff sd, SDVariable x, long[] spatial, long channels, int steps, SDVariable kernel, SDVariable recurrentKernel,
                     SDVariable bias) {
        if (steps <= 0) throw new IllegalStateException("ConvLSTM needs a known number of steps, got " + steps);
        int n = spatial.length;
        long filters = conf.getFilters();
        long[] outSpatial = new long[n];
        for (int a = 0; a < n; a++) outSpatial[a] = conf.outLength(spatial[a], a);
        // Every step's input convolution at once: batch and steps as one axis.
        SDVariable rows = sd.reshape(x, concat(new long[] {-1}, spatial, new long[] {channels}));
        SDVariable projected = convolve(sd, rows, kernel, conf.getKernelSize(), conf.getStrides(), conf.getDilation(), conf.isSame());
        if (bias != null) projected = projected.add(sd.reshape(bias, concat(ones(n + 1), new long[] {4 * filters})));
        SDVariable[] xs = sd.unstack(sd.reshape(projected, concat(new long[] {-1, steps}, outSpatial, new long[] {4 * filters})), 1, steps);
        long[] unit = ones(n);
        // h_0 = c_0 = 0, shaped from a step's projection (the batch size is only known at run time). The first step then computes
        // exactly what it would without them (adding a zero convolution, multiplying by zero); and every variable of the graph
        // must feed the output, or ND4J M2.1 finds no gradient to start the backward pass from.
        SDVariable h = sd.zerosLike(xs[0]).get(firstFilters(n, filters));
        SDVariable c = h;
        List<SDVariable> outputs = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            int t = conf.isGoBackwards() ? steps - 1 - i : i;
            SDVariable z = xs[t].add(convolve(sd, h, recurrentKernel, conf.getKernelSize(), unit, unit, true));
            SDVariable[] gates = sd.split(z, 4, n + 1);
            SDVariable in = conf.getRecurrentActivation().apply(sd, gates[0]);
            SDVariable candidate = in.mul(conf.getActivation().apply(sd, gates[2]));
            c = conf.getRecurrentActivation().apply(sd, gates[1]).mul(c).add(candidate);
            h = conf.getRecurrentActivation().apply(sd, gates[3]).mul(conf.getActivation().apply(sd, c));
            outputs.add(h);
        }
        if (conf.isReverseOutput()) Collections.reverse(outputs);
        if (conf.isPackState()) {
            List<SDVariable> packed = new ArrayList<>(conf.isReturnSequences() ? outputs : Collections.singletonList(h));
            packed.add(h);
            packed.add(c);
            return sd.stack(1, packed.toArray(new SDVariable[0]));
        }
        return conf.isReturnSequences() ? sd.stack(1, outputs.toArray(new SDVariable[0])) : h;
    }

    /** A channels-last convolution with Keras's kernel layout {@code [k..., in, out]} (ND4J's YXIO / DHWIO). */
    private static SDVariable convolve(SameDiff sd, SDVariable x, SDVariable w, long[] k, long[] s, long[] d, boolean same) {
        PaddingMode mode = same ? PaddingMode.SAME : PaddingMode.VALID;
        if (k.length == 2) {
            return sd.cnn().conv2d(x, w, Conv2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1]).dH(d[0]).dW(d[1])
                    .paddingMode(mode).dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build());
        }
        return sd.cnn().conv3d(x, w, Conv3DConfig.builder().kD(k[0]).kH(k[1]).kW(k[2]).sD(s[0]).sH(s[1]).sW(s[2])
                .dD(d[0]).dH(d[1]).dW(d[2]).paddingMode(mode).dataFormat(Conv3DConfig.NDHWC).build());
    }

    /** The first {@code filters} channels of a channels-last array with {@code n} spatial axes. */
    private static org.nd4j.autodiff.samediff.SDIndex[] firstFilters(int n, long filters) {
        org.nd4j.autodiff.samediff.SDIndex[] index = new org.nd4j.autodiff.samediff.SDIndex[n + 2];
        java.util.Arrays.fill(index, org.nd4j.autodiff.samediff.SDIndex.all());
        index[n + 1] = org.nd4j.autodiff.samediff.SDIndex.interval(0L, filters);
        return index;
    }

    private static long[] ones(int n) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    private static long[] concat(long[]... parts) {
        int len = 0;
        for (long[] p : parts) len += p.length;
        long[] out = new long[len];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
