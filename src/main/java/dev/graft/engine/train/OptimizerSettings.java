package dev.graft.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftException;
import dev.graft.format.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One optimizer with every argument resolved, as Keras 3 would construct it: Keras's defaults,
 * then what a model's stored {@code optimizer_config} says (Keras 2 spellings such as {@code lr}
 * understood), then what the user asked for ({@code --optimizer-arg KEY=VALUE}, {@code
 * --learning-rate}). Arguments graft does not implement are accepted only at values that change
 * nothing; anything else is refused with one line naming the argument.
 */
public final class OptimizerSettings {
    /** Keys Keras 2 recorded that Keras 3 has no use for and that change nothing here. */
    private static final Set<String> IGNORED = Set.of("name", "jit_compile", "is_legacy_optimizer");
    private static final Set<String> BOOLEANS = Set.of("nesterov", "amsgrad", "centered", "use_ema");
    private static final Set<String> CLIPS = Set.of("clipnorm", "clipvalue", "global_clipnorm");

    private final OptimizerKind kind;
    private final Map<String, Object> values;

    private OptimizerSettings(OptimizerKind kind, Map<String, Object> values) {
        this.kind = kind;
        this.values = values;
    }

    /** Keras's defaults for an optimizer. */
    public static OptimizerSettings defaults(OptimizerKind kind) {
        Map<String, Object> v = new LinkedHashMap<>(OptimizerKind.COMMON);
        v.put("learning_rate", kind.defaultLearningRate());
        v.put("weight_decay", kind.defaultWeightDecay());
        v.putAll(kind.ownArguments());
        return new OptimizerSettings(kind, v);
    }

    /**
     * @param storedClass the stored {@code optimizer_config.class_name} the config came with (DL4J's
     *                    {@code Nesterovs} means SGD with Nesterov momentum), or null
     * @param stored      the stored {@code optimizer_config.config}, or null
     * @param overrides   {@code KEY -> VALUE} as the user typed them ({@code none} for Keras's None)
     * @param source      where the stored config came from, for messages
     */
    public static OptimizerSettings resolve(OptimizerKind kind, String storedClass, JsonNode stored, Map<String, String> overrides, String source) {
        OptimizerSettings s = defaults(kind);
        if (storedClass != null && storedClass.equalsIgnoreCase("Nesterovs")) s.values.put("nesterov", true);
        if (storedClass != null && storedClass.equalsIgnoreCase("AMSGrad")) s.values.put("amsgrad", true);
        if (stored != null && stored.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = stored.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = kerasKey(e.getKey());
                if (overrides.containsKey(key) || overrides.containsKey(e.getKey())) continue; // the user's value wins
                s.set(key, fromJson(e.getValue(), key, source), source);
            }
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = kerasKey(e.getKey());
            s.set(key, fromText(e.getValue(), key), "--optimizer-arg");
        }
        s.check();
        return s;
    }

    /** {@code lr} (Keras < 2.3) is {@code learning_rate}; DL4J's {@code rms_decay} is {@code rho}. */
    private static String kerasKey(String key) {
        switch (key) {
            case "lr": return "learning_rate";
            case "rms_decay": return "rho";
            default: return key;
        }
    }

    private void set(String key, Object value, String source) {
        if (IGNORED.contains(key)) return;
        if (key.equals("decay") || key.equals("schedule_decay")) {
            // Keras 2's learning-rate decay and Keras 2.2's Nadam schedule; Keras 3 has neither.
            boolean none = value == null || (key.equals("decay") && value instanceof Double d && d == 0);
            if (!none) {
                throw new GraftException(source + ": optimizer argument " + key + "=" + text(value) + " (Keras 2) is not implemented: Keras 3 has no "
                        + key + "; give --optimizer-arg " + key + "=none to train without it");
            }
            return;
        }
        if (!values.containsKey(key)) {
            throw new GraftException(source + ": " + kind.kerasClass() + " has no argument '" + key + "'; its arguments: "
                    + String.join(", ", values.keySet()));
        }
        if (BOOLEANS.contains(key) ? !(value instanceof Boolean) : value != null && !(value instanceof Double)) {
            throw new GraftException(source + ": optimizer argument " + key + " must be " + (BOOLEANS.contains(key) ? "true or false" : "a number")
                    + ", got " + text(value));
        }
        values.put(key, value);
    }

    /** Keras's own checks, and refusals of what graft does not implement. */
    private void check() {
        String where = kind.kerasClass() + ": ";
        if (!(values.get("learning_rate") instanceof Double lr) || !(lr > 0)) throw new GraftException(where + "learning_rate must be a positive number");
        if (Boolean.TRUE.equals(values.get("use_ema"))) {
            throw new GraftException(where + "use_ema=true (moving averages of the weights) is not implemented by graft train");
        }
        for (String k : new String[] {"loss_scale_factor", "gradient_accumulation_steps"}) {
            if (values.get(k) != null) throw new GraftException(where + k + "=" + text(values.get(k)) + " is not implemented by graft train");
        }
        long clips = CLIPS.stream().filter(k -> values.get(k) != null).count();
        if (clips > 1) throw new GraftException(where + "only one of clipnorm, clipvalue and global_clipnorm can be set (as in Keras)");
        if (kind == OptimizerKind.SGD && (number("momentum") < 0 || number("momentum") > 1)) {
            throw new GraftException(where + "momentum must be between 0 and 1 (as in Keras)");
        }
        if (kind == OptimizerKind.ADAMW && values.get("weight_decay") == null) {
            throw new GraftException(where + "weight_decay must be a number (as in Keras)");
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getValue() instanceof Double d && (d.isNaN() || d.isInfinite())) throw new GraftException(where + e.getKey() + " must be finite");
        }
    }

    private static Object fromJson(JsonNode n, String key, String source) {
        if (n == null || n.isNull()) return null;
        if (n.isBoolean()) return n.booleanValue();
        if (n.isNumber()) return n.doubleValue();
        if (key.equals("learning_rate") && n.isObject()) {
            throw new GraftException(source + ": the stored learning rate is a schedule (" + n.path("class_name").asText("?")
                    + "), which graft train does not implement; give --learning-rate");
        }
        if (n.isTextual()) return n.asText();
        return n.toString();
    }

    private static Object fromText(String raw, String key) {
        String t = raw.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("none") || lower.equals("null")) return null;
        if (lower.equals("true")) return true;
        if (lower.equals("false")) return false;
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new GraftException("--optimizer-arg " + key + "=" + raw + ": not a number, true, false or none");
        }
    }

    private static String text(Object v) {
        return v == null ? "None" : v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : String.valueOf(v);
    }

    public OptimizerKind kind() {
        return kind;
    }

    public double learningRate() {
        return number("learning_rate");
    }

    /** A numeric argument; Keras's None reads as NaN. */
    public double number(String key) {
        Object v = values.get(key);
        return v instanceof Double d ? d : Double.NaN;
    }

    public boolean flag(String key) {
        return Boolean.TRUE.equals(values.get(key));
    }

    /** A numeric argument that may be None. */
    public Double optional(String key) {
        return values.get(key) instanceof Double d ? d : null;
    }

    /** Every argument, Keras's order, Keras's None as null. */
    public Map<String, Object> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** Keras's default name for an object of a class: its snake case ({@code AdamW} gives {@code adam_w}). */
    static String autoName(String cls) {
        return cls.replaceAll("(.)([A-Z][a-z]+)", "$1_$2").replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** {@code {"class_name": "Adam", "config": {...}}} as Keras 3's {@code get_config()} records it. */
    public ObjectNode toKerasConfig(String name) {
        ObjectNode o = Json.object();
        o.put("class_name", kind.kerasClass());
        ObjectNode c = o.putObject("config");
        c.put("name", name == null ? autoName(kind.kerasClass()) : name);
        values.forEach((k, v) -> {
            if (v == null) c.putNull(k);
            else if (v instanceof Boolean b) c.put(k, b);
            else if (v instanceof Double d && (k.equals("ema_overwrite_frequency") || k.equals("gradient_accumulation_steps")) && d == Math.rint(d)) c.put(k, d.longValue());
            else c.put(k, (Double) v);
        });
        return o;
    }
}
