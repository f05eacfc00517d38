package dev.graft.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A recorded loss is shown under Keras's name however the file spells it. */
class TrainingNamesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'\"binary_crossentropy\"'                                                              | binary_crossentropy",
        "'\"binaryxent\"'                                                                       | binary_crossentropy",
        "'\"mcxent\"'                                                                           | categorical_crossentropy",
        "'\"mse\"'                                                                              | mean_squared_error",
        "'\"l2\"'                                                                               | l2",
        "'{\"module\": \"keras.losses\", \"class_name\": \"BinaryCrossentropy\", \"config\": {\"name\": \"binary_crossentropy\", \"from_logits\": false}, \"registered_name\": null}' | binary_crossentropy",
        "'{\"module\": \"keras.losses\", \"class_name\": \"function\", \"config\": \"mean_squared_error\", \"registered_name\": \"function\"}' | mean_squared_error",
        "'{\"class_name\": \"MyLoss\", \"config\": {\"name\": \"my_loss\"}}'                     | my_loss",
        "'{\"out_a\": \"mse\", \"out_b\": \"binary_crossentropy\"}'                             | 'mean_squared_error, binary_crossentropy'",
    })
    void lossNames(String loss, String shown) {
        ObjectNode tc = (ObjectNode) Json.parse("{\"loss\": " + loss + ", \"metrics\": [\"accuracy\"]}");
        assertEquals(shown, ModelSummarizer.training(tc).loss());
    }
}
