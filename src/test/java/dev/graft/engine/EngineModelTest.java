package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.format.ModelFiles;
import dev.graft.model.DType;
import dev.graft.model.HostArray;
import dev.graft.model.Shape;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/** Keras layout at the edges of every engine network, whatever the graph holds inside. */
class EngineModelTest {
    private static final Path SAMPLES = Path.of("samples");

    @TempDir
    Path tmp;

    @Test
    void kerasModelNeedsNoConversion() {
        EngineModel m = EngineModel.ofKeras(ModelFiles.read(SAMPLES.resolve("example1_first.h5")));
        assertEquals(List.of("input"), m.inputNames());
        assertEquals(List.of("dense_1"), m.outputNames());
        assertEquals(List.of(Shape.batchOf(10)), m.inputShapes());
        assertEquals(List.of(Shape.batchOf(32)), m.outputShapes());
        assertEquals(DType.FLOAT32, m.dataType());

        HostArray x = Reference.random(1, 5, 10);
        HostArray direct = Tensors.fromNd4j(m.graph().outputSingle(false, Tensors.toNd4j(x, DataType.FLOAT)));
        assertTrue(direct.bitEquals(m.predict(x)[0]));
    }

    @Test
    void inputsOfTheWrongShapeAreNamedWithBothShapes() {
        EngineModel m = EngineModel.ofKeras(ModelFiles.read(SAMPLES.resolve("example1_first.h5")));
        EngineException e = assertThrows(EngineException.class, () -> m.predict(Reference.random(1, 5, 12)));
        assertEquals("input 'input' expects (None, 10) per sample, got (5, 12)", e.getMessage());
        e = assertThrows(EngineException.class, () -> m.predict(Reference.random(1, 5, 10, 1)));
        assertEquals("input 'input' expects (None, 10) per sample, got (5, 10, 1)", e.getMessage());
        e = assertThrows(EngineException.class, () -> m.predict(Reference.random(1, 5, 10), Reference.random(2, 5, 10)));
        assertEquals("the model takes 1 input [input], got 2", e.getMessage());
    }

    /** The Keras importer configures sequence layers NWC: read from the layers, that agrees with ofKeras's declaration. */
    @Test
    void kerasImportedLayersDeclareChannelsLast() {
        ComputationGraph g = KerasEngine.build(ModelFiles.read(SAMPLES.resolve("ts_extractor.h5")));
        EngineModel read = EngineModel.ofNative(g);
        // DL4J's configuration does not record the sequence length; the Keras file does.
        assertEquals(List.of(new TensorSpec("input", Shape.of(null, null, 4L), Layout.CHANNELS_LAST)), read.inputs());
        // Nor can DL4J follow a Conv1D's output type without it: the shape is unknown, the layout still declared.
        assertEquals(List.of(new TensorSpec("max_pooling1d", null, Layout.CHANNELS_LAST)), read.outputs());
        EngineModel declared = EngineModel.ofKeras(ModelFiles.read(SAMPLES.resolve("ts_extractor.h5")));
        assertEquals(List.of(new TensorSpec("input", Shape.batchOf(32, 4), Layout.CHANNELS_LAST)), declared.inputs());
        assertEquals(List.of(new TensorSpec("max_pooling1d", Shape.batchOf(16, 16), Layout.CHANNELS_LAST)), declared.outputs());
    }

    /** A DL4J LSTM holds sequences NCW: the engine model takes and gives NWC, converting both ways. */
    @Test
    void nativeRecurrentNetworkTakesAndGivesKerasLayout() {
        MultiLayerNetwork net = TestNets.lstm(3, 8, 6, 3, RNNFormat.NCW);
        EngineModel m = TestNets.engine(net, tmp.resolve("lstm.zip"));
        assertEquals(List.of(new TensorSpec("input", Shape.of(null, null, 8L), Layout.CHANNELS_FIRST)), m.inputs());
        assertEquals(List.of(new TensorSpec("layer1", Shape.of(null, null, 3L), Layout.CHANNELS_FIRST)), m.outputs());

        HostArray nwc = Reference.random(4, 5, 7, 8);
        HostArray ncwOut = Tensors.fromNd4j(net.output(Tensors.toNd4j(Reference.swapLastTwo(nwc), DataType.FLOAT)));
        HostArray expected = Reference.swapLastTwo(ncwOut);
        HostArray actual = m.predict(nwc)[0];
        assertEquals(List.of(5L, 7L, 3L), List.of(actual.shape()[0], actual.shape()[1], actual.shape()[2]));
        // predict computes DL4J's LSTM through graft's helper (ContiguousLstmHelper): the same numbers to float rounding
        assertTrue(Reference.maxAbsDiff(expected, actual) < 1e-6, "max difference " + Reference.maxAbsDiff(expected, actual));
    }

    @Test
    void nativeRecurrentNetworkConfiguredNwcNeedsNoConversion() {
        MultiLayerNetwork net = TestNets.lstm(3, 8, 6, 3, RNNFormat.NWC);
        EngineModel m = TestNets.engine(net, tmp.resolve("lstm-nwc.zip"));
        assertEquals(Layout.CHANNELS_LAST, m.inputs().get(0).layout());
        assertEquals(Layout.CHANNELS_LAST, m.outputs().get(0).layout());
        HostArray nwc = Reference.random(4, 5, 7, 8);
        HostArray expected = Tensors.fromNd4j(net.output(Tensors.toNd4j(nwc, DataType.FLOAT)));
        assertTrue(Reference.maxAbsDiff(expected, m.predict(nwc)[0]) < 1e-6);
    }

    /** A CNN fed flat rows (NCHW flattened) is described as the image it takes, (h, w, channels). */
    @Test
    void flatInputCnnTakesKerasImages() {
        MultiLayerNetwork net = TestNets.flatInputCnn(5, 6, 5, 2, 3);
        EngineModel m = TestNets.engine(net, tmp.resolve("cnn.zip"));
        assertEquals(List.of(new TensorSpec("input", Shape.batchOf(6, 5, 2), Layout.CHANNELS_FIRST)), m.inputs());
        assertEquals(List.of(Shape.batchOf(3)), m.outputShapes());

        HostArray nhwc = Reference.random(6, 4, 6, 5, 2);
        HostArray flatNchw = Reference.nhwcToNchw(nhwc).reshape(4, 6 * 5 * 2);
        HostArray expected = Tensors.fromNd4j(net.output(Tensors.toNd4j(flatNchw, DataType.FLOAT)));
        assertTrue(Reference.maxAbsDiff(expected, m.predict(nhwc)[0]) <= 1e-7);
    }

    /** Large inputs run in chunks; the rows come back complete and in order. */
    @Test
    void largeInputsAreComputedInChunks() {
        MultiLayerNetwork net = TestNets.mlp(9, 10, 8, 4, Activation.SIGMOID);
        EngineModel m = TestNets.engine(net, tmp.resolve("mlp.zip"));
        int rows = 2 * EngineModel.CHUNK_ROWS + 37;
        HostArray x = Reference.random(10, rows, 10);
        HostArray expected = Tensors.fromNd4j(net.output(Tensors.toNd4j(x, DataType.FLOAT)));
        HostArray actual = m.predict(x)[0];
        assertEquals(rows, actual.shape()[0]);
        // The full batch and 1024-row chunks may round differently (BLAS picks kernels by size: 1.19e-7 on an AMD
        // EPYC), so the tolerance is float32's, far below what a row computed in the wrong place would give.
        assertTrue(Reference.maxAbsDiff(expected, actual) <= 1e-5);
        // Float64 data is accepted and computed in the model's own type.
        assertTrue(Reference.maxAbsDiff(expected, m.predict(x.castTo(DType.FLOAT64))[0]) <= 1e-5);
    }
}
