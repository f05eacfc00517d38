package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.format.dl4j.Dl4jZipWriter;
import dev.graft.model.HostArray;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;

/**
 * A DL4J zip (built by DL4J, not by graft) whose ReLU activation layer reads the network's input,
 * which a skip connection reads too: DL4J's activation layer computes in place on an array outside
 * its workspaces, so the skip would add relu(x) instead of x. The engine inserts the same copy for a
 * restored zip as for a network it builds itself, and computes relu(x) + x.
 */
class SharedInputCopiesZipTest {
    @TempDir
    Path dir;

    @Test
    void restoredZipWithAnActivationBesideASkipComputesTheSkipUnchanged() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(4).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(3))
                .addLayer("act", new ActivationLayer.Builder().activation(Activation.RELU).build(), "in")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "act", "in")
                .setOutputs("sum")
                .build());
        net.init();
        Path zip = dir.resolve("skip.zip");
        Dl4jZipWriter.write(net, zip);

        float[] in = {1, -2, 0.5f, -1, 0.25f, 2, 0.3f, 0.7f, -0.9f, -1.5f, -0.2f, 0.1f};
        float[] expected = new float[in.length];
        for (int i = 0; i < in.length; i++) expected[i] = Math.max(0, in[i]) + in[i];
        HostArray got = EngineModels.load(zip).predict(HostArray.ofFloats(new long[] {4, 3}, in))[0];
        assertEquals("[4, 3]", java.util.Arrays.toString(got.shape()));
        assertClose(HostArray.ofFloats(new long[] {4, 3}, expected), got, 1e-6);
    }
}
