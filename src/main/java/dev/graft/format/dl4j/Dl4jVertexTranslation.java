package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.Shape;
import java.util.List;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;

/** DL4J's graph vertices as Keras merge layers. */
final class Dl4jVertexTranslation {
    private Dl4jVertexTranslation() {
    }

    /**
     * @param channelsFirst per input, whether DL4J holds it channels first (a merge along DL4J's
     *                      axis 1 is then Keras's last axis)
     */
    static Dl4jLayerTranslation.Result translate(String name, GraphVertex v, List<String> inputs, List<Shape> shapes,
                                                 List<Boolean> channelsFirst, KerasEmitter out) {
        ObjectNode c = KerasConfigs.base(name, out.dtype(), true);
        if (v instanceof MergeVertex m) {
            int rank = shapes.get(0) == null ? -1 : shapes.get(0).rank();
            boolean allFirst = channelsFirst.stream().allMatch(b -> b);
            boolean allLast = channelsFirst.stream().noneMatch(b -> b);
            // Keras's last axis is DL4J's axis 1 for a (batch, features) matrix and channels-first data (NCW, NCHW),
            // and DL4J's last axis for channels-last data (NWC).
            boolean features = (m.getMergeAxis() == 1 && (rank == 2 || (rank > 2 && allFirst)))
                    || (rank > 2 && m.getMergeAxis() == rank - 1 && allLast);
            if (!features) {
                throw new Dl4jActivations.Refusal("it merges along DL4J axis " + m.getMergeAxis() + " of inputs whose layout graft cannot"
                        + " map to a Keras axis");
            }
            c.put("axis", -1);
            out.add(name, "Concatenate", c, inputs, List.of());
            return new Dl4jLayerTranslation.Result(name, rank > 2 && allFirst);
        }
        if (v instanceof ElementWiseVertex e) {
            String cls = switch (e.getOp()) {
                case Add -> "Add";
                case Subtract -> "Subtract";
                case Product -> "Multiply";
                case Average -> "Average";
                case Max -> "Maximum";
            };
            out.add(name, cls, c, inputs, List.of());
            return new Dl4jLayerTranslation.Result(name, channelsFirst.stream().allMatch(b -> b));
        }
        if (v instanceof ScaleVertex sv && inputs.size() == 1) {
            // graft's engine gives each layer that shares an input its own copy (x * 1); any other factor is a Rescaling
            if (sv.getScaleFactor() == 1.0) return new Dl4jLayerTranslation.Result(inputs.get(0), channelsFirst.get(0));
            c.put("scale", sv.getScaleFactor());
            c.put("offset", 0.0);
            out.add(name, "Rescaling", c, inputs, List.of());
            return new Dl4jLayerTranslation.Result(name, channelsFirst.get(0));
        }
        if (v instanceof PreprocessorVertex pv && inputs.size() == 1) {
            // a Keras Flatten of an image (or its inverse) in a graph: the preprocessor of a layer, on its own
            Dl4jPreprocessors.Result p = Dl4jPreprocessors.translate(name, pv.getPreProcessor(), inputs.get(0), out, true);
            return new Dl4jLayerTranslation.Result(p.tensor(),
                    pv.getPreProcessor() instanceof org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor);
        }
        throw new Dl4jActivations.Refusal("graft has no Keras translation for this DL4J vertex");
    }
}
