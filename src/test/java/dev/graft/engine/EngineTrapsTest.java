package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.format.ModelFiles;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The models that trap DL4J's own importer (an LSTM's Orthogonal initializer it samples for
 * minutes; raw TensorFlow ops) either build or fail with a specific message: never hang. The
 * timeout only turns a regression into a failure instead of a stuck build.
 */
class EngineTrapsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "keras/models/examples__masking__masking_two_lstm.h5, builds",
        "keras/models/examples__reshape_to_rnn__reshape_model.h5, builds",
        "wild/gesture_lstm_tf2131.h5, builds",
        "wild/covid_cases_lstm_tf24.h5, builds",
        "keras/models/tfkeras__reshape.h5, is a raw TensorFlow operation (TensorFlowOpLayer 'Reshape')",
        "keras/models/tfkeras__permute.h5, is a raw TensorFlow operation (TensorFlowOpLayer 'transpose_1')",
    })
    void buildsOrFailsClearly(String fixture, String outcome) {
        Path model = Fixtures.file(fixture);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            if (outcome.equals("builds")) {
                EngineModel m = EngineModel.ofKeras(ModelFiles.read(model));
                dev.graft.model.Shape in = m.inputShapes().get(0);
                long[] shape = new long[in.rank()];
                shape[0] = 2;
                for (int d = 1; d < shape.length; d++) shape[d] = in.dim(d) == null ? 3 : in.dim(d);
                var y = m.predict(dev.graft.model.HostArray.ofFloats(shape, new float[Math.toIntExact(dev.graft.model.HostArray.size(shape))]))[0];
                assertTrue(y.shape()[0] == 2 && y.size() > 0, "computes an output for a batch of 2");
            } else {
                EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> KerasEngine.build(ModelFiles.read(model)));
                assertTrue(e.getMessage().contains(outcome), e.getMessage());
            }
        });
    }
}
