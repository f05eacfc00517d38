package dev.graft.format.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.format.Json;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class Dl4jZipReaderTest {

    static Stream<Path> loadable() {
        return Dl4jFixtures.loadable();
    }

    @Test
    void fixtureListIsComplete() {
        assertEquals(Dl4jFixtures.MODEL_FILES, Dl4jFixtures.models().size(), Dl4jFixtures.models().toString());
    }

    /** Every loadable fixture: the weights hold exactly the network's parameters, value for value. */
    @ParameterizedTest
    @MethodSource("loadable")
    void readsEveryFixtureWithAllParameters(Path file) {
        ModelGraph graph = ModelFiles.read(file);
        ComputationGraph net = Dl4jNetworks.restore(file);

        assertEquals(ModelFormat.DL4J_ZIP, graph.source().format());
        assertEquals("dl4j", graph.source().producer());
        assertEquals(net.getVertices().length, graph.layers().size(), "one layer per vertex, inputs included");
        long read = 0;
        for (Layer layer : graph.layers()) {
            assertEquals(layer.name(), net.getVertex(layer.name()).getVertexName());
            Map<String, INDArray> table = net.getVertex(layer.name()).paramTable(false);
            assertEquals(table.size(), layer.weights().size(), layer.name());
            for (Weight w : layer.weights()) {
                HostArray values = w.read();
                assertArrayEquals(w.shape(), values.shape(), w.name());
                assertEquals(w.dtype(), values.dtype(), w.name());
                assertSameValues(table.get(w.role()), values, w.name());
                read += values.size();
            }
            for (var call : layer.calls()) {
                for (TensorRef in : call.inputs()) assertTrue(graph.hasLayer(in.layer()), layer.name() + " reads unknown " + in);
            }
        }
        long saved = Dl4jRestorer.restore(file).numParams();
        assertEquals(saved, read);
        assertEquals(saved, graph.parameterCount());
        assertEquals(saved, net.params().length());
    }

    @Test
    void multiLayerPerceptronFrom050() {
        ModelGraph g = ModelFiles.read(Dl4jFixtures.file("regression_050/050_ModelSerializer_Regression_MLP_1.zip"));
        assertEquals("MultiLayerNetwork", g.modelClass());
        assertEquals("<=0.5.0", g.source().producerVersion());
        assertEquals(List.of("input", "layer0", "layer1"), names(g));
        assertEquals(List.of("InputLayer", "DenseLayer", "OutputLayer"), classes(g));
        assertEquals(List.of("(None, 3)", "(None, 4)", "(None, 5)"), shapes(g));
        assertEquals(List.of(TensorRef.of("input")), g.inputs());
        assertEquals(List.of(TensorRef.of("layer1")), g.outputs());
        assertEquals(List.of(TensorRef.of("layer0")), g.layer("layer1").calls().get(0).inputs());

        Weight w = g.layer("layer0").weights().get(0);
        assertEquals("layer0/W", w.name());
        assertArrayEquals(new long[] {3, 4}, w.shape());
        // DL4J's regression models hold 1, 2, 3, ... in the flat vector; a dense W is a column-major
        // [nIn, nOut] view of it, so its rows read 1, 4, 7, 10 / 2, 5, 8, 11 / 3, 6, 9, 12.
        assertArrayEquals(new float[] {1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12}, w.read().floatData());
        assertEquals("layer0/b", g.layer("layer0").weights().get(1).name());
        assertArrayEquals(new float[] {13, 14, 15, 16}, g.layer("layer0").weights().get(1).read().floatData());

        assertEquals(Json.parse("{\"loss\": \"categorical_crossentropy\", \"optimizer_config\": {\"class_name\": \"Nesterovs\","
                + " \"config\": {\"learning_rate\": 0.15, \"momentum\": 0.9}}}"), g.trainingConfig());
    }

    @Test
    void layerConfigIsDl4jJsonThatDl4jReadsBack() throws Exception {
        ModelGraph g = ModelFiles.read(Dl4jFixtures.file("regression_060/060_ModelSerializer_Regression_MLP_2.zip"));
        JsonNode c = g.layer("layer1").config();
        assertEquals("org.deeplearning4j.nn.conf.layers.OutputLayer", c.path("@class").asText());
        assertEquals(4, c.path("nin").asLong());
        assertEquals(5, c.path("nout").asLong());
        org.deeplearning4j.nn.conf.layers.Layer back = NeuralNetConfiguration.mapper().readValue(Json.compact(c),
                org.deeplearning4j.nn.conf.layers.Layer.class);
        org.deeplearning4j.nn.conf.layers.Layer original = Dl4jRestorer.restore(g.source().path()).multiLayer()
                .getLayerWiseConfigurations().getConf(1).getLayer();
        assertEquals(original, back);
        assertEquals("mean_squared_error", g.trainingConfig().path("loss").asText(), "DL4J's LossMSE under Keras's name");
    }

    @Test
    void graphOfRecurrentLayersFrom080() {
        ModelGraph g = ModelFiles.read(Dl4jFixtures.file("regression_080/080_ModelSerializer_Regression_CG_LSTM_1.zip"));
        assertEquals("ComputationGraph", g.modelClass());
        assertEquals("0.7.2 to 1.0.0-alpha", g.source().producerVersion());
        assertEquals(List.of("in", "0", "1", "2"), names(g));
        assertEquals(List.of("InputLayer", "GravesLSTM", "GravesBidirectionalLSTM", "RnnOutputLayer"), classes(g));
        assertEquals(List.of("(None, None, 3)", "(None, None, 4)", "(None, None, 4)", "(None, None, 5)"), shapes(g));
        assertEquals(List.of("1/WF", "1/RWF", "1/bF", "1/WB", "1/RWB", "1/bB"), g.layer("1").weights().stream().map(Weight::name).toList());
        // GravesLSTM's recurrent weights carry three peephole columns: 4 * nOut + 3.
        assertArrayEquals(new long[] {4, 19}, g.layer("0").weights().get(1).shape());
        assertEquals("RmsProp", g.trainingConfig().path("optimizer_config").path("class_name").asText());
    }

    @Test
    void bidirectionalGraphWithMergeVertex() {
        ModelGraph g = ModelFiles.read(Dl4jFixtures.file("regression_100b4/SyntheticBidirectionalRNNGraph_100b4.bin"));
        assertEquals(">=1.0.0-beta", g.source().producerVersion());
        assertEquals(List.of("input", "rnn1", "rnn2", "concat", "pooling", "out"), names(g));
        assertEquals(List.of("InputLayer", "Bidirectional", "Bidirectional", "MergeVertex", "GlobalPoolingLayer", "OutputLayer"), classes(g));
        assertEquals(List.of(TensorRef.of("rnn1"), TensorRef.of("rnn2")), g.layer("concat").calls().get(0).inputs());
        assertEquals("org.deeplearning4j.nn.conf.graph.MergeVertex", g.layer("concat").config().path("@class").asText());
        // Global pooling over time gives one vector per sequence (DL4J M2.1 itself declares a sequence).
        assertEquals(List.of("(None, None, 10)", "(None, None, 32)", "(None, None, 32)", "(None, None, 64)", "(None, 64)", "(None, 3)"), shapes(g));
        assertEquals(Json.parse("{\"loss\": \"categorical_crossentropy\", \"optimizer_config\": {\"class_name\": \"Adam\", \"config\":"
                + " {\"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": 1.0E-8, \"learning_rate\": 0.005}}}"), g.trainingConfig());
    }

    @Test
    void convolutionsWithoutStoredInputSizeHaveNoShapes() {
        ModelGraph g = ModelFiles.read(Dl4jFixtures.file("regression_100b4/SyntheticCNN_100b4.bin"));
        assertEquals(List.of("InputLayer", "ConvolutionLayer", "SeparableConvolution2D", "SubsamplingLayer", "ZeroPaddingLayer",
                "Upsampling2D", "DepthwiseConvolution2D", "SubsamplingLayer", "Cropping2D", "ConvolutionLayer", "CnnLossLayer"), classes(g));
        for (Layer l : g.layers()) assertNull(l.declaredOutputShapes(), l.name());
        assertArrayEquals(new long[] {4, 1, 3, 3}, g.layer("layer0").weights().get(1).shape());
        assertEquals("layer0/W", g.layer("layer0").weights().get(1).name());
    }

    @Test
    void preprocessorRecordsTheImageSizeBeforeIt() {
        ModelGraph g = ModelFiles.read(Dl4jFixtures.file("regression_060/060_ModelSerializer_Regression_CNN_1.zip"));
        assertNull(g.layer("layer0").declaredOutputShapes());
        assertEquals(List.of(Shape.batchOf(26, 26, 3)), g.layer("layer1").declaredOutputShapes());
        assertEquals(List.of(Shape.batchOf(5)), g.layer("layer2").declaredOutputShapes());
        assertEquals("org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor",
                g.layer("layer2").config().path("preProcessor").path("@class").asText());
        assertEquals("<=0.7.1", g.source().producerVersion());
    }

    @Test
    void preprocessorContradictingTheNextLayerIsNotBelieved() {
        // The 0.8.0 CNN's preprocessor says 28x28x3 (2352 values); the output layer's nIn is 2028.
        ModelGraph g = ModelFiles.read(Dl4jFixtures.file("regression_080/080_ModelSerializer_Regression_CNN_1.zip"));
        assertNull(g.layer("layer1").declaredOutputShapes());
        assertEquals(List.of(Shape.batchOf(5)), g.layer("layer2").declaredOutputShapes());
    }

    @Test
    void integrationModels() {
        ModelGraph rnn = ModelFiles.read(Dl4jFixtures.file("integration_RnnCsvSequenceClassification1/Model_RANDOM_INIT_UNTRAINED.zip"));
        assertEquals(List.of("(None, None, 1)", "(None, None, 10)", "(None, 10)", "(None, 6)"), shapes(rnn));

        ModelGraph vae = ModelFiles.read(Dl4jFixtures.file("integration_VAEMnistAnomaly/Model_RANDOM_INIT_UNTRAINED.zip"));
        assertEquals(List.of("InputLayer", "VariationalAutoencoder"), classes(vae));
        assertEquals(14, vae.layer("layer0").weights().size());
        assertFalse(vae.trainingConfig().has("loss"), "a VAE alone has no output layer");
        assertEquals("Adam", vae.trainingConfig().path("optimizer_config").path("class_name").asText());

        ModelGraph mnist = ModelFiles.read(Dl4jFixtures.file("integration_MLPMnist/Model_RANDOM_INIT_UNTRAINED.zip"));
        assertEquals(List.of("(None, 784)", "(None, 64)", "(None, 10)"), shapes(mnist));
        assertEquals(50_890, mnist.parameterCount());
        JsonNode schedule = mnist.trainingConfig().path("optimizer_config").path("config").path("learning_rate_schedule");
        assertEquals(0.05, schedule.path("values").path("0").asDouble());
        assertEquals("float32", mnist.layer("input").config().path("dtype").asText());
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Compares by ND4J's own indexing (not by copying), so the row-major order of the copy is checked. */
    static void assertSameValues(INDArray expected, HostArray actual, String what) {
        assertNotNull(expected, what);
        assertArrayEquals(expected.shape(), actual.shape(), what);
        long n = actual.size();
        long step = Math.max(1, n / 5000);
        long[] shape = actual.shape();
        for (long flat = 0; flat < n; flat += step) {
            long[] idx = new long[shape.length];
            long rest = flat;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = rest % shape[d];
                rest /= shape[d];
            }
            assertEquals(expected.getDouble(idx), actual.getDouble(flat), 0.0, what + " at " + flat);
        }
    }

    static List<String> names(ModelGraph g) {
        return g.layers().stream().map(Layer::name).toList();
    }

    static List<String> classes(ModelGraph g) {
        return g.layers().stream().map(Layer::className).toList();
    }

    static List<String> shapes(ModelGraph g) {
        return g.layers().stream().map(l -> l.declaredOutputShapes() == null ? "null" : l.declaredOutputShapes().get(0).toString()).toList();
    }
}
