package dev.graft.engine;

import dev.graft.Fixtures;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real seq2seq model (Keras 3.8): the encoder LSTM returns its state, the decoder LSTM starts from it.
 * graft's engine must give the predictions Keras 3.15 stored for it.
 */
class Seq2SeqLstmStateTest {

    @Test
    void reproducesKerasPredictions() {
        Path model = Fixtures.file("wild/seq2seq_lstm_2in_k38.keras");
        StoredPredictions io = StoredPredictions.read(Fixtures.file("wild/seq2seq_lstm_2in_k38_inputs_and_outputs.h5"));
        assertEquals(java.util.List.of("input_layer_2", "input_layer_3"), io.inputNames());

        ComputationGraph net = KerasEngine.build(ModelFiles.read(model));
        INDArray[] out = net.output(false, Tensors.toNd4j(io.inputs().get(0), DataType.FLOAT),
                Tensors.toNd4j(io.inputs().get(1), DataType.FLOAT));

        assertEquals(1, out.length);
        HostArray expected = io.outputs().get(0);
        assertArrayEquals(expected.shape(), out[0].shape());
        double maxDiff = maxAbsDiff(expected.toDoubleArray(), Tensors.fromNd4j(out[0]).toDoubleArray());
        double scale = Arrays.stream(expected.toDoubleArray()).map(Math::abs).max().orElse(0);
        System.out.printf("seq2seq_lstm_2in_k38: max |graft - Keras| = %.3g over %s (outputs up to %.3g)%n",
                maxDiff, Arrays.toString(out[0].shape()), scale);
        assertTrue(maxDiff < 1e-4, "max abs difference to Keras " + maxDiff);
        assertTrue(scale > 1e-2, "the stored outputs are not all near zero, so the comparison means something");
    }

    static double maxAbsDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }
}
