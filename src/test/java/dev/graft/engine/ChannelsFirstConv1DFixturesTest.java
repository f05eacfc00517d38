package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Channels-first Conv1D on the engine against Keras itself: every real Keras 2.3.1 model of
 * {@code keras/io} with {@code data_format="channels_first"} (kernel 2–4, strides 1–3, dilation 1–2,
 * valid and same padding, sigmoid, 3 channels × 16 steps) must reproduce the predictions Keras stored,
 * taking Keras's {@code (batch, channels, steps)} input as it is and giving {@code (batch, filters, steps_out)}.
 * DL4J's own import of these models fails in the native op.
 */
class ChannelsFirstConv1DFixturesTest {
    static final double TOL = 1e-5;

    static List<Path> models() {
        return ChannelsFirstConv1DFixtures.channelsFirst();
    }

    @Test
    void findsEveryChannelsFirstFixture() {
        // Guards the file-name pattern: a pattern that matched fewer files would silently test less.
        assertEquals(17, models().size(), "channels-first Conv1D fixtures found: " + models());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void reproducesKerasPredictions(Path model) {
        StoredPredictions io = StoredPredictions.read(ChannelsFirstConv1DFixtures.predictions(model));
        HostArray x = io.inputs().get(0);
        HostArray expected = io.outputs().get(0);

        ComputationGraph net = KerasEngine.build(ModelFiles.read(model));
        HostArray y = Tensors.fromNd4j(net.output(false, Tensors.toNd4j(x, DataType.FLOAT))[0]);

        assertArrayEquals(expected.shape(), y.shape(), "output shape (batch, filters, steps_out)");
        double err = ReferenceKeras.maxAbsDiff(expected, y);
        System.out.printf("%s: max abs error %.3g over %d values%n", model.getFileName(), err, y.size());
        assertTrue(err <= TOL, model.getFileName() + ": max abs error " + err);
    }
}
