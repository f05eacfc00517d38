package dev.graft.engine;

import dev.graft.Fixtures;
import dev.graft.format.ModelFiles;
import dev.graft.format.dl4j.Dl4jNetworks;
import dev.graft.format.dl4j.Dl4jZipWriter;
import dev.graft.testutil.StoredPredictions;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A network holding LSTM state vertices survives a DL4J zip: same configuration, same outputs, bit for bit. */
class LstmStatePersistenceTest {

    @Test
    void seq2seqSurvivesADl4jZip(@TempDir Path dir) {
        ComputationGraph net = KerasEngine.build(ModelFiles.read(Fixtures.file("wild/seq2seq_lstm_2in_k38.keras")));
        StoredPredictions io = StoredPredictions.read(Fixtures.file("wild/seq2seq_lstm_2in_k38_inputs_and_outputs.h5"));
        INDArray x1 = Tensors.toNd4j(io.inputs().get(0), DataType.FLOAT);
        INDArray x2 = Tensors.toNd4j(io.inputs().get(1), DataType.FLOAT);
        INDArray before = net.output(false, x1, x2)[0];

        Path zip = dir.resolve("seq2seq.zip");
        Dl4jZipWriter.write(net, zip);
        ComputationGraph restored = Dl4jNetworks.restore(zip);

        assertEquals(net.getConfiguration().toJson(), restored.getConfiguration().toJson());
        assertEquals(net.params(), restored.params());
        assertEquals(before, restored.output(false, x1, x2)[0]);
    }
}
