package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.Cnn3DToFeedForwardPreProcessor;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Keras's Flatten of a channels-last volume {@code (batch, depth, height, width, channels)}, row-major: DL4J's
 * {@link Cnn3DToFeedForwardPreProcessor} in its NDHWC mode, with its size taken from graft's shape of the volume.
 * Its output type is that size whatever DL4J's import hands it: DL4J's Keras import asks a Flatten's step for its
 * output type again with the already flat type, and its 3-d pooling reports wrong sizes for channels-last volumes.
 */
public class VolumeFlattenPreprocessor extends Cnn3DToFeedForwardPreProcessor {

    public VolumeFlattenPreprocessor(@JsonProperty("inputDepth") long depth, @JsonProperty("inputHeight") long height,
            @JsonProperty("inputWidth") long width, @JsonProperty("numChannels") long channels) {
        super(depth, height, width, channels, false);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return InputType.feedForward(getInputDepth() * getInputHeight() * getInputWidth() * getNumChannels());
    }

    @Override
    public VolumeFlattenPreprocessor clone() {
        return (VolumeFlattenPreprocessor) super.clone();
    }
}
