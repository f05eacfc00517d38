package dev.graft.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.model.Shape;
import java.util.Arrays;
import java.util.List;

/** Shorthands for shape-rule tests: configs in single-quoted JSON, shapes with {@code null} = None. */
final class ShapeAssertions {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(JsonParser.Feature.ALLOW_SINGLE_QUOTES, true);

    private ShapeAssertions() {}

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + text, e);
        }
    }

    /** A shape with an unknown batch: {@code s(28, 28, 1)} is {@code (None, 28, 28, 1)}. */
    static Shape s(long... sampleDims) {
        return Shape.batchOf(sampleDims);
    }

    /** Like {@link #s(long...)} with unknown ({@code null}) sample dimensions: {@code sn(null, 8L)}. */
    static Shape sn(Long... sampleDims) {
        return Shape.batchOf(Arrays.asList(sampleDims));
    }

    static List<Shape> infer(String className, String config, Shape... inputs) {
        return ShapeInference.outputShapes(className, json(config), List.of(inputs));
    }

    /** The single output of a one-output call. */
    static Shape one(String className, String config, Shape... inputs) {
        List<Shape> out = infer(className, config, inputs);
        assertEquals(1, out.size(), () -> className + " should have one output, got " + out);
        return out.get(0);
    }

    static void assertShape(String expected, Shape actual) {
        assertEquals(expected, actual.toString());
    }

    static void assertShapes(String expected, List<Shape> actual) {
        assertEquals(expected, actual.toString());
    }

    static String error(String className, String config, Shape... inputs) {
        return assertThrows(ShapeInferenceException.class, () -> infer(className, config, inputs)).getMessage();
    }
}
