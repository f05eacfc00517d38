package dev.graft.engine.claims;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The configuration keys one layer mapping claims: keys whose value it computes with (any value, or only some),
 * and keys that do not change what the layer computes at inference (regularisers, constraints, initialisers, since
 * the weights come from the file, dropout rates...). {@link LayerClaims} refuses a layer holding a key its mapping
 * does not claim, or a claimed key with a value the mapping does not compute, naming the layer, the key and the value.
 *
 * <p>Built with {@link #builder()}: {@code honours} (any value is computed), {@code irrelevant} (any value, nothing
 * to compute), {@code only} (these values, JSON-equal; {@code null} stands for JSON null or an absent key) and
 * {@code check} (a function of the value and the {@link Context} returning the problem, or null).
 */
public final class ArgumentClaims {
    /** What a check may need besides the value: the major version of the Keras that wrote the file (1, 2 or 3), the
     * class, the rank of the layer's first input with the batch axis (-1 when unknown), and the whole config. */
    public record Context(int kerasMajor, String className, int inputRank, JsonNode config) {
    }

    /** Null when the value is computed exactly, else what is wrong with it, in words (the value is added by the caller). */
    @FunctionalInterface
    public interface Check extends BiFunction<JsonNode, Context, String> {
    }

    static final Check ANY = (v, c) -> null;

    private final Map<String, Check> keys;

    private ArgumentClaims(Map<String, Check> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The keys claimed, with their checks. */
    Map<String, Check> keys() {
        return keys;
    }

    boolean claims(String key) {
        return keys.containsKey(key);
    }

    /** This claim set with another's keys added (the other's check wins on a key both claim). */
    public ArgumentClaims plus(ArgumentClaims other) {
        Map<String, Check> m = new LinkedHashMap<>(keys);
        m.putAll(other.keys);
        return new ArgumentClaims(m);
    }

    public static final class Builder {
        private final Map<String, Check> keys = new LinkedHashMap<>();

        /** Keys the mapping computes with, whatever their value. */
        public Builder honours(String... names) {
            for (String n : names) keys.put(n, ANY);
            return this;
        }

        /** Keys that do not change what the layer computes at inference, whatever their value. */
        public Builder irrelevant(String... names) {
            for (String n : names) keys.put(n, ANY);
            return this;
        }

        /** A key computed only with these values (compared as JSON; a Java null means JSON null or an absent key). */
        public Builder only(String name, Object... values) {
            keys.put(name, (v, c) -> {
                for (Object allowed : values) if (JsonValues.matches(v, allowed)) return null;
                return "graft computes it only as " + JsonValues.describe(values);
            });
            return this;
        }

        /** A key with its own check. */
        public Builder check(String name, Check check) {
            keys.put(name, check);
            return this;
        }

        /** The same check for several keys. */
        public Builder check(Set<String> names, Check check) {
            for (String n : names) keys.put(n, check);
            return this;
        }

        public ArgumentClaims build() {
            return new ArgumentClaims(new LinkedHashMap<>(keys));
        }
    }
}
