package dev.graft.format.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

/** Frozen layers (transfer learning) and batch-norm statistics are reported as not trainable. */
class Dl4jTrainabilityTest {
    @TempDir
    Path tmp;

    @Test
    void batchNormStatisticsAreNotTrainable() throws IOException {
        ModelGraph g = Dl4jZipReader.read(save(network()));
        assertEquals(Map.of("layer1/gamma", true, "layer1/beta", true, "layer1/mean", false, "layer1/log10stdev", false),
                trainability(g.layer("layer1")));
        assertEquals(g.parameterCount() - 10, g.trainableParameterCount());
        assertTrue(g.layer("layer1").trainable());
    }

    @Test
    void frozenLayersOfAMultiLayerNetwork() throws IOException {
        MultiLayerNetwork net = network();
        MultiLayerNetwork frozen = new TransferLearning.Builder(net).setFeatureExtractor(1).build();
        ModelGraph g = Dl4jZipReader.read(save(frozen));

        assertEquals(List.of("InputLayer", "FrozenLayer", "FrozenLayer", "DenseLayer", "OutputLayer"),
                g.layers().stream().map(Layer::className).toList());
        for (String name : List.of("layer0", "layer1")) {
            assertFalse(g.layer(name).trainable(), name);
            assertTrue(g.layer(name).weights().stream().noneMatch(Weight::trainable), name);
        }
        assertTrue(g.layer("layer2").weights().stream().allMatch(Weight::trainable));
        assertEquals(g.layer("layer2").parameterCount() + g.layer("layer3").parameterCount(), g.trainableParameterCount());
        assertEquals(net.numParams(), g.parameterCount());
        // DL4J's shape machinery sees through the frozen wrappers.
        assertEquals(List.of("(None, 4)", "(None, 5)", "(None, 5)", "(None, 3)", "(None, 2)"), Dl4jZipReaderTest.shapes(g));
        assertEquals("Adam", g.trainingConfig().path("optimizer_config").path("class_name").asText());
    }

    @Test
    void frozenVerticesOfAComputationGraph() throws IOException {
        ComputationGraph net = network().toComputationGraph(); // DL4J names the vertices "0".."3"
        ComputationGraph frozen = new TransferLearning.GraphBuilder(net).setFeatureExtractor("1").build();
        ModelGraph g = Dl4jZipReader.read(save(frozen));

        assertEquals("ComputationGraph", g.modelClass());
        assertEquals(List.of("InputLayer", "FrozenLayer", "FrozenLayer", "DenseLayer", "OutputLayer"),
                g.layers().stream().map(Layer::className).toList());
        for (String name : List.of("0", "1")) {
            assertFalse(g.layer(name).trainable(), name);
            assertTrue(g.layer(name).weights().stream().noneMatch(Weight::trainable), name);
        }
        assertTrue(g.layer("2").weights().stream().allMatch(Weight::trainable));
        assertEquals(g.layer("2").parameterCount() + g.layer("3").parameterCount(), g.trainableParameterCount());
    }

    private static MultiLayerNetwork network() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new DenseLayer.Builder().nOut(3).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.feedForward(4))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private Path save(org.deeplearning4j.nn.api.Model net) throws IOException {
        Path file = tmp.resolve("net.zip");
        ModelSerializer.writeModel(net, file.toFile(), false);
        return file;
    }

    private static Map<String, Boolean> trainability(Layer layer) {
        return layer.weights().stream().collect(Collectors.toMap(Weight::name, Weight::trainable));
    }
}
