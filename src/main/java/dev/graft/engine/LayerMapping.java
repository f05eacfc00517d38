package dev.graft.engine;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where each element of one layer's engine parameters came from in its Keras weights, as a probe
 * showed it (see {@link ProbeCodes}), and the inverse: trained engine parameters back into arrays
 * in Keras's layout. An engine element that came from no Keras element is a constant DL4J put
 * there itself (a BatchNormalization without {@code scale} gets a gamma of ones); it is fine as
 * long as training leaves it as it was, since Keras has nowhere to keep it.
 */
final class LayerMapping {
    private final Layer layer;
    private final long[] offsets;
    private final Map<String, long[]> shapes;
    private final Map<String, int[]> sources;
    private final Map<String, double[]> constants;
    private final boolean[] covered;

    private LayerMapping(Layer layer, long[] offsets, Map<String, long[]> shapes, Map<String, int[]> sources,
                         Map<String, double[]> constants, boolean[] covered) {
        this.layer = layer;
        this.offsets = offsets;
        this.shapes = shapes;
        this.sources = sources;
        this.constants = constants;
        this.covered = covered;
    }

    /** Start of each Keras weight in the layer's concatenated element numbering, plus the total at the end. */
    static long[] offsets(Layer layer) {
        List<Weight> ws = layer.weights();
        long[] o = new long[ws.size() + 1];
        for (int i = 0; i < ws.size(); i++) o[i + 1] = o[i] + ws.get(i).size();
        return o;
    }

    static EngineException refusal(Layer layer, String reason) {
        return new EngineException("layer '" + layer.name() + "' (" + layer.className() + "): its DL4J parameters cannot be mapped"
                + " back to Keras's weights (" + reason + "); write the trained model as .zip");
    }

    /** How many Keras elements no engine parameter holds (the engine replaced them by constants, or ignores them). */
    long uncoveredCount() {
        long n = 0;
        for (boolean c : covered) if (!c) n++;
        return n;
    }

    /**
     * The layer's Keras weights holding the trained values: same names, shapes, types and order.
     * Elements the engine never held keep their original values.
     */
    List<Weight> toKeras(Map<String, INDArray> trained) {
        if (trained == null || !trained.keySet().equals(shapes.keySet())) {
            throw refusal(layer, "the trained network has parameters " + (trained == null ? "none" : trained.keySet())
                    + " where the model gives " + shapes.keySet());
        }
        List<Weight> originals = layer.weights();
        Object[] data = new Object[originals.size()];
        for (int j = 0; j < originals.size(); j++) data[j] = startingValues(j);
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = e.getKey();
            INDArray param = trained.get(name);
            if (!Arrays.equals(param.shape(), e.getValue())) {
                throw refusal(layer, "trained parameter '" + name + "' has shape " + Arrays.toString(param.shape())
                        + " where the model gives " + Arrays.toString(e.getValue()));
            }
            double[] values = param.dup('c').castTo(DataType.DOUBLE).data().asDouble();
            int[] from = sources.get(name);
            double[] fixed = constants.get(name);
            for (int i = 0; i < from.length; i++) {
                int k = from[i];
                if (k < 0) {
                    // Bitwise, so that a NaN (something DL4J computed from the weights) never passes.
                    if (Double.doubleToLongBits(values[i]) != Double.doubleToLongBits(fixed[i])) {
                        throw refusal(layer, "training changed DL4J parameter '" + name + "' where Keras has no weight to keep it");
                    }
                    continue;
                }
                int j = weightOf(k);
                int at = (int) (k - offsets[j]);
                if (data[j] instanceof float[] f) f[at] = (float) values[i];
                else ((double[]) data[j])[at] = values[i];
            }
        }
        List<Weight> out = new ArrayList<>();
        for (int j = 0; j < originals.size(); j++) {
            Weight w = originals.get(j);
            out.add(Weight.inMemory(w.name(), hostArray(w, data[j]), w.trainable()));
        }
        return out;
    }

    private Object startingValues(int j) {
        Weight w = layer.weights().get(j);
        boolean complete = true;
        for (long k = offsets[j]; k < offsets[j + 1] && complete; k++) complete = covered[(int) k];
        int n = Math.toIntExact(w.size());
        if (w.dtype() == DType.FLOAT64) return complete ? new double[n] : w.read().toDoubleArray();
        return complete ? new float[n] : w.read().toFloatArray();
    }

    private static HostArray hostArray(Weight w, Object data) {
        long[] shape = w.shape();
        switch (w.dtype()) {
            case FLOAT64: return HostArray.ofDoubles(shape, (double[]) data);
            case FLOAT32: return HostArray.ofFloats(shape, (float[]) data);
            case FLOAT16: {
                float[] f = (float[]) data;
                for (int i = 0; i < f.length; i++) f[i] = roundToHalf(f[i]);
                return HostArray.ofHalfs(shape, f);
            }
            default: throw new IllegalStateException(w.dtype().toString());
        }
    }

    /** The float16 value nearest to {@code f} (ties to even), as a float; the engine trains float16 weights in float32. */
    static float roundToHalf(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) return f;
        double a = Math.abs(f);
        if (a >= 65520) return Math.copySign(Float.POSITIVE_INFINITY, f);
        int exponent = Math.max(Math.getExponent(f), -14);
        double quantum = Math.scalb(1.0, exponent - 10);
        return (float) (Math.rint(f / quantum) * quantum);
    }

    private int weightOf(long k) {
        int lo = 0, hi = offsets.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (offsets[mid] <= k) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** Collects what the probe rounds show for one layer. */
    static final class Builder {
        private final Layer layer;
        private final ProbeCodes codes;
        private final long[] offsets;
        private final Map<String, long[]> shapes = new LinkedHashMap<>();
        private final Map<String, long[]> indices = new LinkedHashMap<>();
        private final Map<String, double[]> constants = new LinkedHashMap<>();

        Builder(Layer layer, ProbeCodes codes) {
            this.layer = layer;
            this.codes = codes;
            this.offsets = offsets(layer);
            for (Weight w : layer.weights()) {
                if (!w.dtype().isFloating()) throw refusal(layer, "weight '" + w.name() + "' holds " + w.dtype().kerasName() + " values");
            }
            if (total() > Integer.MAX_VALUE) throw refusal(layer, "more than 2^31 weight elements");
        }

        long total() {
            return offsets[offsets.length - 1];
        }

        int rounds() {
            return codes.rounds(total());
        }

        /** What the engine built from the probe of the given round holds for this layer. */
        void addRound(int round, Map<String, INDArray> params) {
            if (params == null || params.isEmpty()) throw refusal(layer, "the engine holds no parameters for it");
            if (round == 0) {
                for (Map.Entry<String, INDArray> e : params.entrySet()) {
                    long n = e.getValue().length();
                    if (n > Integer.MAX_VALUE) throw refusal(layer, "DL4J parameter '" + e.getKey() + "' is too large");
                    shapes.put(e.getKey(), e.getValue().shape());
                    indices.put(e.getKey(), new long[(int) n]);
                }
            } else if (!params.keySet().equals(shapes.keySet())) {
                throw new IllegalStateException("probe rounds disagree on the parameters of " + layer.name());
            }
            long scale = codes.scale(round);
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                String name = e.getKey();
                double[] values = e.getValue().dup('c').castTo(DataType.DOUBLE).data().asDouble();
                long[] acc = indices.get(name);
                for (int i = 0; i < values.length; i++) {
                    long digit = codes.digit(values[i]);
                    boolean constant = round == 0 ? digit < 0 : acc[i] < 0;
                    if (round == 0 && constant) {
                        acc[i] = -1;
                        constants.computeIfAbsent(name, k -> new double[values.length])[i] = values[i];
                    } else if (constant != digit < 0) {
                        throw refusal(layer, "DL4J parameter '" + name + "' is not a plain copy of its Keras weights");
                    } else if (!constant) {
                        acc[i] += digit * scale;
                    }
                }
            }
        }

        LayerMapping finish() {
            boolean[] covered = new boolean[(int) total()];
            Map<String, int[]> sources = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : indices.entrySet()) {
                long[] acc = e.getValue();
                int[] src = new int[acc.length];
                for (int i = 0; i < acc.length; i++) {
                    long k = acc[i];
                    if (k >= total()) throw refusal(layer, "DL4J parameter '" + e.getKey() + "' is not a plain copy of its Keras weights");
                    if (k >= 0) {
                        if (covered[(int) k]) throw refusal(layer, "one Keras weight element feeds several DL4J parameter elements");
                        covered[(int) k] = true;
                    }
                    src[i] = (int) k;
                }
                sources.put(e.getKey(), src);
            }
            boolean any = false;
            for (boolean c : covered) any |= c;
            if (!any) throw refusal(layer, "DL4J holds none of its Keras weights as they are");
            return new LayerMapping(layer, offsets, shapes, sources, constants, covered);
        }
    }
}
