package dev.graft.format.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.format.ModelFileException;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class Dl4jNetworksTest {
    /** The stored outputs were computed by DL4J 1.0.0-beta4 in float32; M2.1 differs by at most 9e-8. */
    private static final double TOLERANCE = 1e-6;

    @TempDir
    Path tmp;

    static Stream<Path> loadable() {
        return Dl4jFixtures.loadable();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SyntheticCNN", "SyntheticBidirectionalRNNGraph"})
    void reproducesTheStoredOutputs(String name) throws IOException {
        Path dir = Dl4jFixtures.file("regression_100b4/" + name + "_100b4.bin").getParent();
        ComputationGraph net = Dl4jNetworks.restore(dir.resolve(name + "_100b4.bin"));
        INDArray input = readArray(dir.resolve(name + "_Input_100b4.bin"));
        INDArray expected = readArray(dir.resolve(name + "_Output_100b4.bin"));

        INDArray actual = net.outputSingle(input);
        assertArrayEquals(expected.shape(), actual.shape());
        double maxDiff = actual.castTo(expected.dataType()).sub(expected).amaxNumber().doubleValue();
        assertTrue(maxDiff <= TOLERANCE, name + ": max |difference| " + maxDiff);
    }

    @Test
    void multiLayerNetworkBecomesAGraphNamedLikeTheReader() {
        Path file = Dl4jFixtures.file("regression_100b4/SyntheticCNN_100b4.bin");
        ComputationGraph net = Dl4jNetworks.restore(file);
        ModelGraph graph = Dl4jZipReader.read(file);
        assertEquals(List.of("input"), net.getConfiguration().getNetworkInputs());
        assertEquals(List.of("layer9"), net.getConfiguration().getNetworkOutputs());
        assertEquals(graph.layers().stream().map(Layer::name).toList(),
                Stream.of(net.getVertices()).map(GraphVertex::getVertexName).sorted(new TopologicalOrder(net)).toList());
        // Same values bit for bit, and the same outputs as DL4J's own MultiLayerNetwork.
        for (Layer layer : graph.layers()) {
            for (Weight w : layer.weights()) {
                assertTrue(w.read().bitEquals(NdArrays.copy(net.getVertex(layer.name()).paramTable(false).get(w.role()))), w.name());
            }
        }
        MultiLayerNetwork original = Dl4jRestorer.restore(file).multiLayer();
        INDArray in = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 28, 28);
        assertEquals(original.output(in), net.outputSingle(in));
    }

    /** Restore, write, restore: the parameters come back bit for bit and the zip reads as the same layers. */
    @ParameterizedTest
    @MethodSource("loadable")
    void writeAndRestoreKeepsEveryBit(Path file) {
        ComputationGraph net = Dl4jNetworks.restore(file);
        Path written = tmp.resolve("copy.zip");
        Dl4jZipWriter.write(net, written);
        ComputationGraph back = Dl4jNetworks.restore(written);

        assertEquals(net.getConfiguration(), back.getConfiguration());
        assertTrue(NdArrays.copy(net.params()).bitEquals(NdArrays.copy(back.params())));
        ModelGraph before = Dl4jZipReader.read(file);
        ModelGraph after = Dl4jZipReader.read(written);
        assertEquals("ComputationGraph", after.modelClass());
        assertEquals(before.layers().stream().map(Layer::name).toList(), after.layers().stream().map(Layer::name).toList());
        assertEquals(before.layers().stream().map(Layer::className).toList(), after.layers().stream().map(Layer::className).toList());
        assertEquals(before.parameterCount(), after.parameterCount());
    }

    @Test
    void writerReplacesTheTargetAndLeavesNothingElse() throws IOException {
        ComputationGraph net = smallGraph();
        Path target = Files.writeString(tmp.resolve("model.zip"), "an older file");
        Dl4jZipWriter.write(net, target);
        assertEquals(List.of(target), listing());
        assertTrue(NdArrays.copy(net.params()).bitEquals(NdArrays.copy(Dl4jNetworks.restore(target).params())));
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoPartialFile() throws IOException {
        Path target = Files.writeString(tmp.resolve("model.zip"), "an older file");
        // ModelSerializer writes configuration.json, then asks for the parameters: fail there, mid-write.
        ComputationGraph good = smallGraph();
        ComputationGraph failing = new ComputationGraph(good.getConfiguration()) {
            @Override
            public INDArray params() {
                throw new IllegalStateException("disk full");
            }
        };
        failing.init(good.params(), false);
        ModelFileException e = assertThrows(ModelFileException.class, () -> Dl4jZipWriter.write(failing, target));
        assertEquals("cannot be written: disk full", e.getMessage());
        assertEquals("an older file", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void writerRefusesANetworkWithoutParameters() {
        ComputationGraph uninitialized = new ComputationGraph(smallGraph().getConfiguration());
        ModelFileException e = assertThrows(ModelFileException.class, () -> Dl4jZipWriter.write(uninitialized, tmp.resolve("m.zip")));
        assertEquals("cannot be written: the network has no parameters (it was never initialized)", e.getMessage());
    }

    @Test
    void writerRefusesAMissingFolder() {
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> Dl4jZipWriter.write(smallGraph(), tmp.resolve("no/such/folder/model.zip")));
        assertEquals("cannot be written: no such folder", e.getMessage());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.sorted().toList();
        }
    }

    static ComputationGraph smallGraph() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(7).graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(3).nOut(4).build(), "in")
                .addLayer("out", new OutputLayer.Builder().nIn(4).nOut(2).build(), "dense")
                .setOutputs("out").build());
        g.init();
        return g;
    }

    static INDArray readArray(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return Nd4j.read(in);
        }
    }

    /** Orders vertex names as the graph's topological sort does. */
    private record TopologicalOrder(ComputationGraph net) implements java.util.Comparator<String> {
        @Override
        public int compare(String a, String b) {
            return Integer.compare(position(a), position(b));
        }

        private int position(String name) {
            int[] order = net.topologicalSortOrder();
            for (int i = 0; i < order.length; i++) {
                if (net.getVertices()[order[i]].getVertexName().equals(name)) return i;
            }
            throw new IllegalArgumentException(name);
        }
    }
}
