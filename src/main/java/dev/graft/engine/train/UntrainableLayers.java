package dev.graft.engine.train;

import dev.graft.GraftException;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

/**
 * The layers whose backward pass graft knows to fail in the engine, refused before training with one
 * line naming the layer (the zoo training test found them): a layer the error must pass through is
 * checked; a frozen layer nothing before learns runs forward only and is not.
 * <ul>
 * <li>DL4J's {@code SimpleRnn} (M2.1) fails in its backward pass on Keras's sequences ("Op [multiply]
 * execution failed"), alone or inside a {@code Bidirectional}; inside a DL4J zip's Bidirectional, on DL4J's own
 * channels-first sequences, it passes the error back exactly (Dl4jBidirectionalGradientTest);</li>
 * <li>DL4J's {@code Bidirectional} on Keras's channels-last sequences ({@code NWC}) fails in its backward pass (DL4J's own
 * channels-first sequences, a DL4J zip's, pass; a Keras Bidirectional trains as its halves, {@code BidirectionalSplit});</li>
 * <li>a vertex with weights left in DL4J's {@code FrozenVertex} after a layer that learns: it passes no error back, so
 * what comes before it would not learn (or fail without an error). graft's own SameDiff vertices (attention layers,
 * the LSTM with states) are not left so: they stay frozen with a zero step ({@link ZeroStep}) and pass the error on.</li>
 * </ul>
 */
final class UntrainableLayers {
    private UntrainableLayers() {
    }

    /** @param backprop the vertices the error passes through (those that learn and those after them) */
    static void check(ComputationGraphConfiguration conf, Set<String> backprop, List<String> outputs) {
        for (String name : backprop) {
            GraphVertex v = conf.getVertices().get(name);
            GraphVertex unfrozen = v instanceof FrozenVertex f ? f.getUnderlying() : v;
            if (v instanceof FrozenVertex) {
                throw new GraftException("layer '" + name + "' cannot stay frozen after a layer that"
                        + " learns: the engine passes no error back through a frozen vertex, so the layers before it would not learn;"
                        + " train it too (--trainable) or freeze the layers before it");
            }
            if (!(v instanceof LayerVertex lv)) continue;
            Layer layer = lv.getLayerConf().getLayer();
            Layer inner = layer instanceof BaseWrapperLayer w ? w.getUnderlying() : layer;
            if (inner instanceof Bidirectional b) {
                Layer wrapped = b.getFwd() instanceof BaseWrapperLayer w ? w.getUnderlying() : b.getFwd();
                // DL4J's own sequences (channels first, a DL4J zip's) pass back through it (Dl4jBidirectionalGradientTest)
                if (wrapped instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer r && r.getRnnDataFormat() != RNNFormat.NWC) continue;
                if (wrapped instanceof SimpleRnn) throw refusal(name, "Bidirectional(SimpleRNN)", "DL4J's SimpleRnn backward pass fails");
                throw refusal(name, "Bidirectional", "DL4J's Bidirectional backward pass fails on Keras's sequences");
            }
            if (inner instanceof SimpleRnn) throw refusal(name, "SimpleRNN", "DL4J's SimpleRnn backward pass fails on Keras's sequences");
        }
    }

    private static GraftException refusal(String name, String kerasClass, String why) {
        return new GraftException("layer '" + name + "' (" + kerasClass + ") cannot train: " + why
                + " (freeze it and what comes before it with --trainable to train the layers after it)");
    }

}
