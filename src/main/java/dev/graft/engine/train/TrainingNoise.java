package dev.graft.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.GraftException;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianNoise;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import dev.graft.engine.RecurrentInputDropout;
import dev.graft.engine.layers.HeapStageChecks;
import dev.graft.engine.layers.NoiseShapeDropout;

/**
 * What Keras's {@code fit} adds to the forward pass at random (dropout, noise), against what graft's {@code train}
 * computes. Keras applies it in every layer on the way, frozen or not; graft's engine applies, in training: Keras's
 * {@code Dropout} ({@code KerasEngine} gives it {@code Dropout(1 - rate)}, or graft's {@code NoiseShapeDropout} for a
 * {@code noise_shape}), {@code GaussianNoise} and {@code AlphaDropout} (DL4J's import reads their rates, and DL4J's noise is
 * Keras's: additive N(0, stddev); SELU-preserving dropout with Keras's a and b), {@code SpatialDropout1D/2D/3D} (graft's
 * {@code ChannelAxisDropout} along the channel axis), {@code GaussianDropout} (graft's {@code KerasGaussianDropout}: DL4J's
 * is another distribution) and a recurrent layer's {@code dropout} where Keras draws one mask for every step
 * ({@link RecurrentInputDropout}), and a MultiHeadAttention's {@code dropout} on its attention weights (graft's
 * {@code AttentionDropoutVertexRuntime}). Each is checked on the engine's network: the noise must be there, at Keras's rate.
 * Anything else that is random in Keras's training and not in graft's is refused, with one line naming the layer, the
 * argument and its value: a different number is never given silently. That is a {@code noise_shape} that does not
 * broadcast or on another layer; a SpatialDropout whose channel axis the engine cannot tell; a {@code recurrent_dropout}
 * and a {@code dropout} Keras draws per gate ({@code implementation} 0 or 1); a recurrent layer the engine computes with
 * a layer that takes no input mask; another attention layer's {@code dropout}; Keras 1's {@code dropout_W}, {@code dropout_U}
 * and Embedding {@code dropout}.
 */
public final class TrainingNoise {
    /** The Keras noise layers whose rate DL4J's import reads and whose noise DL4J computes as Keras does. */
    private static final Set<String> ENGINE_NOISE = Set.of("Dropout", "GaussianNoise", "AlphaDropout", "SpatialDropout1D", "SpatialDropout2D",
            "SpatialDropout3D", "GaussianDropout");
    private static final Set<String> NOISE_LAYERS = Set.of("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
            "GaussianNoise", "GaussianDropout", "AlphaDropout");
    /** Other layers' training-time dropout arguments (Keras 1's recurrent ones, and its Embedding's). */
    private static final List<String> DROPOUT_ARGUMENTS = List.of("recurrent_dropout", "dropout_W", "dropout_U", "dropout");
    /** The recurrent layers whose {@code dropout} graft computes where Keras draws one mask ({@link RecurrentInputDropout}). */
    private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "SimpleRNN");

    private TrainingNoise() {
    }

    /**
     * Refuses a Keras model whose training would be random where graft's is not, or whose engine network does not
     * apply a noise layer's rate as Keras's fit does.
     *
     * @param flat        the model, flattened (nested models' layers in its own list)
     * @param engine      the network built for training
     * @param sharedCalls a shared layer's engine copies by layer name
     */
    public static void check(ModelGraph flat, ComputationGraphConfiguration engine, Map<String, List<String>> sharedCalls) {
        for (Layer l : flat.layers()) {
            checkConfig(l.name(), l.className(), l.config());
            checkRecurrentDropout(l, engine, sharedCalls);
            checkAttentionDropout(l, engine, sharedCalls);
            double amount = amount(l.className(), l.config());
            if (ENGINE_NOISE.contains(l.className()) && amount > 0) {
                JsonNode shape = l.config().get("noise_shape");
                long[] noise = shape == null || shape.isNull() ? null : NoiseShapeDropout.parse(shape);
                for (String v : calls(l, sharedCalls)) {
                    if (shape != null && !shape.isNull()) {
                        if (!(vertexDropout(engine.getVertices().get(v)) instanceof NoiseShapeDropout d) || noise == null
                                || !java.util.Arrays.equals(d.noiseShape, noise) || Math.abs(d.p - (1 - amount)) > 1e-12) {
                            throw noiseShapeRefusal(l.name(), l.className(), shape);
                        }
                    } else if (!applied(engine.getVertices().get(v), l.className(), amount)) {
                        throw refusal(l.name(), l.className(), argument(l.className(), l.config()), amount);
                    }
                }
            }
        }
    }

    /** A wrapped layer's noise (TimeDistributed(Dropout), Bidirectional(LSTM(dropout=...))) is refused under the wrapper's name. */
    private static void checkConfig(String name, String className, JsonNode config) {
        if (config == null || !config.isObject()) return;
        if (NOISE_LAYERS.contains(className)) {
            double amount = amount(className, config);
            if (amount > 0 && !ENGINE_NOISE.contains(className)) {
                throw refusal(name, className, argument(className, config), amount);
            }
            JsonNode shape = config.get("noise_shape");
            // a Dropout's noise shape is NoiseShapeDropout's (checked on the engine's vertex); another layer's is not computed
            if (amount > 0 && shape != null && !shape.isNull() && !"Dropout".equals(className)) throw noiseShapeRefusal(name, className, shape);
        } else {
            for (String key : DROPOUT_ARGUMENTS) {
                JsonNode v = config.get(key);
                if (v == null || !v.isNumber() || v.asDouble() <= 0) continue;
                String inner = className.startsWith("Bidirectional(") ? className.substring("Bidirectional(".length(), className.length() - 1) : className;
                if (key.equals("dropout") && "MultiHeadAttention".equals(className)) continue; // checked on the engine's vertex (checkAttentionDropout)
                if (key.equals("dropout") && RECURRENT.contains(inner)) {
                    String why = RecurrentInputDropout.oneMask(inner, config);
                    if (why == null) continue; // checked on the engine's vertex (checkRecurrentDropout)
                    throw new GraftException("layer '" + name + "' (" + className + "): dropout=" + v.asDouble() + " is applied by Keras's fit and not by"
                            + " graft's train (" + why + "; set it to 0 to train with graft)");
                }
                throw refusal(name, className, key, v.asDouble());
            }
        }
        config.fields().forEachRemaining(f -> {
            JsonNode inner = f.getValue();
            if (inner.isObject() && inner.has("class_name") && inner.has("config")) {
                String innerClass = inner.get("class_name").asText();
                if (NOISE_LAYERS.contains(innerClass) && amount(innerClass, inner.get("config")) > 0) {
                    throw refusal(name, className + "(" + innerClass + ")", argument(innerClass, inner.get("config")), amount(innerClass, inner.get("config")));
                }
                checkConfig(name, className + "(" + innerClass + ")", inner.get("config"));
            }
        });
    }

    /**
     * A recurrent layer's {@code dropout} that Keras draws as one mask (what {@link #checkConfig} lets through) must be on
     * the engine's layers as {@link RecurrentInputDropout} puts it, on every call of a shared layer.
     */
    private static void checkRecurrentDropout(Layer l, ComputationGraphConfiguration engine, Map<String, List<String>> sharedCalls) {
        JsonNode config = l.config();
        String cls = l.className();
        if ("Bidirectional".equals(cls) && config != null && config.path("layer").isObject()) {
            cls = config.path("layer").path("class_name").asText();
            config = config.path("layer").path("config");
        }
        if (!RECURRENT.contains(cls) || config == null) return;
        JsonNode rate = config.get("dropout");
        if (rate == null || !rate.isNumber() || rate.asDouble() <= 0) return;
        for (String v : calls(l, sharedCalls)) {
            // a Bidirectional the engine computes as its two halves (and a merge under the layer's name) has each half's own mask
            boolean halves = "Bidirectional".equals(l.className()) && !(engine.getVertices().get(v) instanceof LayerVertex)
                    && RecurrentInputDropout.applied(engine.getVertices().get(v + "__forward"), rate.asDouble())
                    && RecurrentInputDropout.applied(engine.getVertices().get(v + "__backward"), rate.asDouble());
            if (!halves && !RecurrentInputDropout.applied(engine.getVertices().get(v), rate.asDouble())) {
                throw new GraftException("layer '" + l.name() + "' (" + l.className() + "): dropout=" + rate.asDouble() + " is applied by Keras's fit and"
                        + " not by graft's train (the engine computes this layer in a way that takes no input mask; set it to 0 to train with graft)");
            }
        }
    }

    /** A MultiHeadAttention's {@code dropout} must be on every engine vertex of the layer, at Keras's rate. */
    private static void checkAttentionDropout(Layer l, ComputationGraphConfiguration engine, Map<String, List<String>> sharedCalls) {
        if (!"MultiHeadAttention".equals(l.className()) || l.config() == null) return;
        JsonNode rate = l.config().get("dropout");
        if (rate == null || !rate.isNumber() || rate.asDouble() <= 0) return;
        for (String v : calls(l, sharedCalls)) {
            // returning its scores, the layer's vertex is "<name>__attention" (AttentionScoresRewrite) and its name the output's part
            GraphVertex g = engine.getVertices().get(v) instanceof dev.graft.engine.layers.KerasMultiHeadAttentionVertex ? engine.getVertices().get(v)
                    : engine.getVertices().get(v + "__attention");
            if (!(g instanceof dev.graft.engine.layers.KerasMultiHeadAttentionVertex a)
                    || Math.abs(a.getTrainingDropout() - rate.asDouble()) > 1e-12) {
                throw refusal(l.name(), l.className(), "dropout", rate.asDouble());
            }
        }
    }

    /** The engine's vertex of each call of the layer: its own, and a shared layer's copies. */
    private static Set<String> calls(Layer l, Map<String, List<String>> sharedCalls) {
        Set<String> vertices = new LinkedHashSet<>();
        vertices.add(l.name());
        vertices.addAll(sharedCalls.getOrDefault(l.name(), List.of()));
        return vertices;
    }

    /** The rate (or Keras 1's {@code p}), or a GaussianNoise's standard deviation (Keras 1's {@code sigma}); 0 when absent. */
    private static double amount(String className, JsonNode config) {
        JsonNode v = config == null ? null : config.get(argument(className, config));
        return v != null && v.isNumber() ? v.asDouble() : 0;
    }

    private static String argument(String className, JsonNode config) {
        if ("GaussianNoise".equals(className)) return config != null && config.has("sigma") ? "sigma" : "stddev";
        return config != null && config.has("p") && !config.has("rate") ? "p" : "rate";
    }

    /** Whether the engine's vertex applies the Keras layer's noise at the Keras rate, in training. */
    private static boolean applied(GraphVertex v, String className, double amount) {
        if (!(v instanceof LayerVertex lv) || !(lv.getLayerConf().getLayer() instanceof DropoutLayer d)) return false;
        IDropout noise = d.getIDropout();
        return switch (className) {
            case "Dropout" -> noise != null && noise.getClass() == Dropout.class && ((Dropout) noise).getPSchedule() == null
                    && Math.abs(((Dropout) noise).getP() - (1 - amount)) < 1e-12;
            case "GaussianNoise" -> noise instanceof GaussianNoise g && g.getStddevSchedule() == null && Math.abs(g.getStddev() - amount) < 1e-12;
            case "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D" -> noise instanceof dev.graft.engine.layers.ChannelAxisDropout c
                    && Math.abs(c.p - (1 - amount)) < 1e-12;
            case "GaussianDropout" -> noise instanceof dev.graft.engine.layers.KerasGaussianDropout g && Math.abs(g.rate - amount) < 1e-12;
            case "AlphaDropout" -> noise instanceof AlphaDropout a && a.getPSchedule() == null && Math.abs(a.getP() - (1 - amount)) < 1e-12;
            default -> false;
        };
    }

    private static GraftException noiseShapeRefusal(String name, String className, JsonNode shape) {
        return new GraftException("layer '" + name + "' (" + className + "): noise_shape=" + shape + " is applied by Keras's fit and not by"
                + " graft's train (set it to null, or the rate to 0, to train with graft)");
    }

    private static IDropout vertexDropout(GraphVertex v) {
        return v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof DropoutLayer d ? d.getIDropout() : null;
    }

    private static GraftException refusal(String name, String className, String argument, double value) {
        return new GraftException("layer '" + name + "' (" + className + "): " + argument + "=" + value
                + " is applied by Keras's fit and not by graft's train (set it to 0 to train with graft)");
    }

    /**
     * The vertices that add noise in training (a {@link DropoutLayer} whose dropout does not keep every value, a recurrent
     * layer with an input dropout): Keras's fit
     * runs them per batch wherever they are, so graft neither computes them once in a frozen prefix nor freezes them as a
     * feature extractor (which computes in inference mode).
     */
    static Set<String> noisyVertices(ComputationGraphConfiguration conf) {
        Set<String> out = new LinkedHashSet<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (!(e.getValue() instanceof LayerVertex lv)) continue;
            org.deeplearning4j.nn.conf.layers.Layer layer = lv.getLayerConf().getLayer();
            org.deeplearning4j.nn.conf.layers.Layer inner = layer instanceof BaseWrapperLayer w ? w.getUnderlying()
                    : layer instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f ? f.getLayer() : layer;
            // a noise layer's own noise, or another layer's input dropout (a recurrent layer's, RecurrentInputDropout)
            if (inner instanceof org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional b) {
                if (!HeapStageChecks.keepsEverything(b.getFwd().getIDropout()) || !HeapStageChecks.keepsEverything(b.getBwd().getIDropout())) out.add(e.getKey());
            } else if (inner instanceof org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep w) {
                if (!HeapStageChecks.keepsEverything(w.getUnderlying().getIDropout())) out.add(e.getKey());
            } else if (inner != null && !HeapStageChecks.keepsEverything(inner.getIDropout())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

}
