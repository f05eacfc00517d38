package dev.graft.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.format.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What real Keras 3.15.1 accepts: for each layer class the module it is filed under and the
 * configuration keys its constructor takes; the initializer, regularizer and constraint classes
 * with theirs. Derived from {@code keras3-layers.json} (catalogued from Keras itself) by
 * {@code bin/make-keras3-classes}; a key outside these sets makes Keras 3's loader refuse the file.
 */
final class Keras3Classes {
    private static final Keras3Classes INSTANCE = load();

    private final Map<String, String> layerModules = new HashMap<>();
    private final Map<String, String> varsLayouts = new HashMap<>();
    private final Map<String, Set<String>> layerKeys = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> objectKeys = new HashMap<>();
    private final Map<String, Map<String, String>> objectAliases = new HashMap<>();

    private Keras3Classes() {
    }

    static Keras3Classes get() {
        return INSTANCE;
    }

    /** The canonical Keras 3 class for a public name or alias ({@code MaxPool1D} is {@code MaxPooling1D}). */
    String canonical(String className) {
        return aliases.getOrDefault(className, className);
    }

    boolean isLayer(String className) {
        return layerKeys.containsKey(canonical(className));
    }

    String module(String className) {
        return layerModules.getOrDefault(canonical(className), "keras.layers");
    }

    /**
     * Where a {@code .keras} file keeps the class's variables, relative to the layer's group:
     * {@code vars} or {@code cell/vars} (by position), or {@code own} for wrappers and layers made
     * of sub-layers; {@code vars} for a class Keras 3 does not know.
     */
    String varsLayout(String className) {
        return varsLayouts.getOrDefault(canonical(className), "vars");
    }

    /** Keys the class's constructor accepts; empty when the class is unknown to Keras 3. */
    Set<String> keys(String className) {
        return layerKeys.getOrDefault(canonical(className), Set.of());
    }

    /**
     * The Keras 3 class of an initializer, regularizer or constraint named {@code name} (a class name
     * or one of its snake_case aliases), or null when Keras 3 has none.
     *
     * @param kind {@code initializers}, {@code regularizers} or {@code constraints}
     */
    String objectClass(String kind, String name) {
        Map<String, Set<String>> classes = objectKeys.getOrDefault(kind, Map.of());
        if (classes.containsKey(name)) return name;
        return objectAliases.getOrDefault(kind, Map.of()).get(name);
    }

    Set<String> objectKeys(String kind, String className) {
        return objectKeys.getOrDefault(kind, Map.of()).getOrDefault(className, Set.of());
    }

    private static Keras3Classes load() {
        try (InputStream in = Keras3Classes.class.getResourceAsStream("keras3-classes.json")) {
            if (in == null) throw new IllegalStateException("keras3-classes.json is missing from the build");
            JsonNode root = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Keras3Classes t = new Keras3Classes();
            root.path("layers").fields().forEachRemaining(e -> {
                t.layerModules.put(e.getKey(), e.getValue().path("module").asText("keras.layers"));
                t.layerKeys.put(e.getKey(), strings(e.getValue().path("keys")));
                t.varsLayouts.put(e.getKey(), e.getValue().path("vars").asText("vars"));
            });
            root.path("aliases").fields().forEachRemaining(e -> t.aliases.put(e.getKey(), e.getValue().asText()));
            for (String kind : new String[] {"initializers", "regularizers", "constraints"}) {
                Map<String, Set<String>> keys = new HashMap<>();
                Map<String, String> names = new HashMap<>();
                Iterator<Map.Entry<String, JsonNode>> it = root.path(kind).fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    keys.put(e.getKey(), strings(e.getValue().path("keys")));
                    for (JsonNode a : e.getValue().path("aliases")) names.put(a.asText(), e.getKey());
                }
                t.objectKeys.put(kind, keys);
                t.objectAliases.put(kind, names);
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
