package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.Weight;

/**
 * Keras's Conv1D, MaxPooling1D, AveragePooling1D, Flatten, Reshape and Dense computed in plain loops, in double precision, from a layer's
 * configuration and weights: the independent reference the engine's results are compared with.
 * Written from Keras's definitions, not from DL4J's: padding "valid" uses no padding, "causal" pads
 * {@code (k-1)·d} on the left, "same" pads {@code max((out-1)·s + (k-1)·d + 1 - steps, 0)} in total,
 * the smaller half on the left, with {@code out = ceil(steps / s)}.
 */
final class ReferenceKeras {
    private ReferenceKeras() {
    }

    static HostArray apply(Layer layer, HostArray x) {
        return switch (layer.className()) {
            case "Conv1D" -> conv1d(layer, x);
            case "Flatten" -> HostArray.ofFloats(new long[] {x.shape()[0], x.size() / x.shape()[0]}, x.toFloatArray());
            case "Dense" -> dense(layer, x);
            case "MaxPooling1D", "AveragePooling1D" -> pool1d(layer, x);
            case "Reshape" -> reshape(layer, x);
            default -> throw new IllegalArgumentException("no reference for " + layer);
        };
    }

    /** Conv1D on {@code (batch, channels, steps)} or {@code (batch, steps, channels)} as the layer's data_format says. */
    static HostArray conv1d(Layer layer, HostArray x) {
        JsonNode c = layer.config();
        boolean channelsFirst = "channels_first".equals(c.path("data_format").asText("channels_last"));
        int k = c.path("kernel_size").get(0).asInt();
        int s = c.path("strides").get(0).asInt();
        int d = c.path("dilation_rate").get(0).asInt();
        String padding = c.path("padding").asText();
        float[] kernel = weight(layer, "kernel").read().toFloatArray();   // (k, in, out)
        Weight biasWeight = c.path("use_bias").asBoolean(true) ? weight(layer, "bias") : null;
        float[] bias = biasWeight == null ? null : biasWeight.read().toFloatArray();

        long[] xs = x.shape();
        int batch = (int) xs[0];
        int channels = (int) (channelsFirst ? xs[1] : xs[2]);
        int steps = (int) (channelsFirst ? xs[2] : xs[1]);
        int filters = (int) weight(layer, "kernel").shape()[2];
        int span = (k - 1) * d + 1;
        int out;
        int left;
        switch (padding) {
            case "valid" -> {
                out = (steps - span) / s + 1;
                left = 0;
            }
            case "causal" -> {
                out = (steps - 1) / s + 1;
                left = span - 1;
            }
            case "same" -> {
                out = (steps + s - 1) / s;
                left = Math.max((out - 1) * s + span - steps, 0) / 2;
            }
            default -> throw new IllegalArgumentException("padding " + padding);
        }
        float[] in = x.toFloatArray();
        double[] y = new double[batch * filters * out];
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < filters; f++) {
                for (int o = 0; o < out; o++) {
                    double sum = bias == null ? 0 : bias[f];
                    for (int j = 0; j < k; j++) {
                        int t = o * s + j * d - left;
                        if (t < 0 || t >= steps) continue;   // zero padding
                        for (int ch = 0; ch < channels; ch++) {
                            int xi = channelsFirst ? (b * channels + ch) * steps + t : (b * steps + t) * channels + ch;
                            sum += kernel[(j * channels + ch) * filters + f] * (double) in[xi];
                        }
                    }
                    int yi = channelsFirst ? (b * filters + f) * out + o : (b * out + o) * filters + f;
                    y[yi] = sum;
                }
            }
        }
        long[] shape = channelsFirst ? new long[] {batch, filters, out} : new long[] {batch, out, filters};
        return activate(c.path("activation").asText("linear"), shape, y);
    }

    /**
     * MaxPooling1D or AveragePooling1D on {@code (batch, steps, channels)}: windows placed as Conv1D's
     * "valid" and "same" place them; padded positions take no part (the average divides by the
     * positions inside the sequence), as in Keras.
     */
    static HostArray pool1d(Layer layer, HostArray x) {
        JsonNode c = layer.config();
        boolean max = "MaxPooling1D".equals(layer.className());
        int k = c.path("pool_size").get(0).asInt();
        int s = c.path("strides").get(0).asInt();
        long[] xs = x.shape();
        int batch = (int) xs[0], steps = (int) xs[1], channels = (int) xs[2];
        int out;
        int left;
        switch (c.path("padding").asText()) {
            case "valid" -> {
                out = (steps - k) / s + 1;
                left = 0;
            }
            case "same" -> {
                out = (steps + s - 1) / s;
                left = Math.max((out - 1) * s + k - steps, 0) / 2;
            }
            default -> throw new IllegalArgumentException("padding " + c.path("padding").asText());
        }
        float[] in = x.toFloatArray();
        float[] y = new float[batch * out * channels];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                for (int ch = 0; ch < channels; ch++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int n = 0;
                    for (int j = 0; j < k; j++) {
                        int t = o * s + j - left;
                        if (t < 0 || t >= steps) continue;
                        double v = in[(b * steps + t) * channels + ch];
                        acc = max ? Math.max(acc, v) : acc + v;
                        n++;
                    }
                    y[(b * out + o) * channels + ch] = (float) (max ? acc : acc / n);
                }
            }
        }
        return HostArray.ofFloats(new long[] {batch, out, channels}, y);
    }

    /** Keras's Reshape: the same values, row-major, in the target shape. */
    static HostArray reshape(Layer layer, HostArray x) {
        JsonNode t = layer.config().path("target_shape");
        long[] shape = new long[t.size() + 1];
        shape[0] = x.shape()[0];
        for (int i = 0; i < t.size(); i++) shape[i + 1] = t.get(i).asLong();
        return HostArray.ofFloats(shape, x.toFloatArray());
    }

    /** Dense on the last axis (of a batch of vectors or of sequences). */
    static HostArray dense(Layer layer, HostArray x) {
        float[] kernel = weight(layer, "kernel").read().toFloatArray();   // (in, units)
        float[] bias = weight(layer, "bias").read().toFloatArray();
        long[] ks = weight(layer, "kernel").shape();
        int n = (int) ks[0], units = (int) ks[1];
        float[] in = x.toFloatArray();
        int rows = in.length / n;
        double[] y = new double[rows * units];
        for (int r = 0; r < rows; r++) {
            for (int u = 0; u < units; u++) {
                double sum = bias[u];
                for (int i = 0; i < n; i++) sum += (double) in[r * n + i] * kernel[i * units + u];
                y[r * units + u] = sum;
            }
        }
        long[] shape = x.shape();
        shape[shape.length - 1] = units;
        return activate(layer.config().path("activation").asText("linear"), shape, y);
    }

    /** Element-wise activations; softmax over the last axis, as Keras's. */
    private static HostArray activate(String activation, long[] shape, double[] v) {
        float[] out = new float[v.length];
        int lastAxis = (int) shape[shape.length - 1];
        if ("softmax".equals(activation)) {
            for (int start = 0; start < v.length; start += lastAxis) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int i = start; i < start + lastAxis; i++) max = Math.max(max, v[i]);
                for (int i = start; i < start + lastAxis; i++) sum += Math.exp(v[i] - max);
                for (int i = start; i < start + lastAxis; i++) out[i] = (float) (Math.exp(v[i] - max) / sum);
            }
            return HostArray.ofFloats(shape, out);
        }
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) switch (activation) {
                case "linear" -> v[i];
                case "relu" -> Math.max(0, v[i]);
                case "tanh" -> Math.tanh(v[i]);
                case "sigmoid" -> 1 / (1 + Math.exp(-v[i]));
                default -> throw new IllegalArgumentException("activation " + activation);
            };
        }
        return HostArray.ofFloats(shape, out);
    }

    private static Weight weight(Layer layer, String role) {
        return layer.weights().stream().filter(w -> role.equals(w.role())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(layer + " has no " + role));
    }

    static double maxAbsDiff(HostArray a, HostArray b) {
        double m = 0;
        for (long i = 0; i < a.size(); i++) m = Math.max(m, Math.abs(a.getDouble(i) - b.getDouble(i)));
        return m;
    }
}
