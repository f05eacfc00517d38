package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.engine.layers.ChannelsFirstConv1DLayer;
import dev.graft.engine.layers.ChannelsFirstConv1DRuntime;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A model with channels-first Conv1D written as a DL4J zip (what {@code merge -o x.zip} writes) comes back
 * in DL4J as the same layers computing the same numbers, and graft reads it.
 */
class ChannelsFirstConv1DPersistenceTest {
    @TempDir
    Path dir;

    @Test
    void dl4jZipRoundTrip() throws Exception {
        Conv1DStacks m = new Conv1DStacks(7, 3L, 17L)
                .conv1d("cf1", "channels_first", 3, 5, 3, 2, 1, "same", "relu", true)     // (5, 9)
                .conv1d("cf2", "channels_first", 5, 4, 2, 1, 2, "causal", "tanh", false)  // (4, 9)
                .conv1d("cl", "channels_last", 9, 2, 2, 1, 1, "valid", "sigmoid", true);   // (3, 2)
        Path zip = dir.resolve("model.zip");
        dev.graft.format.dl4j.Dl4jZipWriter.write(KerasEngine.build(m.writtenAndRead(dir)), zip);

        ComputationGraph back = ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        assertInstanceOf(ChannelsFirstConv1DLayer.class, back.getLayer("cf1").conf().getLayer());
        assertInstanceOf(ChannelsFirstConv1DRuntime.class, back.getLayer("cf2"));
        HostArray x = m.input(4, -1);
        HostArray y = Tensors.fromNd4j(back.output(false, Tensors.toNd4j(x, DataType.FLOAT))[0]);
        double err = ReferenceKeras.maxAbsDiff(m.reference(x), y);
        assertTrue(err <= 1e-5, "max abs error " + err);

        // graft reads the zip back (its inspect and merge take DL4J zips), parameters and all
        ModelGraph read = ModelFiles.read(zip);
        assertEquals("ChannelsFirstConv1DLayer", read.layer("cf1").className());
        assertEquals(3 * 3 * 5 + 5, read.layer("cf1").parameterCount());
        assertEquals(2 * 5 * 4, read.layer("cf2").parameterCount());
    }
}
