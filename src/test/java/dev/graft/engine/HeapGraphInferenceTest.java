package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.engine.layers.HeapGraphInference;
import dev.graft.format.ModelFiles;
import dev.graft.model.DType;
import dev.graft.model.HostArray;
import dev.graft.model.Shape;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A whole graph computed on the heap ({@link HeapGraphInference}) gives the engine's numbers, chunk by chunk over an
 * input of more than one chunk, and graphs or inputs it does not cover are left to the engine.
 */
class HeapGraphInferenceTest {
    private static HostArray sequences(long rows, long steps, long features) {
        return Reference.random(17, rows, steps, features);
    }

    private static void assertHeapMatchesEngine(EngineModel m, HostArray x) {
        assertNotNull(HeapGraphInference.of(m.graph()), "the graph is one the heap path computes");
        HostArray engine = m.predict(false, x)[0];
        HostArray heap = m.predict(true, x)[0];
        assertEquals(List.of(engine.shape()[0], engine.shape()[1], engine.shape()[2]), List.of(heap.shape()[0], heap.shape()[1], heap.shape()[2]));
        assertTrue(Reference.maxAbsDiff(engine, heap) <= 1e-5, "max difference " + Reference.maxAbsDiff(engine, heap));
    }

    /** The zoo's transformer encoder block and a plain self-attention model: MultiHeadAttention, Add, LayerNormalization, Dense. */
    @ParameterizedTest
    @ValueSource(strings = {"transformer_postnorm_relu.keras", "transformer_postnorm_relu.h5", "mha_self.keras"})
    void zooModelsGiveTheEnginesNumbers(String file) {
        EngineModel m = EngineModel.ofKeras(ModelFiles.read(Fixtures.file("keras3-zoo/" + file)));
        long[] shape = m.inputs().get(0).kerasShape().dims().stream().skip(1).mapToLong(Long::longValue).toArray();
        assertHeapMatchesEngine(m, sequences(2 * EngineModel.CHUNK_ROWS + 37, shape[0], shape[1]));
    }

    /** A mask input, which the heap path does not read, leaves the graph to the engine. */
    @Test
    void aMaskedAttentionModelIsLeftToTheEngine() {
        EngineModel m = EngineModel.ofKeras(ModelFiles.read(Fixtures.file("keras3-zoo/mha_attention_mask.keras")));
        assertNull(HeapGraphInference.of(m.graph()));
    }

    /** Float64 rows are not the heap path's: the engine computes them, to the same numbers. */
    @Test
    void float64InputsGoToTheEngine() {
        EngineModel m = EngineModel.ofKeras(ModelFiles.read(Fixtures.file("keras3-zoo/transformer_postnorm_relu.keras")));
        HostArray x = sequences(9, 5, 8);
        assertTrue(Reference.maxAbsDiff(m.predict(false, x)[0], m.predict(x.castTo(DType.FLOAT64))[0]) <= 1e-6);
    }

    /** Each element-wise operation DL4J's vertex offers, between two per-step Dense layers (relu, identity) and a Dropout. */
    @ParameterizedTest
    @EnumSource(ElementWiseVertex.Op.class)
    void elementWiseVerticesGiveTheEnginesNumbers(ElementWiseVertex.Op op) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(5).graphBuilder()
                .addInputs("x").setInputTypes(InputType.recurrent(3, 4, RNNFormat.NWC))
                .addLayer("a", pointwise(3, 6, Activation.RELU), "x")
                .addLayer("b", pointwise(3, 6, Activation.IDENTITY), "x")
                .addLayer("drop", new DropoutLayer.Builder(0.5).build(), "b")
                .addVertex("op", new ElementWiseVertex(op), "a", "drop")
                .addLayer("c", pointwise(6, 2, Activation.IDENTITY), "op")
                .setOutputs("c");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        EngineModel m = EngineModel.of(g, List.of(new TensorSpec("x", Shape.batchOf(4, 3), Layout.CHANNELS_LAST)),
                List.of(new TensorSpec("c", Shape.batchOf(4, 2), Layout.CHANNELS_LAST)));
        assertHeapMatchesEngine(m, sequences(EngineModel.CHUNK_ROWS + 5, 4, 3));
    }

    private static Convolution1DLayer pointwise(int in, int out, Activation activation) {
        return new Convolution1DLayer.Builder().kernelSize(1).stride(1).nIn(in).nOut(out).activation(activation)
                .convolutionMode(ConvolutionMode.Same).rnnDataFormat(RNNFormat.NWC).build();
    }
}
