package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.data.NpyReader;
import dev.graft.data.NpyWriter;
import dev.graft.engine.EngineModel;
import dev.graft.engine.EngineModels;
import dev.graft.engine.Tensors;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code graft predict} on the DL4J fixtures that store their inputs and DL4J's outputs (regression_100b4; the other
 * regression and integration zips store none, and CustomLayerExample needs a class graft does not have): the stored
 * input in Keras layout (channels last, as predict takes it) gives the stored output in Keras layout. {@code Dl4jNetworksTest} checks
 * the network DL4J restores; this checks the whole command (graft's reading, its layouts, its copies of shared inputs).
 */
class Dl4jStoredOutputsTest {
    /** The stored outputs were computed by DL4J 1.0.0-beta4 in float32; M2.1 differs by at most 9e-8. */
    private static final double TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"SyntheticCNN", "SyntheticBidirectionalRNNGraph"})
    void predictGivesTheStoredOutputs(String name) throws Exception {
        Path folder = Fixtures.file("dl4j/regression_100b4/" + name + "_100b4.bin").getParent();
        Path model = folder.resolve(name + "_100b4.bin");
        INDArray input = read(folder.resolve(name + "_Input_100b4.bin"));
        EngineModel engine = EngineModels.load(model);
        // DL4J's layout (channels first) to Keras's, as predict gives it
        INDArray expected = engine.outputs().get(0).layout().toKeras(read(folder.resolve(name + "_Output_100b4.bin")));
        Path x = dir.resolve("x.npy");
        NpyWriter.write(x, Tensors.fromNd4j(engine.inputs().get(0).layout().toKeras(input).dup()));
        Path y = dir.resolve("y.npy");

        Cli r = Cli.run("predict", model.toString(), "--input", x.toString(), "-o", y.toString());
        assertEquals(0, r.exitCode(), r.err());
        INDArray actual = Tensors.toNd4j(NpyReader.read(y), DataType.FLOAT);
        assertArrayEquals(expected.shape(), actual.shape());
        double maxDiff = actual.sub(expected.castTo(DataType.FLOAT)).amaxNumber().doubleValue();
        assertTrue(maxDiff <= TOLERANCE, name + ": max |difference| " + maxDiff);
    }

    private static INDArray read(Path file) throws Exception {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return Nd4j.read(in);
        }
    }
}
