package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.Shape;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

/**
 * DL4J's input preprocessors as the Keras layers that reshape the same way. DL4J flattens and
 * unflattens images channels first ({@code c, h, w} order), Keras channels last: a Permute of the
 * positions and channels axes between Reshapes gives exactly DL4J's element order.
 */
final class Dl4jPreprocessors {
    private Dl4jPreprocessors() {
    }

    /** The tensor the layer reads after the preprocessor, and its Keras shape when the preprocessor fixes it. */
    record Result(String tensor, Shape shape) {
    }

    static Result translate(String owner, InputPreProcessor p, String input, KerasEmitter out) {
        return translate(owner, p, input, out, false);
    }

    /**
     * @param named whether the last Keras layer takes the owner's name: a graph's preprocessor vertex is a Keras layer of
     *              its own (a Flatten), which keeps its name; a layer's preprocessor comes before the layer that has it
     */
    static Result translate(String owner, InputPreProcessor p, String input, KerasEmitter out, boolean named) {
        if (p instanceof CnnToFeedForwardPreProcessor c) {
            String t = input;
            if (c.getFormat() != CNN2DFormat.NHWC && c.getNumChannels() > 1) {
                // (h, w, c) -> (h*w, c) -> (c, h*w): DL4J's c, h, w order, with the one two-axis Permute graft computes.
                t = reshape(owner, t, out, c.getInputHeight() * c.getInputWidth(), c.getNumChannels());
                t = permute(owner, t, out, 2, 1);
            }
            ObjectNode f = KerasConfigs.base(named ? owner : out.helperName(owner, "flatten"), out.dtype(), true);
            f.put("data_format", "channels_last");
            t = out.add(f.get("name").asText(), "Flatten", f, List.of(t), List.of());
            return new Result(t, Shape.batchOf(List.of(c.getInputHeight() * c.getInputWidth() * c.getNumChannels())));
        }
        if (p instanceof FeedForwardToCnnPreProcessor c) {
            // DL4J M2.1's FeedForwardToCnnPreProcessor reshapes to NCHW only: rows of c, h, w values, read as
            // (c, h*w) -> (h*w, c) -> (h, w, c).
            String t = input;
            if (c.getNumChannels() > 1) {
                t = reshape(owner, t, out, c.getNumChannels(), c.getInputHeight() * c.getInputWidth());
                t = permute(owner, t, out, 2, 1);
            }
            t = reshape(owner, t, out, named, c.getInputHeight(), c.getInputWidth(), c.getNumChannels());
            return new Result(t, Shape.batchOf(List.of(c.getInputHeight(), c.getInputWidth(), c.getNumChannels())));
        }
        throw new Dl4jActivations.Refusal("its input preprocessor " + p.getClass().getSimpleName() + " has no Keras translation");
    }

    private static String reshape(String owner, String input, KerasEmitter out, long... target) {
        return reshape(owner, input, out, false, target);
    }

    private static String reshape(String owner, String input, KerasEmitter out, boolean named, long... target) {
        ObjectNode c = KerasConfigs.base(named ? owner : out.helperName(owner, "reshape"), out.dtype(), true);
        KerasConfigs.ints(c, "target_shape", target);
        return out.add(c.get("name").asText(), "Reshape", c, List.of(input), List.of());
    }

    private static String permute(String owner, String input, KerasEmitter out, int... dims) {
        ObjectNode c = KerasConfigs.base(out.helperName(owner, "permute"), out.dtype(), true);
        KerasConfigs.ints(c, "dims", dims);
        return out.add(c.get("name").asText(), "Permute", c, List.of(input), List.of());
    }
}
