package dev.graft.engine.layers;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code LayerNormalization} (over the feature axis: Keras's last) and {@code RMSNormalization}, trainable
 * through SameDiff's autodiff. Written from Keras 3.15's {@code ops.layer_normalization}: {@code (x - mean) ·
 * rsqrt(var + eps) · gamma + beta}; with {@code rms_scaling} {@code x · rsqrt(var + eps) · gamma} (the variance, not the
 * mean square, as Keras computes it); {@code ops.rms_normalization}: {@code x · rsqrt(mean(x²) + eps) · scale}; and
 * {@code UnitNormalization}'s {@code ops.normalize}: {@code x · min(rsqrt(Σx²), 1e12)}, without parameters.
 *
 * <p>The feature axis is where the engine's layout keeps it: the last for {@code [batch, features]}, NWC sequences
 * and NHWC images, axis 1 for NCW and NCHW. Parameters are {@code [1, features]} rows of Keras's {@code (features,)}.
 */
public class KerasNormalizationLayer extends SameDiffLayer implements DirectInferenceLayer {
    public static final String GAMMA = "gamma";
    public static final String BETA = "beta";

    /** What the layer computes. */
    public enum Mode { LAYER, LAYER_RMS_SCALING, RMS, UNIT }

    private Mode mode = Mode.LAYER;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private long features;
    /** The feature axis of the engine's array, or -1 for the last. */
    private int featureAxis = -1;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected KerasNormalizationLayer() {
    }

    protected KerasNormalizationLayer(Builder b) {
        super(b);
        this.mode = b.mode;
        this.epsilon = b.epsilon;
        this.center = b.center && b.mode == Mode.LAYER;
        this.scale = b.scale && b.mode != Mode.UNIT;
    }

    /** Builds a {@link KerasNormalizationLayer}; the feature count comes from the input type. */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private Mode mode = Mode.LAYER;
        private double epsilon = 1e-3;
        private boolean center = true;
        private boolean scale = true;

        public Builder mode(Mode mode) { this.mode = mode; return this; }
        public Builder epsilon(double epsilon) { this.epsilon = epsilon; return this; }
        public Builder center(boolean center) { this.center = center; return this; }
        public Builder scale(boolean scale) { this.scale = scale; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public KerasNormalizationLayer build() {
            return new KerasNormalizationLayer(this);
        }
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        if (scale) params.addWeightParam(GAMMA, 1, features);
        if (center) params.addBiasParam(BETA, 1, features);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        if (scale) params.get(GAMMA).assign(1);
        if (center) params.get(BETA).assign(0);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> paramTable, SDVariable mask) {
        long[] shape = x.getShape();
        int rank = shape.length;
        int axis = featureAxis < 0 ? rank - 1 : featureAxis;
        long[] broadcast = new long[rank];
        java.util.Arrays.fill(broadcast, 1);
        broadcast[axis] = features;
        SDVariable y;
        if (mode == Mode.UNIT) {
            // Keras's ops.normalize(order=2): x · min(rsqrt(Σx²), 1/1e-12)
            y = x.mul(sd.math.rsqrt(sd.scalarMax(sd.sum(x.mul(x), true, axis), 1e-24)));
        } else if (mode == Mode.RMS) {
            SDVariable meanSquare = sd.mean(x.mul(x), true, axis);
            y = x.mul(sd.math.rsqrt(meanSquare.add(epsilon)));
        } else {
            SDVariable mean = sd.mean(x, true, axis);
            SDVariable d = x.sub(mean);
            SDVariable inv = sd.math.rsqrt(sd.mean(d.mul(d), true, axis).add(epsilon));
            y = (mode == Mode.LAYER_RMS_SCALING ? x : d).mul(inv);
        }
        if (scale) y = y.mul(sd.reshape(paramTable.get(GAMMA), broadcast));
        if (center) y = y.add(sd.reshape(paramTable.get(BETA), broadcast));
        return y;
    }

    /**
     * The normalisation over a last feature axis of a float array on the heap ({@link LastAxisNormalization}), the graph's
     * arithmetic step for step; null (SameDiff computes it) for a feature axis that is not the last or another data type.
     */
    @Override
    public INDArray inferDirectly(INDArray x, Map<String, INDArray> params) {
        int rank = x.rank();
        if (x.dataType() != DataType.FLOAT || rank < 2 || (featureAxis >= 0 && featureAxis != rank - 1) || x.size(rank - 1) != features) return null;
        float[] gamma = scale ? RowProducts.floatValues(params.get(GAMMA)) : null;
        float[] beta = center ? RowProducts.floatValues(params.get(BETA)) : null;
        if ((scale && (gamma == null || gamma.length != features)) || (center && (beta == null || beta.length != features))) return null;
        float[] y = LastAxisNormalization.apply(HeapFloats.read(x), (int) features, mode, (float) epsilon, gamma, beta);
        return HeapFloats.array(y, x.shape());
    }

    /**
     * {@link #inferDirectly}'s arithmetic as a step of {@link HeapGraphInference} on {@code [steps, features]} samples in
     * batch columns (each step normalised on its own); null when the feature axis is not the last or a parameter is not float.
     */
    HeapGraphInference.Step columnStep(Map<String, INDArray> params) {
        if (featureAxis >= 0 && featureAxis != 2) return null;
        float[] gamma = scale ? RowProducts.floatValues(params.get(GAMMA)) : null;
        float[] beta = center ? RowProducts.floatValues(params.get(BETA)) : null;
        if ((scale && (gamma == null || gamma.length != features)) || (center && (beta == null || beta.length != features))) return null;
        int n = (int) features;
        Mode m = mode;
        float eps = (float) epsilon;
        return in -> {
            HeapGraphInference.BatchColumns x = in[0];
            if (x.features() != n) return null;
            HeapGraphInference.BatchColumns y = new HeapGraphInference.BatchColumns(new float[x.columns().length][x.batch()], x.steps(), n, x.batch());
            for (int t = 0; t < x.steps(); t++) LastAxisNormalization.normalise(x.step(t), y.step(t), x.batch(), m, eps, gamma, beta);
            return y;
        };
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        long n;
        int axis = -1;
        switch (inputType.getType()) {
            case FF -> n = ((InputType.InputTypeFeedForward) inputType).getSize();
            case RNN -> {
                InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) inputType;
                n = r.getSize();
                if (r.getFormat() == RNNFormat.NCW) axis = 1;
            }
            case CNN -> {
                InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) inputType;
                n = c.getChannels();
                if (c.getFormat() == CNN2DFormat.NCHW) axis = 1;
            }
            default -> throw new IllegalStateException("normalization layer " + getLayerName() + " cannot take " + inputType);
        }
        if (features <= 0 || override) {
            features = n;
            featureAxis = axis;
        }
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

    public Mode getMode() { return mode; }
    public void setMode(Mode mode) { this.mode = mode; }
    public double getEpsilon() { return epsilon; }
    public void setEpsilon(double epsilon) { this.epsilon = epsilon; }
    public boolean isCenter() { return center; }
    public void setCenter(boolean center) { this.center = center; }
    public boolean isScale() { return scale; }
    public void setScale(boolean scale) { this.scale = scale; }
    public long getFeatures() { return features; }
    public void setFeatures(long features) { this.features = features; }
    public int getFeatureAxis() { return featureAxis; }
    public void setFeatureAxis(int featureAxis) { this.featureAxis = featureAxis; }
}
