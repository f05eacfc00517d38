package dev.graft.engine.layers;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code GroupNormalization} over the last axis, trainable through SameDiff's autodiff. Written from Keras
 * 3.15's {@code GroupNormalization.call}: the channels split into {@code groups} consecutive runs; each sample's group
 * is normalised over its channels and every other non-batch axis with {@code (x - mean) · rsqrt(var + eps)}, then
 * scaled by {@code gamma} and shifted by {@code beta} per channel. {@code groups = -1} (one group per channel) arrives
 * here as the channel count. The array is Keras's, whatever DL4J's description (features, NWC sequence, NHWC image):
 * the channels are its last axis. Parameters are {@code [1, channels]} rows of Keras's {@code (channels,)}.
 */
public class KerasGroupNormalizationLayer extends SameDiffLayer {
    public static final String GAMMA = "gamma";
    public static final String BETA = "beta";

    private int groups = 1;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private long channels;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected KerasGroupNormalizationLayer() {
    }

    protected KerasGroupNormalizationLayer(Builder b) {
        super(b);
        this.groups = b.groups;
        this.epsilon = b.epsilon;
        this.center = b.center;
        this.scale = b.scale;
    }

    /** Builds a {@link KerasGroupNormalizationLayer}; the channel count comes from the input type. */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private int groups = 1;
        private double epsilon = 1e-3;
        private boolean center = true;
        private boolean scale = true;

        /** The number of groups, or -1 for one per channel. */
        public Builder groups(int groups) { this.groups = groups; return this; }
        public Builder epsilon(double epsilon) { this.epsilon = epsilon; return this; }
        public Builder center(boolean center) { this.center = center; return this; }
        public Builder scale(boolean scale) { this.scale = scale; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public KerasGroupNormalizationLayer build() {
            return new KerasGroupNormalizationLayer(this);
        }
    }

    private long groupCount() {
        return groups < 0 ? channels : groups;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        if (scale) params.addWeightParam(GAMMA, 1, channels);
        if (center) params.addBiasParam(BETA, 1, channels);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        if (scale) params.get(GAMMA).assign(1);
        if (center) params.get(BETA).assign(0);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> paramTable, SDVariable mask) {
        long[] shape = x.getShape().clone();
        shape[0] = -1;
        long spatial = 1;
        for (int i = 1; i < shape.length - 1; i++) spatial *= shape[i];
        long g = groupCount();
        long perGroup = channels / g;
        SDVariable grouped = sd.reshape(x, -1, spatial, g, perGroup);
        SDVariable mean = sd.mean(grouped, true, 1, 3);
        SDVariable d = grouped.sub(mean);
        SDVariable inv = sd.math.rsqrt(sd.mean(d.mul(d), true, 1, 3).add(epsilon));
        SDVariable y = d.mul(inv);
        if (scale) y = y.mul(sd.reshape(paramTable.get(GAMMA), 1, 1, g, perGroup));
        if (center) y = y.add(sd.reshape(paramTable.get(BETA), 1, 1, g, perGroup));
        return sd.reshape(y, shape);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        long n = switch (inputType.getType()) {
            case FF -> ((InputType.InputTypeFeedForward) inputType).getSize();
            case RNN -> KerasSequenceAxes.of((InputType.InputTypeRecurrent) inputType).axis2();
            case CNN -> {
                InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) inputType;
                if (c.getFormat() != CNN2DFormat.NHWC) throw new IllegalStateException("GroupNormalization layer " + getLayerName()
                        + " takes channels-last images; its input is " + inputType);
                yield c.getChannels();
            }
            default -> throw new IllegalStateException("GroupNormalization layer " + getLayerName() + " cannot take " + inputType);
        };
        if (channels <= 0 || override) channels = n;
        if (channels > 0 && channels % groupCount() != 0) {
            throw new IllegalStateException("GroupNormalization layer " + getLayerName() + ": " + channels + " channels do not split into "
                    + groupCount() + " groups");
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

    public int getGroups() { return groups; }
    public void setGroups(int groups) { this.groups = groups; }
    public double getEpsilon() { return epsilon; }
    public void setEpsilon(double epsilon) { this.epsilon = epsilon; }
    public boolean isCenter() { return center; }
    public void setCenter(boolean center) { this.center = center; }
    public boolean isScale() { return scale; }
    public void setScale(boolean scale) { this.scale = scale; }
    public long getChannels() { return channels; }
    public void setChannels(long channels) { this.channels = channels; }
}
