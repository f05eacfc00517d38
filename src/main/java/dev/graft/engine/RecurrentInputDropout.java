package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.engine.layers.ChannelAxisDropout;
import dev.graft.engine.layers.KerasGruLayer;
import dev.graft.engine.layers.KerasSimpleRnnLayer;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;

/**
 * The {@code dropout} argument of Keras's LSTM, GRU and SimpleRNN (alone or in a Bidirectional) in training, where Keras
 * draws one mask {@code (batch, input_dim)} per call and multiplies every step's input by it, scaled by 1/(1 - rate)
 * (Keras 3's {@code DropoutRNNCell.get_dropout_mask}, Keras 2's {@code _generate_dropout_mask}; a Bidirectional's halves
 * each draw their own). That is a {@link ChannelAxisDropout} on the layer's input along its feature axis, which graft's
 * {@link KerasGruLayer} and {@link KerasSimpleRnnLayer} apply in the forward pass and to the input's gradient. DL4J's
 * {@code LSTM} does not (its backward pass computes the forward pass again from the unmasked input): an LSTM's dropout
 * is refused.
 *
 * <p>Keras draws one mask only in some configurations, the ones {@link #oneMask} accepts: a SimpleRNN always; an LSTM or
 * GRU with {@code implementation=2} (Keras 3's default, unless a {@code recurrent_dropout} switches it to 1). With
 * {@code implementation} 0 or 1 Keras draws one mask per gate (4 for an LSTM, 3 for a GRU), which no layer here computes.
 * {@code recurrent_dropout} (the state's mask) is not computed: {@code dev.graft.engine.train.TrainingNoise} refuses it.
 */
public final class RecurrentInputDropout {
    private RecurrentInputDropout() {
    }

    /**
     * Why Keras's input dropout of this recurrent layer is not one mask for every step, or null when it is.
     *
     * @param className the recurrent layer's class (a Bidirectional's inner layer)
     */
    public static String oneMask(String className, JsonNode config) {
        if ("SimpleRNN".equals(className)) return null;
        if (!"LSTM".equals(className) && !"GRU".equals(className)) return "no input dropout computed for " + className;
        JsonNode recurrent = config.get("recurrent_dropout");
        if (recurrent != null && recurrent.isNumber() && recurrent.asDouble() > 0) return "recurrent_dropout switches Keras to one mask per gate";
        JsonNode impl = config.get("implementation");
        if (impl != null && impl.isNumber() && impl.asInt() != 2) return "implementation=" + impl.asInt() + " draws one mask per gate";
        return null;
    }

    /** Puts the mask on the engine's layers of the Keras layer's vertex; leaves the vertex as it is when it computes the layer otherwise. */
    static void apply(GraphVertex vertex, double rate) {
        for (Layer l : recurrentLayers(vertex)) {
            int axis = featureAxis(l);
            if (axis > 0) l.setIDropout(new ChannelAxisDropout(1 - rate, axis));
        }
    }

    /** Whether every engine layer of the vertex applies Keras's one input mask at this rate. */
    public static boolean applied(GraphVertex vertex, double rate) {
        List<Layer> layers = recurrentLayers(vertex);
        if (layers.isEmpty()) return false;
        for (Layer l : layers) {
            if (!(l.getIDropout() instanceof ChannelAxisDropout c) || c.axis != featureAxis(l) || featureAxis(l) <= 0
                    || Math.abs(c.p - (1 - rate)) > 1e-12) {
                return false;
            }
        }
        return true;
    }

    /** The recurrent layers the vertex computes a Keras layer with (a Bidirectional's two halves); empty for anything else. */
    private static List<Layer> recurrentLayers(GraphVertex vertex) {
        List<Layer> out = new ArrayList<>();
        if (!(vertex instanceof LayerVertex lv)) return out;
        Layer l = lv.getLayerConf().getLayer();
        if (l instanceof LastTimeStep w) l = w.getUnderlying();
        if (l instanceof Bidirectional b) {
            if (b.getFwd() != b.getBwd()) {
                out.add(b.getFwd());
                out.add(b.getBwd());
            }
        } else {
            out.add(l);
        }
        for (Layer r : out) {
            if (featureAxis(r) <= 0) return List.of();
        }
        return out;
    }

    /** The feature axis of the input array the layer's dropout sees, or -1 for a layer that applies no input dropout as Keras's. */
    private static int featureAxis(Layer l) {
        // Not DL4J's LSTM: its dropout masks the input it turned steps-last, but it puts the unmasked input back after the
        // forward pass and computes that pass again inside its backward pass from it, without the mask (measured: the
        // input's gradient is then not the mask times the gradient at the masked input). Refused.
        if (l != null && (l.getClass() == KerasGruLayer.class || l.getClass() == KerasSimpleRnnLayer.class)) {
            RNNFormat f = ((dev.graft.engine.layers.UnrolledRecurrentLayer) l).getRnnDataFormat();
            return f == RNNFormat.NCW ? 1 : 2;
        }
        return -1;
    }
}
