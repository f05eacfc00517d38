package dev.graft.engine.claims;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every argument honoured or refused: for each Keras class the engine computes, the config keys its mapping claims
 * ({@link ArgumentClaims}). A layer whose config holds a key no claim covers, or a claimed key with a value the
 * mapping does not compute, is refused with one line naming the layer, the key and the value.
 *
 * <p>A new engine layer (a DL4J {@code KerasLayer} plug-in under {@code engine/keras}) declares its keys by calling
 * {@link #register(String, ArgumentClaims)} with its Keras class name, next to where it registers itself with DL4J.
 * The keys every layer has ({@link #COMMON}: name, dtype, trainable, regularisers, constraints, initialisers...) need
 * not be repeated. A class that claims nothing is not checked here, but {@code ArgumentCoverageTest} fails for it.
 */
public final class LayerClaims {
    private static final Map<String, ArgumentClaims> CLAIMS = new ConcurrentHashMap<>();

    /** Keys every Keras layer config may hold that change nothing graft computes: bookkeeping, training-only settings. */
    static final ArgumentClaims COMMON = ArgumentClaims.builder()
            .irrelevant("name", "trainable", "dtype", "module", "registered_name", "build_config", "shared_object_id",
                    "batch_input_shape", "batch_shape", "input_shape", "input_dim", "input_dtype", "autocast",
                    "activity_regularizer", "input_length", "init", "inner_init", "forget_bias_init", "seed")
            .only("quantization_config", (Object) null)
            .build();

    static {
        BuiltInClaims.registerAll();
    }

    private LayerClaims() {
    }

    /** Declares the keys a Keras class's mapping claims; a second call for the same class replaces the first. */
    public static void register(String kerasClass, ArgumentClaims claims) {
        CLAIMS.put(kerasClass, claims);
    }

    /** Whether a Keras class declared its keys. */
    public static boolean isRegistered(String kerasClass) {
        return CLAIMS.containsKey(kerasClass);
    }

    /**
     * Null when every key of the config is claimed with a value the mapping computes, else the refusal's reason
     * (without the layer's name): {@code argument negative_slope=0.2 is not computed (...)}.
     *
     * @param kerasMajor the major version of the Keras that wrote the file (0 when unknown: read as 2)
     * @param inputRank  the rank of the layer's (first) input, batch included; -1 when unknown
     */
    public static String whyNot(String className, JsonNode config, int kerasMajor, int inputRank) {
        ArgumentClaims claims = CLAIMS.get(className);
        if (claims == null || config == null || !config.isObject()) return null;
        ArgumentClaims.Context ctx = new ArgumentClaims.Context(kerasMajor == 0 ? 2 : kerasMajor, className, inputRank, config);
        Iterator<Map.Entry<String, JsonNode>> it = config.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            ArgumentClaims.Check check = claims.keys().get(key);
            if (check == null) check = COMMON.keys().get(key);
            if (check == null && isTrainingOnly(key)) continue;
            if (check == null) {
                return "argument " + key + "=" + JsonValues.show(value) + " is not computed by graft (no mapping claims '" + key + "')";
            }
            String problem = "backward_layer".equals(key) ? backwardProblem(config, kerasMajor == 0 ? 2 : kerasMajor, inputRank) : check.apply(value, ctx);
            if (problem != null && problem.startsWith("wrapped ")) return problem;
            if (problem != null) return "argument " + key + "=" + JsonValues.show(value) + " is not computed by graft (" + problem + ")";
        }
        return null;
    }

    /**
     * Whether a Bidirectional's backward layer is configured unlike its forward one (another activation, ...) but runs the
     * other way and returns the same: the engine computes such a layer as its two halves ({@code BidirectionalSplit}), when
     * they are LSTMs or SimpleRNNs and their outputs are merged or both returned.
     */
    public static boolean backwardDiffers(JsonNode bidirectional) {
        return UNLIKE.equals(backwardMismatch(bidirectional));
    }

    private static final String UNLIKE = "a backward layer configured unlike the forward one";

    /**
     * Null when the engine computes a Bidirectional's backward layer: its forward layer mirrored, or an LSTM or SimpleRNN
     * configured otherwise whose own arguments are computed (the engine splits the layer; not with return_state).
     */
    private static String backwardProblem(JsonNode bidirectional, int kerasMajor, int inputRank) {
        String mismatch = backwardMismatch(bidirectional);
        if (!UNLIKE.equals(mismatch)) return mismatch;
        JsonNode backward = bidirectional.path("backward_layer");
        String cls = backward.path("class_name").asText("");
        if (!"LSTM".equals(cls) && !"SimpleRNN".equals(cls)) return mismatch + " (graft splits LSTM and SimpleRNN halves only)";
        if (backward.path("config").path("return_state").asBoolean(false)) return mismatch + " (graft splits a Bidirectional without return_state only)";
        String why = whyNot(cls, backward.path("config"), kerasMajor, inputRank);
        return why == null ? null : "backward " + cls + ": " + why;
    }

    /** Null when a Bidirectional's backward layer is its forward layer mirrored, else what differs. */
    private static String backwardMismatch(JsonNode bidirectional) {
        JsonNode backward = bidirectional.get("backward_layer");
        if (JsonValues.isAbsent(backward)) return null;
        JsonNode forward = bidirectional.path("layer");
        if (!forward.path("class_name").equals(backward.path("class_name"))) return "a backward layer of another class";
        com.fasterxml.jackson.databind.node.ObjectNode f = forward.path("config").deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode b = backward.path("config").deepCopy();
        boolean fb = f.path("go_backwards").asBoolean(false);
        boolean bb = b.path("go_backwards").asBoolean(false);
        if (fb == bb) return "a backward layer that runs in the same direction as the forward one";
        for (com.fasterxml.jackson.databind.node.ObjectNode c : java.util.List.of(f, b)) {
            c.remove("name");
            c.remove("go_backwards");
        }
        if (f.equals(b)) return null;
        if (!f.path("return_sequences").equals(b.path("return_sequences")) || !f.path("return_state").equals(b.path("return_state"))) {
            return "a backward layer that returns other outputs than the forward one";
        }
        return UNLIKE;
    }

    /**
     * Keys that only shape training: initial values (weights come from the file), penalties added to the loss, and
     * constraints applied after each update. Keras 1 spells them W_regularizer, gamma_init and the like.
     */
    static boolean isTrainingOnly(String key) {
        return key.endsWith("_initializer") || key.endsWith("_regularizer") || key.endsWith("_constraint") || key.endsWith("_init");
    }

    /**
     * The keys of a config that no claim covers, the wrapped layer's included (as {@code layer.<key>}): the
     * argument-coverage test's question, asked of every layer config of every fixture.
     */
    public static java.util.List<String> unclaimedKeys(String className, JsonNode config) {
        java.util.List<String> out = new java.util.ArrayList<>();
        ArgumentClaims claims = CLAIMS.get(className);
        if (config == null || !config.isObject()) return out;
        Iterator<String> names = config.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            boolean claimed = claims != null && claims.claims(key) || COMMON.claims(key) || isTrainingOnly(key);
            if (!claimed) out.add(key);
        }
        for (String wrapper : new String[] {"layer", "backward_layer"}) {
            JsonNode inner = config.path(wrapper);
            // An inner class that claims nothing is refused by the wrapper's own rule (Computability), not computed.
            if (inner.isObject() && inner.has("class_name") && claims != null && claims.claims(wrapper)
                    && CLAIMS.containsKey(inner.path("class_name").asText())) {
                for (String k : unclaimedKeys(inner.path("class_name").asText(), inner.path("config"))) out.add(wrapper + "." + k);
            }
        }
        return out;
    }

    /** The classes that declared their keys (for tests). */
    public static Set<String> registeredClasses() {
        return Set.copyOf(CLAIMS.keySet());
    }
}
