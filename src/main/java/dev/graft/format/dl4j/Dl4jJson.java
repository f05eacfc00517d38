package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.shade.jackson.core.JsonProcessingException;

/**
 * DL4J configuration objects as graft's JSON. DL4J serializes with its own shaded Jackson, so the
 * text is the bridge. Objects are written by DL4J 1.0.0-M2.1's serializer, in its current
 * spelling ({@code "@class"} names) whatever version wrote the file, so that DL4J can read the
 * config back ({@code NeuralNetConfiguration.mapper().readValue(text, Layer.class)}); DL4J ignores
 * keys it does not know, such as the {@code preProcessor} and {@code trainable} graft adds.
 */
final class Dl4jJson {
    private Dl4jJson() {
    }

    /** {@code value} serialized as its declared base type, so the {@code @class} name is written. */
    static ObjectNode of(Object value, Class<?> baseType) {
        String text;
        try {
            text = NeuralNetConfiguration.mapper().writerFor(baseType).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DL4J cannot serialize its own " + baseType.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
        JsonNode node = Json.parse(text);
        if (!node.isObject()) throw new IllegalStateException("DL4J wrote a " + baseType.getSimpleName() + " as " + node.getNodeType());
        return (ObjectNode) node;
    }
}
