package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's stock channels-last Conv1D with one tap (a Dense on every step) computed by {@link PointwiseConv1DInference}
 * in an inference pass gives DL4J's own numbers; it is swapped in for the pass only, and every other convolution,
 * masked or training pass stays DL4J's.
 */
class PointwiseConv1DInferenceTest {
    private static ComputationGraph graph(int kernel, RNNFormat format, Activation activation, boolean bias, long in, long out, long steps) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(5).graphBuilder()
                .addInputs("in").setInputTypes(InputType.recurrent(in, steps, format))
                .addLayer("conv", new Convolution1DLayer.Builder().kernelSize(kernel).stride(1).convolutionMode(ConvolutionMode.Same)
                        .nIn(in).nOut(out).hasBias(bias).activation(activation).rnnDataFormat(format).build(), "in")
                .addLayer("next", new Convolution1DLayer.Builder().kernelSize(1).stride(1).nIn(out).nOut(3).activation(Activation.TANH)
                        .rnnDataFormat(format).build(), "conv")
                .setOutputs("next").build());
        g.init();
        Random r = new Random(13);
        INDArray p = g.params();
        for (long i = 0; i < p.length(); i++) p.putScalar(i, r.nextGaussian() * 0.7);
        return g;
    }

    private static INDArray sequences(RNNFormat format, long batch, long in, long steps) {
        return (format == RNNFormat.NWC ? Nd4j.rand(DataType.FLOAT, batch, steps, in) : Nd4j.rand(DataType.FLOAT, batch, in, steps)).subi(0.5).muli(4);
    }

    @ParameterizedTest(name = "{0}, bias={1}, {2} -> {3}")
    @CsvSource({"RELU,true,8,16", "IDENTITY,true,16,8", "TANH,false,5,7", "SIGMOID,true,1,3"})
    void computesWhatDl4jComputes(Activation activation, boolean bias, long in, long out) {
        ComputationGraph g = graph(1, RNNFormat.NWC, activation, bias, in, out, 6);
        INDArray x = sequences(RNNFormat.NWC, 9, in, 6);
        INDArray stock = g.outputSingle(false, x);
        INDArray[] direct = PointwiseConv1DInference.whileInferring(g, () -> {
            assertTrue(((LayerVertex) g.getVertex("conv")).getLayer() instanceof PointwiseConv1DInference, "swapped in for the pass");
            assertTrue(((PointwiseConv1DInference) g.getLayer("conv")).agreesWithStock(), "computes DL4J's numbers");
            return g.output(false, x);
        });
        assertEquals(org.deeplearning4j.nn.layers.convolution.Convolution1DLayer.class, ((LayerVertex) g.getVertex("conv")).getLayer().getClass(),
                "DL4J's runtime is back after the pass");
        assertSame(((LayerVertex) g.getVertex("conv")).getLayer(), g.getLayer("conv"));
        assertTrue(stock.equalsWithEps(direct[0], 1e-5), stock + " vs " + direct[0]);
    }

    /** A sequence view (a slice of a bigger batch) is read as it is. */
    @Test
    void readsViews() {
        ComputationGraph g = graph(1, RNNFormat.NWC, Activation.RELU, true, 4, 6, 5);
        INDArray x = sequences(RNNFormat.NWC, 8, 4, 5).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 7));
        INDArray stock = g.outputSingle(false, x.dup());
        INDArray direct = PointwiseConv1DInference.whileInferring(g, () -> g.outputSingle(false, x));
        assertTrue(stock.equalsWithEps(direct, 1e-5), stock + " vs " + direct);
    }

    @Test
    void widerKernelsAndChannelsFirstStayDl4js() {
        for (ComputationGraph g : new ComputationGraph[] {graph(3, RNNFormat.NWC, Activation.RELU, true, 4, 6, 5),
                graph(1, RNNFormat.NCW, Activation.RELU, true, 4, 6, 5)}) {
            PointwiseConv1DInference.whileInferring(g, () -> {
                assertEquals(org.deeplearning4j.nn.layers.convolution.Convolution1DLayer.class, g.getLayer("conv").getClass());
                return null;
            });
        }
    }

    /** A masked pass and a training pass are DL4J's: equal to the stock runtime's numbers exactly. */
    @Test
    void masksAndTrainingStayDl4js() {
        ComputationGraph g = graph(1, RNNFormat.NWC, Activation.RELU, true, 4, 6, 5);
        INDArray x = sequences(RNNFormat.NWC, 3, 4, 5);
        INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}, {1, 0, 0, 0, 0}});
        INDArray stockMasked = g.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
        INDArray masked = PointwiseConv1DInference.whileInferring(g, () -> g.output(false, new INDArray[] {x}, new INDArray[] {mask}))[0];
        assertEquals(stockMasked, masked);
        INDArray stockTraining = g.output(true, x)[0];
        INDArray training = PointwiseConv1DInference.whileInferring(g, () -> g.output(true, x))[0];
        assertEquals(stockTraining, training);
    }
}
