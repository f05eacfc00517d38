package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graft.Fixtures;
import dev.graft.data.NpyWriter;
import dev.graft.format.dl4j.Dl4jNetworks;
import dev.graft.model.HostArray;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's regression CNNs of 0.5 and 0.8 cannot be computed by any input (DL4J's regression tests check their configuration
 * and parameters only): 0.5's has no flatten before its output layer, 0.8's records a flatten of 3 x 28 x 28 (its
 * ConvolutionMode.Same) before an output layer of 2028 = 3 x 26 x 26 inputs. predict and train refuse them with one line
 * saying so, before computing; 0.6's, the same network with a right flatten, computes.
 */
class Dl4jFlattenRefusalTest {
    private static final String NO_FLATTEN = "layer 'layer2' (OutputLayer) takes rows of 2028 values but 'layer1' (SubsamplingLayer) before"
            + " it gives images, and the zip records no flatten between them (a CnnToFeedForwardPreProcessor): DL4J cannot compute it either";
    private static final String WRONG_FLATTEN = "layer 'layer2' (OutputLayer) takes rows of 2028 values but the flatten before it records"
            + " images of 3 x 28 x 28 = 2352: the configuration contradicts itself, and DL4J cannot compute it either (for any image size)";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"050, NO_FLATTEN", "080, WRONG_FLATTEN"})
    void predictAndTrainRefuseWithOneLine(String version, String reason) throws Exception {
        Path model = Fixtures.file("dl4j/regression_" + version + "/" + version + "_ModelSerializer_Regression_CNN_1.zip");
        String line = "graft: " + model + ": " + (reason.equals("NO_FLATTEN") ? NO_FLATTEN : WRONG_FLATTEN) + "\n";
        Path x = images(28);
        Path y = dir.resolve("y.npy");
        NpyWriter.write(y, HostArray.ofFloats(new long[] {2, 5}, new float[] {0, 1, 0, 0, 0, 0, 0, 1, 0, 0}));

        Cli p = Cli.run("predict", model.toString(), "--input", x.toString(), "-o", dir.resolve("p.npy").toString());
        assertEquals(1, p.exitCode(), p.err());
        assertEquals(line, p.err());
        Cli t = Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--epochs", "1", "-o", dir.resolve("t.zip").toString());
        assertEquals(1, t.exitCode(), t.err());
        assertEquals(line, t.err());
        assertFalse(Files.exists(dir.resolve("p.npy")) || Files.exists(dir.resolve("t.zip")), "nothing written");
    }

    /** What the refusals claim: DL4J itself fails on them, at 28 x 28 and at 26 x 26. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"050", "080"})
    void dl4jItselfCannotComputeThem(String version) {
        ComputationGraph net = Dl4jNetworks.restore(Fixtures.file("dl4j/regression_" + version + "/" + version + "_ModelSerializer_Regression_CNN_1.zip"));
        for (int side : new int[] {28, 26}) {
            assertThrows(RuntimeException.class, () -> net.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 3, side, side)), "side " + side);
        }
    }

    @Test
    void theSameNetworkWithItsFlattenComputes() throws Exception {
        Path model = Fixtures.file("dl4j/regression_060/060_ModelSerializer_Regression_CNN_1.zip");
        Path out = dir.resolve("p.npy");
        Cli p = Cli.run("predict", model.toString(), "--input", images(28).toString(), "-o", out.toString());
        assertEquals(0, p.exitCode(), p.err());
        assertEquals(2 * 5, dev.graft.data.NpyReader.read(out).size());
    }

    /** Two images of side x side x 3, channels last (as predict takes them). */
    private Path images(int side) throws Exception {
        float[] v = new float[2 * side * side * 3];
        for (int i = 0; i < v.length; i++) v[i] = (i % 13) / 13f;
        Path p = dir.resolve("x" + side + ".npy");
        NpyWriter.write(p, HostArray.ofFloats(new long[] {2, side, side, 3}, v));
        return p;
    }
}
