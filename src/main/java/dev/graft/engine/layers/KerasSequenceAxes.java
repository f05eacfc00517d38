package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * A rank-3 Keras tensor {@code (batch, axis1, axis2)} as DL4J's Keras import describes it. DL4J labels
 * every sequence with an {@link RNNFormat} that tells how the array is laid out, and its importer keeps
 * Keras's arrays as they are: an NWC type {@code (size s, length l)} is the array {@code [batch, l, s]},
 * an NCW one {@code [batch, s, l]}. Reading the label back gives Keras's own axes, whatever Keras meant
 * by them (a channels-first layer reads {@code axis1} as channels, a channels-last one as steps).
 *
 * <p>A value of 0 or -1 is an axis DL4J does not know (a number of steps Keras leaves open).
 */
public record KerasSequenceAxes(long axis1, long axis2) {

    public static KerasSequenceAxes of(InputType.InputTypeRecurrent type) {
        return type.getFormat() == RNNFormat.NCW
                ? new KerasSequenceAxes(type.getSize(), type.getTimeSeriesLength())
                : new KerasSequenceAxes(type.getTimeSeriesLength(), type.getSize());
    }

    /**
     * The DL4J description of {@code (batch, axis1, axis2)} in the convention of DL4J's imported
     * channels-last layers (NWC: {@code axis1} read as steps, {@code axis2} as features), which is how
     * every following Keras layer except a channels-first one reads a sequence.
     */
    public InputType asChannelsLastType() {
        return InputType.recurrent(axis2, axis1, RNNFormat.NWC);
    }
}
