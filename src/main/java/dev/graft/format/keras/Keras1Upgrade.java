package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftException;
import dev.graft.GraftInfo;
import dev.graft.format.Json;
import dev.graft.model.DType;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras 1 model spelled as Keras 2 writes the same layers, with Keras 2's weight layout, so that a
 * Keras 2 {@code .h5} or a Keras 3 {@code .keras} file can hold it (Keras 2 and 3 no longer read Keras 1
 * configurations). What Keras 2's own loader did for Keras 1 files ({@code preprocess_weights_for_loading},
 * the legacy argument names): {@code output_dim} becomes {@code units}, {@code nb_filter}/{@code nb_row}/
 * {@code nb_col} {@code filters}/{@code kernel_size}, ...; an LSTM's twelve per-gate arrays become one
 * kernel, recurrent kernel and bias in Keras 2's gate order (i, f, c, o), a GRU's nine (z, r, h). Every
 * value is copied bit for bit; a single array keeps its source (copied dataset to dataset). A layer whose
 * Keras 1 meaning graft cannot spell the Keras 2 way (Theano's kernel ordering, Keras 1's Merge, ...) is
 * refused with one line naming it.
 */
public final class Keras1Upgrade {
    /** Keras 1 key -> Keras 2 key, for every supported layer. */
    private static final Map<String, String> COMMON = Map.of("init", "kernel_initializer", "W_regularizer", "kernel_regularizer",
            "b_regularizer", "bias_regularizer", "W_constraint", "kernel_constraint", "b_constraint", "bias_constraint",
            "bias", "use_bias", "output_dim", "units", "input_dtype", "dtype");
    private static final Map<String, String> RECURRENT = Map.of("inner_init", "recurrent_initializer", "inner_activation",
            "recurrent_activation", "U_regularizer", "recurrent_regularizer", "U_constraint", "recurrent_constraint",
            "dropout_W", "dropout", "dropout_U", "recurrent_dropout");
    /** Keras 1 class -> Keras 2 class for the layers graft upgrades. */
    private static final Map<String, String> CLASSES = Map.ofEntries(
            Map.entry("InputLayer", "InputLayer"), Map.entry("Dense", "Dense"), Map.entry("Dropout", "Dropout"),
            Map.entry("Activation", "Activation"), Map.entry("Flatten", "Flatten"), Map.entry("Reshape", "Reshape"),
            Map.entry("LSTM", "LSTM"), Map.entry("GRU", "GRU"), Map.entry("SimpleRNN", "SimpleRNN"),
            Map.entry("Convolution1D", "Conv1D"), Map.entry("Convolution2D", "Conv2D"),
            Map.entry("MaxPooling1D", "MaxPooling1D"), Map.entry("MaxPooling2D", "MaxPooling2D"),
            Map.entry("AveragePooling1D", "AveragePooling1D"), Map.entry("AveragePooling2D", "AveragePooling2D"),
            Map.entry("Embedding", "Embedding"), Map.entry("RepeatVector", "RepeatVector"));
    /** Keys Keras 1 wrote that say nothing about what a loaded model computes (training-time and build-time settings). */
    private static final Set<String> DROPPED = Set.of("input_dim", "input_length", "consume_less", "forget_bias_init",
            "activity_regularizer", "cache_enabled");
    /** Keras 1's initializer names and the Keras 2 classes of the same name. */
    private static final Map<String, String> INITIALIZERS = Map.ofEntries(Map.entry("one", "Ones"), Map.entry("zero", "Zeros"),
            Map.entry("uniform", "RandomUniform"), Map.entry("normal", "RandomNormal"), Map.entry("orthogonal", "Orthogonal"),
            Map.entry("identity", "Identity"), Map.entry("glorot_uniform", "GlorotUniform"), Map.entry("glorot_normal", "GlorotNormal"),
            Map.entry("he_uniform", "HeUniform"), Map.entry("he_normal", "HeNormal"), Map.entry("lecun_uniform", "LecunUniform"));

    private Keras1Upgrade() {
    }

    /** The model in Keras 2 form when Keras 1 wrote it; any other model as it is. */
    public static ModelGraph apply(ModelGraph model) {
        SourceInfo s = model.source();
        if (s == null || s.kerasMajor() != 1) return model;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (l.nested() != null) throw refusal(l, "is a nested model, which graft does not upgrade from Keras 1");
            layers.add(upgrade(l));
        }
        // The upgraded model means what Keras 2 makes of it: graft wrote it (SourceInfo's Keras 2 files).
        SourceInfo upgraded = new SourceInfo(s.path(), s.format(), "graft", GraftInfo.VERSION, s.backend(), s.sizeBytes());
        return model.withLayers(layers, model.inputs(), model.outputs()).withIdentity(model.name(), model.modelClass(), upgraded);
    }

    private static Layer upgrade(Layer l) {
        String cls = CLASSES.get(l.className());
        if (cls == null) {
            throw refusal(l, "has no Keras 2 spelling graft writes (it upgrades " + String.join(", ", new java.util.TreeSet<>(CLASSES.keySet()))
                    + "); write the model as .zip");
        }
        ObjectNode c = config(l, cls);
        List<Weight> weights = weights(l, cls, c);
        return new Layer(l.name(), cls, c, l.calls(), weights, null, l.declaredOutputShapes());
    }

    private static ObjectNode config(Layer l, String cls) {
        ObjectNode in = l.config();
        ObjectNode c = Json.object();
        boolean recurrent = Set.of("LSTM", "GRU", "SimpleRNN").contains(cls);
        Iterator<Map.Entry<String, JsonNode>> it = in.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (DROPPED.contains(key) && !("InputLayer".equals(cls))) continue;
            if ("dim_ordering".equals(key)) {
                String order = v.asText();
                if (!"tf".equals(order)) {
                    throw refusal(l, "uses Keras 1's dim_ordering '" + order + "' (Theano's kernel layout), which graft does not convert;"
                            + " write the model as .zip");
                }
                c.put("data_format", "channels_last");
                continue;
            }
            if ("border_mode".equals(key)) {
                if (!"valid".equals(v.asText()) && !"same".equals(v.asText())) {
                    throw refusal(l, "uses border_mode '" + v.asText() + "', which Keras 2 does not have; write the model as .zip");
                }
                c.set("padding", v);
                continue;
            }
            String renamed = recurrent && RECURRENT.containsKey(key) ? RECURRENT.get(key) : COMMON.getOrDefault(key, key);
            if ("Dropout".equals(cls) && "p".equals(key)) renamed = "rate";
            if ("Embedding".equals(cls)) {
                if ("output_dim".equals(key)) renamed = "output_dim"; // Keras 2's Embedding kept the name
                if ("init".equals(key)) renamed = "embeddings_initializer";
                if ("W_regularizer".equals(key)) renamed = "embeddings_regularizer";
                if ("W_constraint".equals(key)) renamed = "embeddings_constraint";
                if ("dropout".equals(key)) continue; // training-time only
            }
            if (Set.of("Convolution1D", "Convolution2D").contains(l.className())) {
                switch (key) {
                    case "nb_filter" -> renamed = "filters";
                    case "nb_row", "nb_col", "filter_length" -> renamed = null; // kernel_size, below
                    case "subsample", "subsample_length" -> renamed = "strides";
                    case "atrous_rate" -> renamed = "dilation_rate";
                    default -> { }
                }
            }
            if (Set.of("MaxPooling1D", "AveragePooling1D").contains(cls)) {
                if ("pool_length".equals(key)) renamed = "pool_size";
                if ("stride".equals(key)) renamed = "strides";
            }
            if (renamed == null) continue;
            if (renamed.endsWith("_initializer")) v = initializer(v);
            else if (renamed.endsWith("_regularizer")) v = regularizer(v);
            else if (renamed.endsWith("_constraint")) v = Json.MAPPER.nullNode(); // training-time only; Keras 1's form differs
            c.set(renamed, v);
        }
        if ("Convolution2D".equals(l.className())) {
            c.putArray("kernel_size").add(in.path("nb_row").asInt()).add(in.path("nb_col").asInt());
            if (!c.has("data_format")) {
                throw refusal(l, "does not say its dim_ordering; write the model as .zip");
            }
        }
        if ("Convolution1D".equals(l.className())) c.putArray("kernel_size").add(in.path("filter_length").asInt());
        if ("LSTM".equals(cls)) c.put("unit_forget_bias", "one".equals(in.path("forget_bias_init").asText("one")));
        if ("GRU".equals(cls)) c.put("reset_after", false);
        if (c.has("dtype") && !c.get("dtype").isTextual()) c.remove("dtype");
        return c;
    }

    private static JsonNode initializer(JsonNode v) {
        if (!v.isTextual()) return v;
        ObjectNode o = Json.object();
        o.put("class_name", INITIALIZERS.getOrDefault(v.asText(), "GlorotUniform"));
        o.putObject("config");
        return o;
    }

    /** Keras 1's {@code {"name": "WeightRegularizer", "l1": .., "l2": ..}} as Keras 2's {@code L1L2}. */
    private static JsonNode regularizer(JsonNode v) {
        if (!v.isObject() || v.has("class_name")) return v;
        double l1 = v.path("l1").asDouble(0);
        double l2 = v.path("l2").asDouble(0);
        if (l1 == 0 && l2 == 0) return Json.MAPPER.nullNode();
        ObjectNode o = Json.object();
        o.put("class_name", "L1L2");
        o.putObject("config").put("l1", l1).put("l2", l2);
        return o;
    }

    // ---- weights ----------------------------------------------------------------------------

    private static List<Weight> weights(Layer l, String cls, ObjectNode config) {
        if (l.weights().isEmpty()) return List.of();
        Map<String, Weight> byRole = new HashMap<>();
        for (Weight w : l.weights()) byRole.put(keras1Role(l, w), w);
        String p = l.name() + "/";
        switch (cls) {
            case "Dense":
                return single(l, byRole, p, config.path("use_bias").asBoolean(true));
            case "Conv2D":
                return single(l, byRole, p, config.path("use_bias").asBoolean(true));
            case "Conv1D": {
                // Keras 1 ran a 1-d convolution as a 2-d one: (length, 1, in, filters); Keras 2's kernel is (length, in, filters).
                List<Weight> out = new ArrayList<>(single(l, byRole, p, config.path("use_bias").asBoolean(true)));
                Weight k = out.get(0);
                long[] s = k.shape();
                if (s.length == 4 && s[1] == 1) {
                    long[] to = {s[0], s[2], s[3]};
                    out.set(0, new Weight(k.name(), to, k.dtype(), k.trainable(), () -> k.read().reshape(to)));
                } else if (s.length != 3) {
                    throw refusal(l, "has a kernel of shape " + java.util.Arrays.toString(s) + ", not Keras 1's tf layout; write the model as .zip");
                }
                return out;
            }
            case "Embedding":
                return List.of(rename(l, byRole, "W", p + "embeddings:0"));
            case "SimpleRNN": {
                List<Weight> out = new ArrayList<>(List.of(rename(l, byRole, "W", p + "kernel:0"), rename(l, byRole, "U", p + "recurrent_kernel:0")));
                if (byRole.containsKey("b")) out.add(rename(l, byRole, "b", p + "bias:0"));
                return out;
            }
            case "LSTM":
                return gates(l, byRole, p, List.of("i", "f", "c", "o"));
            case "GRU":
                return gates(l, byRole, p, List.of("z", "r", "h"));
            default:
                throw refusal(l, "holds weights graft does not upgrade from Keras 1; write the model as .zip");
        }
    }

    /** {@code W} (and {@code b}) as {@code kernel} (and {@code bias}), each from its own source. */
    private static List<Weight> single(Layer l, Map<String, Weight> byRole, String p, boolean bias) {
        List<Weight> out = new ArrayList<>();
        out.add(rename(l, byRole, "W", p + "kernel:0"));
        if (bias) out.add(rename(l, byRole, "b", p + "bias:0"));
        if (byRole.size() != out.size()) throw refusal(l, "holds weights " + byRole.keySet() + " graft does not place in Keras 2's layout");
        return out;
    }

    private static Weight rename(Layer l, Map<String, Weight> byRole, String role, String name) {
        Weight w = byRole.get(role);
        if (w == null) throw refusal(l, "has no Keras 1 weight " + role + " (it holds " + byRole.keySet() + ")");
        return w.withName(name);
    }

    /** Per-gate arrays {@code W_<g>, U_<g>, b_<g>} joined on the last axis in Keras 2's gate order. */
    private static List<Weight> gates(Layer l, Map<String, Weight> byRole, String p, List<String> order) {
        List<Weight> out = new ArrayList<>();
        String[][] parts = {{"W", "kernel"}, {"U", "recurrent_kernel"}, {"b", "bias"}};
        for (String[] part : parts) {
            List<Weight> pieces = new ArrayList<>();
            for (String g : order) {
                Weight w = byRole.get(part[0] + "_" + g);
                if (w == null) throw refusal(l, "has no Keras 1 weight " + part[0] + "_" + g + " (it holds " + byRole.keySet() + ")");
                pieces.add(w);
            }
            out.add(joined(l, p + part[1] + ":0", pieces));
        }
        if (byRole.size() != order.size() * 3) throw refusal(l, "holds weights " + byRole.keySet() + " graft does not place in Keras 2's layout");
        return out;
    }

    /** The pieces side by side on their last axis; read when needed, every value copied bit for bit. */
    private static Weight joined(Layer l, String name, List<Weight> pieces) {
        long[] first = pieces.get(0).shape();
        DType dtype = pieces.get(0).dtype();
        long last = 0;
        for (Weight w : pieces) {
            long[] s = w.shape();
            boolean sameLead = s.length == first.length && java.util.Arrays.equals(s, 0, s.length - 1, first, 0, first.length - 1);
            if (!sameLead || w.dtype() != dtype || !(dtype == DType.FLOAT32 || dtype == DType.FLOAT64)) {
                throw refusal(l, "has per-gate weights of shapes or types graft cannot join (" + w + ")");
            }
            last += s[s.length - 1];
        }
        long[] shape = first.clone();
        shape[shape.length - 1] = last;
        long total = last;
        return new Weight(name, shape, dtype, pieces.get(0).trainable(), () -> concatLastAxis(pieces, shape, total));
    }

    private static HostArray concatLastAxis(List<Weight> pieces, long[] shape, long total) {
        int rows = Math.toIntExact(HostArray.size(shape) / total);
        boolean doubles = pieces.get(0).dtype() == DType.FLOAT64;
        float[] f = doubles ? null : new float[Math.toIntExact(HostArray.size(shape))];
        double[] d = doubles ? new double[Math.toIntExact(HostArray.size(shape))] : null;
        int offset = 0;
        for (Weight w : pieces) {
            HostArray a = w.read();
            long[] s = a.shape();
            int width = Math.toIntExact(s[s.length - 1]);
            for (int r = 0; r < rows; r++) {
                if (doubles) System.arraycopy(a.doubleData(), r * width, d, (int) (r * total) + offset, width);
                else System.arraycopy(a.floatData(), r * width, f, (int) (r * total) + offset, width);
            }
            offset += width;
        }
        return doubles ? HostArray.ofDoubles(shape, d) : HostArray.ofFloats(shape, f);
    }

    /** {@code lstm_1_W_i:0} -> {@code W_i}, {@code dense_1_W} -> {@code W}: the part after the layer's name. */
    private static String keras1Role(Layer l, Weight w) {
        String n = w.name().replaceAll(":\\d+$", "");
        n = n.substring(n.lastIndexOf('/') + 1);
        String prefix = l.name() + "_";
        return n.startsWith(prefix) ? n.substring(prefix.length()) : n;
    }

    private static GraftException refusal(Layer l, String why) {
        return new GraftException("layer '" + l.name() + "' (" + l.className() + ", Keras 1) " + why);
    }
}
