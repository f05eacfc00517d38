package dev.graft.engine;

import static dev.graft.engine.Splices.prefixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;

/** Splices that cannot be made fail with one line naming the junction, the tensors and both shapes. */
class SpliceErrorsTest {
    private static final Path SAMPLES = Path.of("samples");

    @TempDir
    Path tmp;

    private static EngineModel keras(String sample) {
        return EngineModel.ofKeras(ModelFiles.read(SAMPLES.resolve(sample)));
    }

    private static EngineModel classifier() {
        return EngineModel.ofDl4j(SAMPLES.resolve("dl4j_classifier.zip"));
    }

    private static String failure(List<SpliceDonor> donors, SpliceBridge... bridges) {
        return assertThrows(EngineException.class, () -> GraphSplicer.splice(donors, List.of(bridges))).getMessage();
    }

    @Test
    void shapesThatDoNotMatchNameBothTensors() {
        EngineModel lstm = TestNets.engine(TestNets.lstm(1, 8, 4, 2, RNNFormat.NCW), tmp.resolve("lstm.zip"));
        assertEquals("between donor 1 and donor 2: 'a_dense_1' gives (None, 32), but 'input' expects (None, None, 8)",
                failure(List.of(prefixed(keras("example1_first.h5"), "a_", false), prefixed(lstm, "b_", false)), SpliceBridge.direct("j")));
        assertEquals("between donor 1 and donor 2: 'a_dense_1' gives (None, 64), but 'input' expects (None, 32)",
                failure(List.of(prefixed(keras("example3_first.h5"), "a_", false), prefixed(classifier(), "b_", false)), SpliceBridge.direct("j")));
    }

    @Test
    void bridgesThatDoNotFit() {
        List<SpliceDonor> donors = List.of(prefixed(keras("example3_first.h5"), "a_", false), prefixed(classifier(), "b_", false));
        HostArray[] w = Reference.denseWeights(1, 16, 32);
        assertEquals("between donor 1 and donor 2: bridge 'br' has a kernel for 16 features, but (None, 64) has 64",
                failure(donors, SpliceBridge.dense("br", "relu", w[0], w[1])));
        HostArray[] w8 = Reference.denseWeights(1, 64, 8);
        assertEquals("between donor 1 and donor 2: bridge 'br' gives (None, 8), but 'input' expects (None, 32)",
                failure(donors, SpliceBridge.dense("br", "relu", w8[0], w8[1])));
        HostArray[] w32 = Reference.denseWeights(1, 64, 32);
        assertEquals("bridge 'br': activation 'geluu' is not one of celu, elu, exponential, gelu, hard_shrink, hard_sigmoid, hard_silu, hard_swish, hard_tanh, "
                + "leaky_relu, linear, log_sigmoid, mish, relu, relu6, selu, sigmoid, silu, soft_shrink, softmax, softplus, softsign, sparse_plus, "
                + "sparse_sigmoid, squareplus, swish, tanh, tanh_shrink",
                failure(donors, SpliceBridge.dense("br", "geluu", w32[0], w32[1])));
        assertEquals("between donor 1 and donor 2: bridge 'br' cannot reshape (None, 64) (64 values per sample) to (None, 32) (32)",
                failure(donors, SpliceBridge.reshape("br", List.of(32L))));
    }

    @Test
    void namesMustBeUniqueAndExist() {
        assertEquals("the name 'layer0' is used twice in the hybrid (donor 1 and donor 2); rename one of them",
                failure(List.of(SpliceDonor.of(TestNets.engine(TestNets.mlp(1, 5, 4, 32, Activation.TANH), tmp.resolve("m.zip"))),
                        SpliceDonor.of(classifier())), SpliceBridge.direct("j")));
        assertEquals("donor 2 has no vertex named 'dense_9'",
                failure(List.of(prefixed(keras("example1_first.h5"), "a_", false), new SpliceDonor(classifier(), Map.of("dense_9", "x"), false)),
                        SpliceBridge.direct("j")));
        assertEquals("the name 'a_dense' is used twice in the hybrid (donor 1 and bridge 'a_dense'); rename one of them",
                failure(List.of(prefixed(keras("example3_first.h5"), "a_", false), prefixed(classifier(), "b_", false)),
                        SpliceBridge.dense("a_dense", "relu", Reference.denseWeights(1, 64, 32)[0], Reference.denseWeights(1, 64, 32)[1])));
    }

    @Test
    void anOutputLayerWithoutAHiddenEquivalentCannotGoInTheMiddle() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(8).build(), "in")
                .addLayer("center", new CenterLossOutputLayer.Builder().nIn(8).nOut(32).activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("center").build());
        g.init();
        assertEquals("donor 1 ends in a CenterLossOutputLayer ('center'), which graft cannot place in the middle of a hybrid;"
                        + " supported there: OutputLayer, RnnOutputLayer, LossLayer",
                failure(List.of(prefixed(EngineModel.ofNative(g), "a_", false), prefixed(classifier(), "b_", false)), SpliceBridge.direct("j")));
    }

    @Test
    void aChainNeedsTwoDonorsAndOneBridgeEach() {
        assertEquals("a splice joins at least two networks, got 1", failure(List.of(SpliceDonor.of(classifier()))));
        assertThrows(IllegalArgumentException.class,
                () -> GraphSplicer.splice(List.of(SpliceDonor.of(classifier()), SpliceDonor.of(classifier())), List.of()));
    }
}
