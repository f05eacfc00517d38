package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.HostArray;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Channels-first Conv1D where the fixtures do not reach: causal padding, no bias, other activations,
 * and other layers before and after it. The engine's result must equal Keras's arithmetic as
 * {@link ReferenceKeras} computes it (checked against Keras on the fixtures by {@link ReferenceKerasTest}).
 * Each model is written by graft as a Keras 2 file and read back, as a user's file would arrive.
 */
class ChannelsFirstConv1DStackTest {
    static final double TOL = 1e-5;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} k={1} s={2} d={3} bias={4} {5} on {6} steps")
    @CsvSource({
            "causal, 3, 2, 2, false, linear,  16",
            "causal, 2, 1, 3, true,  relu,    9",
            "causal, 4, 3, 1, true,  tanh,    17",
            "same,   4, 1, 2, false, tanh,    11",
            "same,   5, 2, 1, true,  relu,    13",
            "valid,  5, 2, 1, true,  linear,  11",
            "valid,  1, 1, 1, false, sigmoid, 6"})
    void singleLayer(String padding, int k, int s, int d, boolean bias, String activation, int steps) throws Exception {
        Conv1DStacks m = new Conv1DStacks(k * 100 + s * 10 + d, 3L, (long) steps)
                .conv1d("conv", "channels_first", 3, 5, k, s, d, padding, activation, bias);
        check(m);
    }

    /** Two channels-first convolutions, then Flatten and Dense: Flatten must see Keras's (filters, steps) order. */
    @Test
    void channelsFirstTwiceThenFlattenAndDense() throws Exception {
        Conv1DStacks m = new Conv1DStacks(1, 3L, 17L)
                .conv1d("cf1", "channels_first", 3, 5, 3, 2, 1, "same", "relu", true)      // (5, 9)
                .conv1d("cf2", "channels_first", 5, 4, 2, 1, 2, "causal", "tanh", false)   // (4, 9)
                .flatten("flat")                                                        // 36
                .dense("out", 36, 3, "softmax");
        check(m);
    }

    /** A channels-last Conv1D after it reads Keras's (filters, steps_out) as steps × features. */
    @Test
    void channelsFirstThenChannelsLast() throws Exception {
        Conv1DStacks m = new Conv1DStacks(2, 4L, 12L)
                .conv1d("cf", "channels_first", 4, 6, 4, 3, 1, "valid", "linear", true)   // (6, 3)
                .conv1d("cl", "channels_last", 3, 2, 2, 1, 1, "valid", "sigmoid", true);  // (5, 2)
        check(m);
    }

    /** After a channels-last Conv1D, the channels-first one takes its steps as channels. */
    @Test
    void channelsLastThenChannelsFirst() throws Exception {
        Conv1DStacks m = new Conv1DStacks(3, 16L, 3L)
                .conv1d("cl", "channels_last", 3, 5, 3, 1, 1, "valid", "relu", true)       // (14, 5)
                .conv1d("cf", "channels_first", 14, 3, 2, 1, 1, "same", "linear", true);  // (3, 5)
        check(m);
    }

    /** Dense on the sequence acts on Keras's last axis, the steps of the channels-first output. */
    @Test
    void channelsFirstThenDenseOnEveryRow() throws Exception {
        Conv1DStacks m = new Conv1DStacks(4, 3L, 16L)
                .conv1d("cf", "channels_first", 3, 4, 3, 2, 1, "same", "sigmoid", true)   // (4, 8)
                .dense("per_row", 8, 2, "relu");                                          // (4, 2)
        check(m);
    }

    /** Steps Keras leaves open (None): one engine network computes sequences of any length. */
    @Test
    void openNumberOfSteps() throws Exception {
        Conv1DStacks m = new Conv1DStacks(5, 3L, null)
                .conv1d("cf1", "channels_first", 3, 4, 3, 2, 1, "same", "relu", true)
                .conv1d("cf2", "channels_first", 4, 2, 2, 1, 2, "causal", "linear", true);
        ComputationGraph net = KerasEngine.build(m.writtenAndRead(dir));
        for (long steps : new long[] {16, 7}) check(net, m, m.input(2, steps));
    }

    private void check(Conv1DStacks m) throws Exception {
        check(KerasEngine.build(m.writtenAndRead(dir)), m, m.input(3, -1));
    }

    private static void check(ComputationGraph net, Conv1DStacks m, HostArray x) {
        HostArray expected = m.reference(x);
        HostArray y = Tensors.fromNd4j(net.output(false, Tensors.toNd4j(x, DataType.FLOAT))[0]);
        assertArrayEquals(expected.shape(), y.shape(), "output shape");
        double err = ReferenceKeras.maxAbsDiff(expected, y);
        assertTrue(err <= TOL, "max abs error " + err);
    }
}
