package dev.graft.engine;

import static dev.graft.engine.Splices.assertClose;
import static dev.graft.engine.Splices.chain;
import static dev.graft.engine.Splices.prefixed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Shape;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;

/**
 * A hybrid computes exactly {@code B(bridge(A(x)))}: on random inputs its prediction equals the
 * chain computed from the separately loaded donors, bridges applied by the plain-Java reference.
 */
class SpliceExactnessTest {
    private static final Path SAMPLES = Path.of("samples");

    @TempDir
    Path tmp;

    private static EngineModel keras(String sample) {
        return EngineModel.ofKeras(ModelFiles.read(SAMPLES.resolve(sample)));
    }

    private static EngineModel classifierZip() {
        return EngineModel.ofDl4j(SAMPLES.resolve("dl4j_classifier.zip"));
    }

    private static HostArray spliceAndCompare(List<EngineModel> donors, List<SpliceBridge> bridges, HostArray x, String what) {
        List<SpliceDonor> specs = new java.util.ArrayList<>();
        for (int i = 0; i < donors.size(); i++) specs.add(prefixed(donors.get(i), "d" + (i + 1) + "_", false));
        EngineModel hybrid = GraphSplicer.splice(specs, bridges);
        HostArray actual = hybrid.predict(x)[0];
        assertClose(chain(donors, bridges, x), actual, what);
        return actual;
    }

    // (a) DL4J into DL4J ----------------------------------------------------------------------

    /** A test-built MLN (10 → 32, sigmoid OutputLayer, so in the middle) straight into the sample classifier (32 → 1). */
    @Test
    void dl4jIntoDl4jDirect() {
        EngineModel a = TestNets.engine(TestNets.mlp(11, 10, 20, 32, Activation.SIGMOID), tmp.resolve("a.zip"));
        EngineModel b = classifierZip();
        HostArray out = spliceAndCompare(List.of(a, b), List.of(SpliceBridge.direct("j1")), Reference.random(1, 64, 10), "dl4j -> dl4j, direct");
        assertEquals(List.of(64L, 1L), List.of(out.shape()[0], out.shape()[1]));
    }

    @Test
    void dl4jIntoDl4jThroughDense() {
        EngineModel a = TestNets.engine(TestNets.mlp(12, 10, 20, 12, Activation.TANH), tmp.resolve("a.zip"));
        HostArray[] w = Reference.denseWeights(5, 12, 32);
        spliceAndCompare(List.of(a, classifierZip()), List.of(SpliceBridge.dense("bridge", "relu", w[0], w[1])),
                Reference.random(2, 64, 10), "dl4j -> dense:32 -> dl4j");
    }

    // (b) Keras into DL4J ---------------------------------------------------------------------

    @Test
    void kerasIntoDl4jDirect() {
        spliceAndCompare(List.of(keras("example1_first.h5"), classifierZip()), List.of(SpliceBridge.direct("j1")),
                Reference.random(3, 64, 10), "keras example1_first -> dl4j_classifier, direct");
    }

    @Test
    void kerasIntoDl4jThroughDense() {
        HostArray[] w = Reference.denseWeights(6, 64, 32);
        spliceAndCompare(List.of(keras("example3_first.h5"), classifierZip()), List.of(SpliceBridge.dense("bridge", "sigmoid", w[0], w[1])),
                Reference.random(4, 64, 10), "keras example3_first -> dense:32:sigmoid -> dl4j_classifier");
    }

    // (c) Keras sequences (NWC) into a DL4J recurrent donor (NCW) ------------------------------

    /** ts_extractor gives (16, 16) per sample; dense:8 on every step; an NCW LSTM reads (16, 8). */
    @Test
    void kerasConv1dIntoNcwLstmThroughDenseOnTheSequence() {
        EngineModel a = keras("ts_extractor.h5");
        EngineModel b = TestNets.engine(TestNets.lstm(21, 8, 6, 3, RNNFormat.NCW), tmp.resolve("lstm.zip"));
        HostArray[] w = Reference.denseWeights(7, 16, 8);
        HostArray out = spliceAndCompare(List.of(a, b), List.of(SpliceBridge.dense("bridge", "tanh", w[0], w[1])),
                Reference.random(5, 24, 32, 4), "keras ts_extractor -> dense:8 per step -> dl4j LSTM (NCW)");
        assertEquals(List.of(24L, 16L, 3L), List.of(out.shape()[0], out.shape()[1], out.shape()[2]));
    }

    /** ts_extractor's (16, 16) reshaped to (32, 8), Keras's row-major way, into the NCW LSTM. */
    @Test
    void kerasConv1dIntoNcwLstmThroughReshape() {
        EngineModel a = keras("ts_extractor.h5");
        EngineModel b = TestNets.engine(TestNets.lstm(22, 8, 6, 3, RNNFormat.NCW), tmp.resolve("lstm.zip"));
        HostArray out = spliceAndCompare(List.of(a, b), List.of(SpliceBridge.reshape("bridge", List.of(32L, 8L))),
                Reference.random(6, 24, 32, 4), "keras ts_extractor -> reshape 32x8 -> dl4j LSTM (NCW)");
        assertEquals(List.of(24L, 32L, 3L), List.of(out.shape()[0], out.shape()[1], out.shape()[2]));
    }

    /** The same junction into an LSTM configured NWC: no conversion is added, the numbers are the same kind of exact. */
    @Test
    void kerasConv1dIntoNwcLstm() {
        EngineModel a = keras("ts_extractor.h5");
        EngineModel b = TestNets.engine(TestNets.lstm(23, 16, 6, 3, RNNFormat.NWC), tmp.resolve("lstm.zip"));
        spliceAndCompare(List.of(a, b), List.of(SpliceBridge.direct("j1")), Reference.random(7, 24, 32, 4),
                "keras ts_extractor -> dl4j LSTM (NWC), direct");
    }

    /**
     * A DL4J LSTM in the middle gives NCW (its RnnOutputLayer becomes a per-step Dense): the
     * reshape must see the Keras-layout (steps, features) sample, or the numbers are scrambled.
     */
    @Test
    void ncwProducerIsReshapedInKerasLayout() {
        EngineModel a = TestNets.engine(TestNets.lstm(24, 4, 6, 5, RNNFormat.NCW), tmp.resolve("lstm.zip"));
        EngineModel b = TestNets.engine(TestNets.mlp(25, 30, 8, 2, Activation.SIGMOID), tmp.resolve("mlp.zip"));
        // DL4J does not record sequence lengths: the step count is known once the caller pins the input's.
        assertEquals(Shape.of(null, null, 5L), a.outputShapes().get(0));
        EngineModel fixedSteps = a.withInputShapes(List.of(Shape.batchOf(6, 4)));
        assertEquals(Shape.batchOf(6, 5), fixedSteps.outputShapes().get(0));
        spliceAndCompare(List.of(fixedSteps, b), List.of(SpliceBridge.reshape("bridge", List.of(30L))), Reference.random(8, 16, 6, 4),
                "dl4j LSTM (NCW, middle RnnOutputLayer) -> reshape 30 -> dl4j MLP");
    }

    /** A Keras LSTM (NWC inside) into the NCW LSTM, dense:8 per step. */
    @Test
    void kerasLstmSequenceIntoNcwLstm() {
        EngineModel a = keras("ts_extractor.h5");
        EngineModel b = TestNets.engine(TestNets.lstm(26, 16, 4, 2, RNNFormat.NCW), tmp.resolve("lstm1.zip"));
        EngineModel c = TestNets.engine(TestNets.lstm(27, 8, 5, 3, RNNFormat.NCW), tmp.resolve("lstm2.zip"));
        HostArray[] w = Reference.denseWeights(9, 2, 8);
        spliceAndCompare(List.of(a, b, c), List.of(SpliceBridge.direct("j1"), SpliceBridge.dense("bridge", "linear", w[0], w[1])),
                Reference.random(9, 12, 32, 4), "keras ts_extractor -> dl4j LSTM (NCW) -> dense:8 per step -> dl4j LSTM (NCW)");
    }

    /** A middle DL4J LSTM learns its step count from what reaches it, so a reshape can follow it. */
    @Test
    void stepCountsPropagateThroughTheChain() {
        EngineModel a = keras("ts_extractor.h5");
        EngineModel b = TestNets.engine(TestNets.lstm(28, 16, 4, 2, RNNFormat.NCW), tmp.resolve("lstm.zip"));
        EngineModel c = TestNets.engine(TestNets.mlp(29, 32, 8, 2, Activation.SIGMOID), tmp.resolve("mlp.zip"));
        spliceAndCompare(List.of(a, b, c), List.of(SpliceBridge.direct("j1"), SpliceBridge.reshape("bridge", List.of(32L))),
                Reference.random(11, 12, 32, 4), "keras ts_extractor -> dl4j LSTM (NCW) -> reshape 32 -> dl4j MLP");
    }

    /** Images: a DL4J 1x1 convolution (NCHW) → Dense on the channel axis (Keras semantics on NHWC) → a flat-input DL4J CNN. */
    @Test
    void nchwImagesThroughDenseOnChannels() {
        EngineModel a = TestNets.engine(TestNets.conv1x1(41, 4, 3, 3, 4, false), tmp.resolve("conv.zip"))
                .withInputShapes(List.of(Shape.batchOf(4, 3, 3)));
        assertEquals(List.of(Shape.batchOf(4, 3, 4)), a.outputShapes());
        assertEquals(Layout.CHANNELS_FIRST, a.outputs().get(0).layout());
        EngineModel b = TestNets.engine(TestNets.flatInputCnn(42, 4, 3, 2, 3), tmp.resolve("cnn.zip"));
        HostArray[] w = Reference.denseWeights(12, 4, 2);
        spliceAndCompare(List.of(a, b), List.of(SpliceBridge.dense("bridge", "tanh", w[0], w[1])), Reference.random(12, 16, 4, 3, 3),
                "dl4j conv (NCHW) -> dense:2 on channels -> dl4j flat-input CNN (NCHW)");
    }

    // (d) three donors -------------------------------------------------------------------------

    @Test
    void threeDonors() {
        HostArray[] w1 = Reference.denseWeights(10, 32, 32);
        HostArray[] w2 = Reference.denseWeights(11, 1, 4);
        EngineModel c = TestNets.engine(TestNets.classifier(31, 4, 6, 2), tmp.resolve("c.zip"));
        spliceAndCompare(List.of(keras("example1_first.h5"), classifierZip(), c),
                List.of(SpliceBridge.dense("bridge1", "tanh", w1[0], w1[1]), SpliceBridge.dense("bridge2", "tanh", w2[0], w2[1])),
                Reference.random(10, 64, 10), "keras -> dense:32 -> dl4j classifier -> dense:4 -> dl4j softmax");
    }
}
