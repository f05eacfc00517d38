package dev.graft.engine;

import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.shape.GraphShapes;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;

/**
 * Drops, for training, the sequence-to-rows preprocessor DL4J's Keras import puts before a layer whose input is already
 * rows (a {@code Dense} after {@code GlobalAveragePooling1D → Dropout}): forward it hands a rank-2 input on unchanged, but
 * its backward pass reshapes the rank-2 error into a sequence of one step, which the layer before it cannot take
 * ("Op [multiply] execution failed" in the dropout's backward pass). Without it both passes are the layer's own. The
 * input's rank is the Keras layer's output rank in the model before the engine's rewrites; a vertex whose input shape
 * graft does not know keeps its preprocessor.
 */
final class RankTwoInputs {
    private RankTwoInputs() {
    }

    static void apply(ComputationGraphConfiguration conf, ModelGraph flat) {
        GraphShapes shapes = null;
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (!(e.getValue() instanceof LayerVertex lv) || !(lv.getPreProcessor() instanceof RnnToFeedForwardPreProcessor)) continue;
            List<String> inputs = conf.getVertexInputs().get(e.getKey());
            if (inputs == null || inputs.size() != 1) continue;
            if (shapes == null) shapes = GraphShapes.infer(flat);
            List<Shape> in = shapes.outputShapes(inputs.get(0));
            if (in != null && in.size() == 1 && in.get(0) != null && in.get(0).rank() == 2) lv.setPreProcessor(null);
        }
    }
}
