package dev.graft.engine;

import static dev.graft.engine.Splices.host;
import static dev.graft.engine.Splices.prefixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.format.ModelFiles;
import dev.graft.format.dl4j.Dl4jZipWriter;
import dev.graft.model.HostArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Hybrids as files (bit-exact donors after a ModelSerializer round trip) and under training (frozen donors stay put). */
class SpliceZipAndTrainingTest {
    private static final Path SAMPLES = Path.of("samples");

    @TempDir
    Path tmp;

    /** keras example1_first → dense:32 tanh → dl4j_classifier → dense:4 tanh → test-built softmax classifier. */
    private record ThreeDonors(List<EngineModel> donors, List<SpliceDonor> specs, List<SpliceBridge> bridges, EngineModel hybrid) {
    }

    private ThreeDonors threeDonors(boolean freezeA, boolean freezeB, boolean freezeC) {
        EngineModel a = EngineModel.ofKeras(ModelFiles.read(SAMPLES.resolve("example1_first.h5")));
        EngineModel b = EngineModel.ofDl4j(SAMPLES.resolve("dl4j_classifier.zip"));
        EngineModel c = TestNets.engine(TestNets.classifier(31, 4, 6, 2), tmp.resolve("c.zip"));
        HostArray[] w1 = Reference.denseWeights(10, 32, 32);
        HostArray[] w2 = Reference.denseWeights(11, 1, 4);
        List<SpliceBridge> bridges = List.of(SpliceBridge.dense("bridge1", "tanh", w1[0], w1[1]), SpliceBridge.dense("bridge2", "tanh", w2[0], w2[1]));
        List<SpliceDonor> specs = List.of(prefixed(a, "a_", freezeA), prefixed(b, "b_", freezeB), prefixed(c, "c_", freezeC));
        return new ThreeDonors(List.of(a, b, c), specs, bridges, GraphSplicer.splice(specs, bridges));
    }

    /** Every parameter of every donor vertex, keyed by its hybrid vertex name and parameter. */
    private static Map<String, HostArray> donorParams(ThreeDonors t) {
        Map<String, HostArray> out = new HashMap<>();
        for (SpliceDonor d : t.specs()) {
            ComputationGraph g = d.model().graph();
            for (var v : g.getVertices()) {
                for (var p : v.paramTable(false).entrySet()) out.put(d.rename(v.getVertexName()) + "/" + p.getKey(), host(p.getValue()));
            }
        }
        return out;
    }

    private static Map<String, HostArray> params(ComputationGraph g) {
        Map<String, HostArray> out = new HashMap<>();
        for (var v : g.getVertices()) for (var p : v.paramTable(false).entrySet()) out.put(v.getVertexName() + "/" + p.getKey(), host(p.getValue()));
        return out;
    }

    @Test
    void writtenZipRestoresWithEveryDonorBitAndTheSameOutputs() throws IOException {
        ThreeDonors t = threeDonors(true, true, false);
        Path file = tmp.resolve("hybrid.zip");
        Dl4jZipWriter.write(t.hybrid().graph(), file);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), false);

        Map<String, HostArray> expected = donorParams(t);
        Map<String, HostArray> actual = params(restored);
        assertEquals(12, expected.size()); // three donors of two layers, each with W and b
        for (var e : expected.entrySet()) assertTrue(e.getValue().bitEquals(actual.get(e.getKey())), e.getKey());
        // Only the bridges are new.
        assertEquals(expected.size() + 4, actual.size());
        long donorsParams = t.donors().stream().mapToLong(d -> d.graph().numParams()).sum();
        assertEquals(donorsParams + 32 * 32 + 32 + 4 + 4, restored.numParams());

        INDArray x = Nd4j.rand(DataType.FLOAT, 50, 10).subi(0.5);
        assertTrue(host(t.hybrid().graph().outputSingle(false, x)).bitEquals(host(restored.outputSingle(false, x))));
        // Read back as graft reads any zip, the hybrid describes and computes itself the same way.
        EngineModel back = EngineModel.ofDl4j(file);
        assertEquals(t.hybrid().inputs(), back.inputs());
        HostArray hx = host(x);
        assertTrue(t.hybrid().predict(hx)[0].bitEquals(back.predict(hx)[0]));
    }

    @Test
    void theZipRecordsWhichDonorsAreFrozen() throws IOException {
        ThreeDonors t = threeDonors(true, false, true);
        Path file = tmp.resolve("hybrid.zip");
        Dl4jZipWriter.write(t.hybrid().graph(), file);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        // The first donor as DL4J freezes a feature extractor (no backprop needed before it); later ones pass the error on.
        Map<String, Class<?>> kinds = new HashMap<>();
        for (var e : restored.getConfiguration().getVertices().entrySet()) {
            if (!(e.getValue() instanceof LayerVertex lv) || e.getValue().numParams(false) == 0) continue;
            kinds.put(e.getKey(), lv.getLayerConf().getLayer().getClass());
        }
        assertEquals(Map.of("a_dense", FrozenLayer.class, "a_dense_1", FrozenLayer.class,
                "b_layer0", DenseLayer.class, "b_layer1", DenseLayer.class, "bridge1", DenseLayer.class, "bridge2", DenseLayer.class,
                "c_layer0", FrozenLayerWithBackprop.class, "c_layer1", FrozenLayerWithBackprop.class), kinds);
    }

    /** One fit step: frozen donors keep every bit (also through DL4J's frozen output layer), both bridges learn. */
    @Test
    void fittingChangesOnlyTheBridgesWhenEveryDonorIsFrozen() {
        ThreeDonors t = threeDonors(true, true, true);
        Map<String, HostArray> before = params(t.hybrid().graph());
        fitOnce(t.hybrid().graph());
        Map<String, HostArray> after = params(t.hybrid().graph());

        Map<String, HostArray> donors = donorParams(t);
        for (var e : donors.entrySet()) assertTrue(e.getValue().bitEquals(after.get(e.getKey())), "frozen " + e.getKey() + " changed");
        for (String bridge : List.of("bridge1/W", "bridge1/b", "bridge2/W", "bridge2/b")) {
            double moved = Reference.maxAbsDiff(before.get(bridge), after.get(bridge));
            System.out.printf("[splice] fit step moved %s by up to %.3g%n", bridge, moved);
            assertTrue(moved > 0, bridge + " did not change");
        }
    }

    /** The same step with the last donor trainable changes it: the check above is one that can fail. */
    @Test
    void fittingChangesAnUnfrozenDonor() {
        ThreeDonors t = threeDonors(true, true, false);
        fitOnce(t.hybrid().graph());
        Map<String, HostArray> after = params(t.hybrid().graph());
        Map<String, HostArray> donors = donorParams(t);
        for (var e : donors.entrySet()) {
            boolean same = e.getValue().bitEquals(after.get(e.getKey()));
            assertEquals(!e.getKey().startsWith("c_"), same, e.getKey());
        }
    }

    /** A Keras Conv1D (NWC) into an NCW LSTM: the hybrid zip, read back, still takes and gives Keras layout. */
    @Test
    void sequenceHybridReadsBackWithItsLayouts() {
        EngineModel a = EngineModel.ofKeras(ModelFiles.read(SAMPLES.resolve("ts_extractor.h5")));
        EngineModel b = TestNets.engine(TestNets.lstm(21, 8, 6, 3, RNNFormat.NCW), tmp.resolve("lstm.zip"));
        HostArray[] w = Reference.denseWeights(7, 16, 8);
        EngineModel hybrid = GraphSplicer.splice(List.of(prefixed(a, "a_", true), prefixed(b, "b_", false)),
                List.of(SpliceBridge.dense("bridge", "tanh", w[0], w[1])));
        Path file = tmp.resolve("seq.zip");
        Dl4jZipWriter.write(hybrid.graph(), file);
        EngineModel back = EngineModel.ofDl4j(file);
        assertEquals(Layout.CHANNELS_LAST, back.inputs().get(0).layout());
        assertEquals(Layout.CHANNELS_FIRST, back.outputs().get(0).layout());
        HostArray x = Reference.random(3, 10, 32, 4);
        assertTrue(hybrid.predict(x)[0].bitEquals(back.predict(x)[0]));
        // And training runs through the layout conversions and the per-step Dense.
        INDArray labels = Nd4j.rand(DataType.FLOAT, 10, 3, 16);
        INDArray before = hybrid.graph().getVertex("bridge").paramTable(false).get("W").dup();
        hybrid.graph().fit(new DataSet(Tensors.toNd4j(x, DataType.FLOAT), labels));
        assertFalse(before.equals(hybrid.graph().getVertex("bridge").paramTable(false).get("W")));
    }

    private static void fitOnce(ComputationGraph g) {
        INDArray features = Nd4j.rand(DataType.FLOAT, 64, 10).subi(0.5).muli(4);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 64, 2);
        for (int i = 0; i < 64; i++) labels.putScalar(i, i % 2, 1f);
        g.fit(new DataSet(features, labels));
    }
}
