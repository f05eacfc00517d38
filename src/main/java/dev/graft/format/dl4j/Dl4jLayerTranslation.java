package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.HostArray;
import dev.graft.model.Shape;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;

/**
 * One DL4J layer as the Keras layer (sometimes preceded by a padding) that computes the same,
 * with its parameters in Keras's layout. Only exact classes are matched: a subclass (a depthwise
 * or separable convolution is a ConvolutionLayer) is refused unless it is named here.
 */
final class Dl4jLayerTranslation {
    private Dl4jLayerTranslation() {
    }

    /**
     * @param tensor        the Keras layer whose output stands for the DL4J layer's
     * @param channelsFirst whether DL4J holds this layer's output channels first (NCW, NCHW)
     */
    record Result(String tensor, boolean channelsFirst) {
    }

    /**
     * @param inputFirst whether DL4J holds the layer's input channels first (NCW, NCHW): a PReLU's alpha follows that layout
     */
    static Result translate(String name, Layer layer, String input, Shape inShape, boolean inputFirst, Map<String, HostArray> params,
                            boolean trainable, KerasEmitter out) {
        Class<?> k = layer.getClass();
        if (k == DenseLayer.class || k == OutputLayer.class || k == RnnOutputLayer.class) {
            return dense(name, (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer, input, inShape, params, trainable, out);
        }
        if (k == LossLayer.class || k == CnnLossLayer.class || k == RnnLossLayer.class || k == ActivationLayer.class) {
            if (Dl4jActivationLayers.needsLayer(activationOf(layer))) {
                Dl4jActivationLayers.add(name, activationOf(layer), input, trainable, out);
                return new Result(name, inputFirst); // element by element: layout kept
            }
            ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
            c.put("activation", Dl4jActivations.kerasName(activationOf(layer)));
            out.add(name, "Activation", c, List.of(input), List.of());
            return new Result(name, inputFirst); // element by element, or over the channels (Keras's last axis): layout kept
        }
        if (k == DropoutLayer.class) {
            // Dropout only acts in training; Keras's rate is DL4J's drop probability, 1 - its retain probability.
            ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
            double rate = layer.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.Dropout d ? 1 - d.getP() : 0.0;
            c.put("rate", rate);
            c.putNull("noise_shape");
            c.putNull("seed");
            out.add(name, "Dropout", c, List.of(input), List.of());
            return new Result(name, inputFirst);
        }
        if (k == ConvolutionLayer.class) return conv2d(name, (ConvolutionLayer) layer, input, params, trainable, out);
        if (k == org.deeplearning4j.nn.conf.layers.Convolution1DLayer.class) {
            return conv1d(name, (org.deeplearning4j.nn.conf.layers.Convolution1DLayer) layer, input, params, trainable, out);
        }
        if (k == SubsamplingLayer.class) return pooling2d(name, (SubsamplingLayer) layer, input, out);
        if (k == Subsampling1DLayer.class) return pooling1d(name, (Subsampling1DLayer) layer, input, inputFirst, out);
        if (k == PReLULayer.class) return prelu(name, (PReLULayer) layer, input, inputFirst, params, trainable, out);
        if (k == BatchNormalization.class) return batchNormalization(name, (BatchNormalization) layer, input, inShape, inputFirst, params, trainable, out);
        if (k == GlobalPoolingLayer.class) return globalPooling(name, (GlobalPoolingLayer) layer, input, inShape, out);
        if (k == ZeroPaddingLayer.class) {
            ZeroPaddingLayer z = (ZeroPaddingLayer) layer;
            ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
            int[] p = z.getPadding(); // top, bottom, left, right
            var pad = c.putArray("padding");
            pad.addArray().add(p[0]).add(p[1]);
            pad.addArray().add(p[2]).add(p[3]);
            c.put("data_format", "channels_last");
            out.add(name, "ZeroPadding2D", c, List.of(input), List.of());
            return new Result(name, channelsFirst(z.getDataFormat()));
        }
        if (k == Cropping2D.class) {
            Cropping2D z = (Cropping2D) layer;
            ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
            int[] p = z.getCropping(); // top, bottom, left, right
            var crop = c.putArray("cropping");
            crop.addArray().add(p[0]).add(p[1]);
            crop.addArray().add(p[2]).add(p[3]);
            c.put("data_format", "channels_last");
            out.add(name, "Cropping2D", c, List.of(input), List.of());
            return new Result(name, channelsFirst(z.getDataFormat()));
        }
        if (k == Upsampling2D.class) {
            Upsampling2D u = (Upsampling2D) layer;
            ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
            KerasConfigs.ints(c, "size", u.getSize()[0], u.getSize().length > 1 ? u.getSize()[1] : u.getSize()[0]);
            c.put("data_format", "channels_last");
            c.put("interpolation", "nearest");
            out.add(name, "UpSampling2D", c, List.of(input), List.of());
            return new Result(name, channelsFirst(u.getFormat()));
        }
        if (k == LSTM.class || k == SimpleRnn.class) {
            ObjectNode c = recurrentConfig(name, layer, true, trainable, out);
            out.add(name, k == LSTM.class ? "LSTM" : "SimpleRNN", c, List.of(input), recurrentWeights(name, layer, params, "", trainable));
            // (an old zip records no format: DL4J computes it channels first)
            return new Result(name, ((BaseRecurrentLayer) layer).getRnnDataFormat() != RNNFormat.NWC);
        }
        if (k == LastTimeStep.class) {
            Layer inner = ((LastTimeStep) layer).getUnderlying();
            if (inner.getClass() != LSTM.class && inner.getClass() != SimpleRnn.class) {
                throw new Dl4jActivations.Refusal("it wraps a " + inner.getClass().getSimpleName() + ", which graft does not translate");
            }
            ObjectNode c = recurrentConfig(name, inner, false, trainable, out);
            out.add(name, inner.getClass() == LSTM.class ? "LSTM" : "SimpleRNN", c, List.of(input), recurrentWeights(name, inner, params, "", trainable));
            return new Result(name, false);
        }
        if (k == Bidirectional.class) return bidirectional(name, (Bidirectional) layer, input, params, trainable, out);
        if (k == TimeDistributed.class) {
            // a Keras Dense on a sequence: Keras's Dense applies to the last axis of any rank, each step alike
            TimeDistributed td = (TimeDistributed) layer;
            Layer inner = td.getUnderlying();
            if (inner.getClass() != DenseLayer.class) {
                throw new Dl4jActivations.Refusal("it wraps a " + inner.getClass().getSimpleName() + ", which graft does not translate");
            }
            dense(name, (DenseLayer) inner, input, null, params, trainable, out);
            return new Result(name, td.getRnnDataFormat() == RNNFormat.NCW);
        }
        if (layer instanceof GravesLSTM || layer instanceof GravesBidirectionalLSTM) {
            throw new Dl4jActivations.Refusal("Graves LSTMs have peephole connections, which Keras's LSTM has not");
        }
        if (layer instanceof VariationalAutoencoder) {
            throw new Dl4jActivations.Refusal("a variational autoencoder layer (encoder, sampling and decoder in one) has no Keras layer");
        }
        throw new Dl4jActivations.Refusal("graft has no Keras translation for this DL4J layer");
    }

    private static Result dense(String name, org.deeplearning4j.nn.conf.layers.FeedForwardLayer layer, String input, Shape inShape,
                                Map<String, HostArray> params, boolean trainable, KerasEmitter out) {
        if (layer instanceof DenseLayer d && d.hasLayerNorm()) throw new Dl4jActivations.Refusal("its layer normalization has no Keras Dense argument");
        boolean perStep = layer instanceof RnnOutputLayer;
        if (!perStep && inShape != null && inShape.rank() != 2) {
            throw new Dl4jActivations.Refusal("it reads a " + inShape + " input without a preprocessor graft translates");
        }
        boolean useBias = !(layer instanceof BaseOutputLayer o) || o.hasBias();
        if (layer instanceof DenseLayer d) useBias = d.hasBias();
        boolean ownLayer = Dl4jActivationLayers.needsLayer(activationOf(layer));
        String weighted = ownLayer ? out.helperName(name, "linear") : name;
        ObjectNode c = KerasConfigs.base(weighted, out.dtype(), trainable);
        c.put("units", layer.getNOut());
        KerasConfigs.weighted(c, ownLayer ? "linear" : Dl4jActivations.kerasName(activationOf(layer)), useBias, "kernel");
        List<Weight> w = new ArrayList<>();
        w.add(KerasEmitter.weight(weighted, "kernel", params.get("W"), trainable));
        if (useBias) w.add(KerasEmitter.weight(weighted, "bias", KerasWeightLayouts.vector(params.get("b")), trainable));
        out.add(weighted, "Dense", c, List.of(input), w);
        if (ownLayer) Dl4jActivationLayers.add(name, activationOf(layer), weighted, true, out);
        return new Result(name, perStep && ((RnnOutputLayer) layer).getRnnDataFormat() == RNNFormat.NCW);
    }

    /**
     * A 2-d convolution, channels first or last: the Keras tensors are channels last either way, and DL4J keeps the kernel
     * as {@code [out, in, kh, kw]} in both layouts (its Keras import permutes Keras's kernel so for either).
     */
    private static Result conv2d(String name, ConvolutionLayer layer, String input, Map<String, HostArray> params, boolean trainable,
                                 KerasEmitter out) {
        String t = input;
        String padding = padding(name, layer.getConvolutionMode(), layer.getPadding(), true, out);
        if ("valid".equals(padding)) t = zeroPadding(name, layer.getPadding(), t, out);
        boolean ownLayer = Dl4jActivationLayers.needsLayer(layer.getActivationFn());
        String conv = ownLayer ? out.helperName(name, "linear") : name;
        ObjectNode c = KerasConfigs.base(conv, out.dtype(), trainable);
        c.put("filters", layer.getNOut());
        KerasConfigs.ints(c, "kernel_size", layer.getKernelSize());
        KerasConfigs.ints(c, "strides", layer.getStride());
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        KerasConfigs.ints(c, "dilation_rate", layer.getDilation());
        c.put("groups", 1);
        KerasConfigs.weighted(c, ownLayer ? "linear" : Dl4jActivations.kerasName(layer.getActivationFn()), layer.hasBias(), "kernel");
        List<Weight> w = new ArrayList<>();
        // DL4J's kernel is [out, in, kh, kw]; Keras's (kh, kw, in, out).
        w.add(KerasEmitter.weight(conv, "kernel", KerasWeightLayouts.permute(params.get("W"), 2, 3, 1, 0), trainable));
        if (layer.hasBias()) w.add(KerasEmitter.weight(conv, "bias", KerasWeightLayouts.vector(params.get("b")), trainable));
        out.add(conv, "Conv2D", c, List.of(t), w);
        if (ownLayer) Dl4jActivationLayers.add(name, layer.getActivationFn(), conv, true, out);
        return new Result(name, channelsFirst(layer.getCnn2dDataFormat()));
    }

    /**
     * A 1-d convolution (graft's zips hold one for a Keras {@code Dense} on steps, kernel 1) as Keras's {@code Conv1D}:
     * valid (no padding), same at stride 1, or causal padding; any stride and dilation; the kernel's values as they are.
     */
    private static Result conv1d(String name, org.deeplearning4j.nn.conf.layers.Convolution1DLayer layer, String input,
                                 Map<String, HostArray> params, boolean trainable, KerasEmitter out) {
        int k = layer.getKernelSize()[0];
        int stride = layer.getStride()[0];
        int dilation = layer.getDilation()[0];
        String padding = switch (layer.getConvolutionMode()) {
            case Truncate, Strict -> "valid";
            case Same -> "same";
            case Causal -> "causal";
            default -> null;
        };
        if (padding == null) throw new Dl4jActivations.Refusal("its convolution mode " + layer.getConvolutionMode() + " has no Keras padding");
        if ("valid".equals(padding) && layer.getPadding()[0] != 0) {
            throw new Dl4jActivations.Refusal("its explicit padding (" + layer.getPadding()[0] + ") has no Keras Conv1D padding");
        }
        if (!"valid".equals(padding) && stride != 1 && k > 1) {
            throw new Dl4jActivations.Refusal("'" + padding + "' padding with stride " + stride + " is placed differently by DL4J and Keras");
        }
        if (layer.getRnnDataFormat() != RNNFormat.NWC) {
            throw new Dl4jActivations.Refusal("graft translates channels-last (NWC) 1-d convolutions only");
        }
        // DL4J 1.0.0-M2.1 holds an NWC Conv1D's kernel in Keras's (k, in, out) order, whatever shape its parameter table
        // reports ([out, in, k, 1]): measured on Keras Conv1D kernels converted to zips, and checked by predictions.
        HostArray kernel = params.get("W");
        if (k == 1 && stride == 1 && dilation == 1) {
            // graft's engine computes a Keras Dense on steps as this convolution: it goes back to the Dense it was
            ObjectNode d = KerasConfigs.base(name, out.dtype(), trainable);
            d.put("units", layer.getNOut());
            KerasConfigs.weighted(d, Dl4jActivations.kerasName(layer.getActivationFn()), layer.hasBias(), "kernel");
            List<Weight> w = new ArrayList<>();
            w.add(KerasEmitter.weight(name, "kernel", kernel.reshape(layer.getNIn(), layer.getNOut()), trainable));
            if (layer.hasBias()) w.add(KerasEmitter.weight(name, "bias", KerasWeightLayouts.vector(params.get("b")), trainable));
            out.add(name, "Dense", d, List.of(input), w);
            return new Result(name, false);
        }
        ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
        c.put("filters", layer.getNOut());
        KerasConfigs.ints(c, "kernel_size", k);
        KerasConfigs.ints(c, "strides", stride);
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        KerasConfigs.ints(c, "dilation_rate", dilation);
        c.put("groups", 1);
        KerasConfigs.weighted(c, Dl4jActivations.kerasName(layer.getActivationFn()), layer.hasBias(), "kernel");
        List<Weight> w = new ArrayList<>();
        w.add(KerasEmitter.weight(name, "kernel", kernel.reshape(k, layer.getNIn(), layer.getNOut()), trainable));
        if (layer.hasBias()) w.add(KerasEmitter.weight(name, "bias", KerasWeightLayouts.vector(params.get("b")), trainable));
        out.add(name, "Conv1D", c, List.of(input), w);
        return new Result(name, false);
    }

    private static Result pooling2d(String name, SubsamplingLayer layer, String input, KerasEmitter out) {
        PoolingType type = layer.getPoolingType();
        if (type != PoolingType.MAX && type != PoolingType.AVG) {
            throw new Dl4jActivations.Refusal("its " + type + " pooling has no Keras pooling layer");
        }
        for (int d : layer.getDilation()) if (d != 1) throw new Dl4jActivations.Refusal("Keras's pooling layers have no dilation");
        for (int p : layer.getPadding()) {
            if (p != 0 && layer.getConvolutionMode() != ConvolutionMode.Same) {
                throw new Dl4jActivations.Refusal("explicit pooling padding (" + p + ") has no Keras equivalent");
            }
        }
        String padding = padding(name, layer.getConvolutionMode(), layer.getPadding(), false, out);
        if (type == PoolingType.AVG && "same".equals(padding) && layer.isAvgPoolIncludePadInDivisor()) {
            throw new Dl4jActivations.Refusal("its average counts padding in the divisor; Keras's 'same' average pooling does not");
        }
        ObjectNode c = KerasConfigs.base(name, out.dtype(), true);
        KerasConfigs.ints(c, "pool_size", layer.getKernelSize());
        KerasConfigs.ints(c, "strides", layer.getStride());
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        out.add(name, type == PoolingType.MAX ? "MaxPooling2D" : "AveragePooling2D", c, List.of(input), List.of());
        return new Result(name, channelsFirst(layer.getCnn2dDataFormat()));
    }

    /**
     * A 1-d max or average pooling as Keras's {@code MaxPooling1D} / {@code AveragePooling1D}: DL4J keeps the pooling
     * along the steps in the first entries of its 2-d fields, and pools a sequence in the layout it reads it (NCW or NWC).
     */
    private static Result pooling1d(String name, Subsampling1DLayer layer, String input, boolean inputFirst, KerasEmitter out) {
        PoolingType type = layer.getPoolingType();
        if (type != PoolingType.MAX && type != PoolingType.AVG) {
            throw new Dl4jActivations.Refusal("its " + type + " pooling has no Keras pooling layer");
        }
        if (layer.getDilation()[0] != 1) throw new Dl4jActivations.Refusal("Keras's pooling layers have no dilation");
        if (layer.getPadding()[0] != 0 && layer.getConvolutionMode() != ConvolutionMode.Same) {
            throw new Dl4jActivations.Refusal("explicit pooling padding (" + layer.getPadding()[0] + ") has no Keras equivalent");
        }
        String padding = padding(name, layer.getConvolutionMode(), layer.getPadding(), false, out);
        if (type == PoolingType.AVG && "same".equals(padding) && layer.isAvgPoolIncludePadInDivisor()) {
            throw new Dl4jActivations.Refusal("its average counts padding in the divisor; Keras's 'same' average pooling does not");
        }
        ObjectNode c = KerasConfigs.base(name, out.dtype(), true);
        KerasConfigs.ints(c, "pool_size", layer.getKernelSize()[0]);
        KerasConfigs.ints(c, "strides", layer.getStride()[0]);
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        out.add(name, type == PoolingType.MAX ? "MaxPooling1D" : "AveragePooling1D", c, List.of(input), List.of());
        return new Result(name, inputFirst);
    }

    /**
     * DL4J's PReLU as Keras's: DL4J's alpha has the shape of one input sample (its {@code inputShape}, in DL4J's layout)
     * with each shared axis (numbered from 1, after the batch axis, as Keras's {@code shared_axes}) cut to 1, as Keras's
     * alpha has. Where DL4J holds the input channels first, the channels axis moves last in the alpha and in the shared
     * axes; the values are unchanged.
     */
    private static Result prelu(String name, PReLULayer layer, String input, boolean inputFirst, Map<String, HostArray> params,
                                boolean trainable, KerasEmitter out) {
        long[] sample = layer.getInputShape();
        HostArray alpha = params.get("W");
        if (sample == null || alpha == null) throw new Dl4jActivations.Refusal("it records no input shape or no alpha");
        int rank = sample.length;
        long[] alphaShape = sample.clone();
        long[] shared = layer.getSharedAxes() == null ? new long[0] : layer.getSharedAxes();
        for (long a : shared) {
            if (a < 1 || a > rank) throw new Dl4jActivations.Refusal("it shares alpha over axis " + a + " of a rank-" + rank + " sample");
            alphaShape[(int) a - 1] = 1;
        }
        if (HostArray.size(alphaShape) != alpha.size()) {
            throw new Dl4jActivations.Refusal("its alpha holds " + alpha.size() + " values, not the " + HostArray.size(alphaShape) + " of its shape");
        }
        HostArray kerasAlpha = alpha.reshape(alphaShape);
        long[] kerasShared = shared.clone();
        boolean first = inputFirst && rank > 1;
        if (first) {
            // DL4J (c, s1, ..., sk) is Keras (s1, ..., sk, c): axis 1 becomes axis rank, axis i + 1 becomes axis i.
            int[] order = new int[rank];
            for (int i = 0; i < rank - 1; i++) order[i] = i + 1;
            order[rank - 1] = 0;
            kerasAlpha = KerasWeightLayouts.permute(kerasAlpha, order);
            for (int i = 0; i < kerasShared.length; i++) kerasShared[i] = kerasShared[i] == 1 ? rank : kerasShared[i] - 1;
            java.util.Arrays.sort(kerasShared);
        }
        ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
        c.putNull("alpha_regularizer");
        c.putNull("alpha_constraint");
        if (kerasShared.length == 0) {
            c.putNull("shared_axes");
        } else {
            var axes = c.putArray("shared_axes");
            for (long a : kerasShared) axes.add(a);
        }
        ObjectNode init = c.putObject("alpha_initializer");
        init.put("class_name", "Zeros");
        init.putObject("config");
        out.add(name, "PReLU", c, List.of(input), List.of(KerasEmitter.weight(name, "alpha", kerasAlpha, trainable)));
        return new Result(name, first);
    }

    /**
     * DL4J's batch normalisation (of a matrix's features or an image's channels, either layout) as Keras's over the same
     * axis: DL4J's {@code eps} and {@code decay} are Keras's {@code epsilon} and {@code momentum}; gamma, beta and the
     * moving mean and variance copied as they are. A gamma and beta DL4J locks to constants are weights Keras keeps (a scale
     * of 1 and an offset of 0 are left out, as {@code scale=False} and {@code center=False}).
     */
    private static Result batchNormalization(String name, BatchNormalization layer, String input, Shape inShape, boolean inputFirst,
                                             Map<String, HostArray> params, boolean trainable, KerasEmitter out) {
        HostArray variance = layer.isUseLogStd() ? varianceOfLogStd(params.get("log10stdev")) : params.get("var");
        if (variance == null || !params.containsKey("mean")) throw new Dl4jActivations.Refusal("its moving mean or variance is missing");
        if (inShape != null && inShape.rank() != 2 && inShape.rank() != 4) {
            throw new Dl4jActivations.Refusal("it normalises a rank-" + inShape.rank() + " input, which graft cannot map to a Keras axis");
        }
        // DL4J normalises an image's channels axis: axis 1 (NCHW) or 3 (NHWC) of the tensor it holds. The Keras tensor is
        // that tensor as it is, or (inputFirst) an NCHW one with the channels moved last.
        boolean image = inShape != null && inShape.rank() == 4;
        boolean nchw = layer.getCnn2DFormat() != CNN2DFormat.NHWC;
        if (image && inputFirst && !nchw) throw new Dl4jActivations.Refusal("it reads as NHWC an input DL4J holds channels first");
        int axis = image && nchw && !inputFirst ? 1 : -1;
        long n = params.get("mean").size();
        boolean locked = layer.isLockGammaBeta();
        boolean scale = !locked || layer.getGamma() != 1.0;
        boolean center = !locked || layer.getBeta() != 0.0;
        ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
        c.put("axis", axis);
        c.put("momentum", layer.getDecay());
        c.put("epsilon", layer.getEps());
        c.put("center", center);
        c.put("scale", scale);
        List<Weight> w = new ArrayList<>();
        if (scale) w.add(KerasEmitter.weight(name, "gamma", locked ? filled(n, layer.getGamma()) : KerasWeightLayouts.vector(params.get("gamma")), trainable));
        if (center) w.add(KerasEmitter.weight(name, "beta", locked ? filled(n, layer.getBeta()) : KerasWeightLayouts.vector(params.get("beta")), trainable));
        w.add(KerasEmitter.weight(name, "moving_mean", KerasWeightLayouts.vector(params.get("mean")), false));
        w.add(KerasEmitter.weight(name, "moving_variance", KerasWeightLayouts.vector(variance), false));
        out.add(name, "BatchNormalization", c, List.of(input), w);
        return new Result(name, image && inputFirst);
    }

    /**
     * DL4J's default batch normalisation keeps the moving statistics as log10 of a standard deviation; its inference
     * divides by {@code sqrt(10^(2 * log10std) + eps)} (measured: the translation below agrees with DL4J to 2.4e-7), so
     * Keras's moving variance is {@code 10^(2 * log10std)}, computed in double precision.
     */
    private static HostArray varianceOfLogStd(HostArray log10Std) {
        if (log10Std == null) return null;
        float[] v = new float[Math.toIntExact(log10Std.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) Math.pow(10, 2 * log10Std.getDouble(i));
        return HostArray.ofFloats(log10Std.shape(), v);
    }

    private static HostArray filled(long n, double value) {
        float[] v = new float[Math.toIntExact(n)];
        java.util.Arrays.fill(v, (float) value);
        return HostArray.ofFloats(new long[] {n}, v);
    }

    private static Result globalPooling(String name, GlobalPoolingLayer layer, String input, Shape inShape, KerasEmitter out) {
        PoolingType type = layer.getPoolingType();
        if (type != PoolingType.MAX && type != PoolingType.AVG) {
            throw new Dl4jActivations.Refusal("its " + type + " global pooling has no Keras layer");
        }
        if (!layer.isCollapseDimensions()) throw new Dl4jActivations.Refusal("it keeps the pooled dimensions in DL4J's layout");
        if (inShape == null || (inShape.rank() != 3 && inShape.rank() != 4)) {
            throw new Dl4jActivations.Refusal("its input shape " + inShape + " is not a sequence or an image");
        }
        int spatial = inShape.rank() - 2;
        int[] dims = layer.getPoolingDimensions();
        boolean allSpatial = dims == null || dims.length == spatial;
        if (!allSpatial) throw new Dl4jActivations.Refusal("it pools over dimensions " + java.util.Arrays.toString(dims) + ", not all positions");
        ObjectNode c = KerasConfigs.base(name, out.dtype(), true);
        c.put("data_format", "channels_last");
        c.put("keepdims", false);
        out.add(name, (type == PoolingType.MAX ? "GlobalMaxPooling" : "GlobalAveragePooling") + spatial + "D", c, List.of(input), List.of());
        return new Result(name, false);
    }

    private static Result bidirectional(String name, Bidirectional layer, String input, Map<String, HostArray> params, boolean trainable,
                                        KerasEmitter out) {
        Layer fwd = layer.getFwd();
        if (fwd.getClass() != LSTM.class && fwd.getClass() != SimpleRnn.class) {
            throw new Dl4jActivations.Refusal("it wraps a " + fwd.getClass().getSimpleName() + ", which graft does not translate");
        }
        String mode = switch (layer.getMode()) {
            case CONCAT -> "concat";
            case ADD -> "sum";
            case MUL -> "mul";
            case AVERAGE -> "ave";
        };
        String innerClass = fwd.getClass() == LSTM.class ? "LSTM" : "SimpleRNN";
        String inner = innerClass.toLowerCase(java.util.Locale.ROOT);
        ObjectNode innerConfig = recurrentConfig(inner, fwd, true, trainable, out);
        ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
        ObjectNode wrapped = c.putObject("layer");
        wrapped.put("class_name", innerClass);
        wrapped.set("config", innerConfig);
        c.put("merge_mode", mode);
        List<Weight> w = new ArrayList<>();
        w.addAll(recurrentWeights(name + "/forward_" + inner, fwd, params, "f", trainable));
        w.addAll(recurrentWeights(name + "/backward_" + inner, layer.getBwd(), params, "b", trainable));
        out.add(name, "Bidirectional", c, List.of(input), w);
        return new Result(name, layer.getRNNDataFormat() != RNNFormat.NWC); // none recorded: channels first, as DL4J computes it
    }

    private static ObjectNode recurrentConfig(String name, Layer layer, boolean returnSequences, boolean trainable, KerasEmitter out) {
        ObjectNode c = KerasConfigs.base(name, out.dtype(), trainable);
        if (layer instanceof SimpleRnn s) {
            if (s.hasLayerNorm()) throw new Dl4jActivations.Refusal("its layer normalization has no Keras SimpleRNN argument");
            return KerasConfigs.recurrent(c, s.getNOut(), Dl4jActivations.kerasName(s.getActivationFn()), null, returnSequences);
        }
        LSTM l = (LSTM) layer;
        KerasConfigs.recurrent(c, l.getNOut(), Dl4jActivations.kerasName(l.getActivationFn()),
                Dl4jActivations.kerasName(l.getGateActivationFn()), returnSequences);
        c.put("unit_forget_bias", true); // an initializer only: the weights are given
        return c;
    }

    /** Kernel, recurrent kernel and bias, from DL4J's W, RW and b (prefixed for a Bidirectional's halves); LSTM gates reordered. */
    private static List<Weight> recurrentWeights(String prefix, Layer layer, Map<String, HostArray> params, String half, boolean trainable) {
        boolean lstm = layer instanceof LSTM;
        HostArray w = params.get(half + "W");
        HostArray rw = params.get(half + "RW");
        HostArray b = KerasWeightLayouts.vector(params.get(half + "b"));
        if (lstm) {
            w = KerasWeightLayouts.lstmGates(w);
            rw = KerasWeightLayouts.lstmGates(rw);
            b = KerasWeightLayouts.lstmGates(b);
        }
        return List.of(KerasEmitter.weight(prefix, "kernel", w, trainable), KerasEmitter.weight(prefix, "recurrent_kernel", rw, trainable),
                KerasEmitter.weight(prefix, "bias", b, trainable));
    }

    /** Keras's padding mode for DL4J's convolution mode; explicit padding is added as a ZeroPadding2D before a 'valid' layer. */
    private static String padding(String name, ConvolutionMode mode, int[] explicit, boolean convolution, KerasEmitter out) {
        if (mode == ConvolutionMode.Same) return "same";
        if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) return "valid";
        throw new Dl4jActivations.Refusal("its convolution mode " + mode + " has no Keras padding");
    }

    private static String zeroPadding(String owner, int[] padding, String input, KerasEmitter out) {
        boolean any = false;
        for (int p : padding) any |= p != 0;
        if (!any) return input;
        ObjectNode c = KerasConfigs.base(out.helperName(owner, "padding"), out.dtype(), true);
        var pad = c.putArray("padding");
        pad.addArray().add(padding[0]).add(padding[0]);
        pad.addArray().add(padding[1]).add(padding[1]);
        c.put("data_format", "channels_last");
        return out.add(c.get("name").asText(), "ZeroPadding2D", c, List.of(input), List.of());
    }

    /** Whether DL4J holds an image layer's output channels first; the Keras layer is the same channels-last one either way. */
    private static boolean channelsFirst(CNN2DFormat format) {
        return format != CNN2DFormat.NHWC;
    }

    private static org.nd4j.linalg.activations.IActivation activationOf(Layer layer) {
        if (layer instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b) return b.getActivationFn();
        if (layer instanceof ActivationLayer a) return a.getActivationFn(); // a NoParamLayer, not a BaseLayer
        throw new Dl4jActivations.Refusal("graft cannot tell its activation");
    }
}
