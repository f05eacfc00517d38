package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.HostArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * graft's losses and metrics against real Keras 3.15.1's on fixed data (src/test/resources/keras-reference,
 * made by bench/keras_reference.py in the Keras oracle): probabilities with exact 0 and 1 (Keras's clipping),
 * label smoothing, Huber's delta, unnormalised rows for the categorical cross-entropies.
 */
class KerasReferenceLossesTest {
    static final JsonNode REF = read();

    static JsonNode read() {
        try {
            return Json.parse(Files.readString(Path.of("src/test/resources/keras-reference/losses.json")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<JsonNode> losses() {
        return StreamSupport.stream(REF.get("losses").spliterator(), false);
    }

    static Stream<JsonNode> metrics() {
        return StreamSupport.stream(REF.get("metrics").spliterator(), false);
    }

    /** Keras 3's form of a loss given as a function ({@code loss=keras.losses.categorical_crossentropy}), as mnist_digit.keras stores it. */
    @org.junit.jupiter.api.Test
    void lossGivenAsAFunction() throws Exception {
        JsonNode form = Json.parse("{\"module\": \"builtins\", \"class_name\": \"function\", \"config\": \"categorical_crossentropy\", "
                + "\"registered_name\": \"function\"}");
        assertEquals(LossSettings.of(LossKind.CATEGORICAL_CROSSENTROPY), LossSettings.parse(form, "test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void lossIsKeras(JsonNode c) {
        ObjectNode form = Json.object();
        form.put("class_name", c.get("loss").asText());
        form.set("config", c.get("args"));
        LossSettings loss = LossSettings.parse(form, "test");
        HostArray y = array(c.get("labels").asText());
        HostArray p = array(c.get("predictions").asText());
        int rows = (int) p.shape()[0], width = (int) p.shape()[1], labelWidth = (int) y.shape()[1];
        double got = loss.evaluate(p.toFloatArray(), loss.lossLabels(y).toFloatArray(), rows, width, labelWidth);
        double want = c.get("value").asDouble();
        assertEquals(want, got, 1e-6 * Math.max(1, Math.abs(want)), c.toString());
    }

    /**
     * What the engine minimises is Keras's loss: the loss function graft puts on the output layer,
     * scored on the same predictions (an identity activation hands them over unchanged).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void engineTrainsOnKerasLoss(JsonNode c) {
        ObjectNode form = Json.object();
        form.put("class_name", c.get("loss").asText());
        form.set("config", c.get("args"));
        LossSettings loss = LossSettings.parse(form, "test");
        HostArray y = loss.lossLabels(array(c.get("labels").asText()));
        HostArray p = array(c.get("predictions").asText());
        var labels = dev.graft.engine.Tensors.toNd4j(y, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        var pred = dev.graft.engine.Tensors.toNd4j(p, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        org.nd4j.linalg.activations.IActivation activation = new org.nd4j.linalg.activations.impl.ActivationIdentity();
        if (!loss.fromLogits() && (loss.kind().labels() == LossKind.Labels.DISTRIBUTION || loss.kind().labels() == LossKind.Labels.CLASS_INDEX)) {
            // the engine's categorical losses work on a softmax output: softmax(log p) hands over p normalised
            activation = new org.nd4j.linalg.activations.impl.ActivationSoftmax();
            pred = org.nd4j.linalg.ops.transforms.Transforms.log(org.nd4j.linalg.ops.transforms.Transforms.max(pred, 1e-7, true), false);
        }
        double got = loss.lossFunction((int) p.shape()[1]).computeScore(labels, pred, activation, null, true);
        double want = c.get("value").asDouble();
        assertEquals(want, got, 1e-5 * Math.max(1, Math.abs(want)), c.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metrics")
    void metricIsKeras(JsonNode c) {
        Metric metric = Metric.parse(c.get("metric").asText(), LossKind.BINARY_CROSSENTROPY);
        HostArray y = array(c.get("labels").asText());
        HostArray p = array(c.get("predictions").asText());
        int rows = (int) p.shape()[0], width = (int) p.shape()[1], labelWidth = (int) y.shape()[1];
        double got = metric.compute(p.toFloatArray(), y.toFloatArray(), rows, width, labelWidth, c.get("args").path("threshold").asDouble(0.5));
        assertEquals(c.get("value").asDouble(), got, 1e-6, c.toString());
    }

    private static HostArray array(String name) {
        JsonNode a = REF.get("data").get(name);
        long[] shape = new long[a.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = a.get("shape").get(i).asLong();
        float[] v = new float[a.get("values").size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) a.get("values").get(i).asDouble();
        return HostArray.ofFloats(shape, v);
    }
}
