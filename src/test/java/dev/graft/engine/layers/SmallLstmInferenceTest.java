package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.recurrent.FwdPassReturn;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The small-LSTM inference path computes what the helper's ND4J path computes (the pass kept for backpropagation
 * always takes the ND4J path, so the two are compared on the same layer and arrays), and DL4J's own LSTM in a network.
 */
class SmallLstmInferenceTest {
    private static ComputationGraph net(long in, long units, RNNFormat format) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(3).graphBuilder()
                .addInputs("x")
                .setInputTypes(InputType.recurrent(in, 7, format))
                .addLayer("lstm", new LSTM.Builder().nIn(in).nOut(units).activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID)
                        .dataFormat(format).build(), "x")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(units).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(format).build(), "lstm")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Random r = new Random(units);
        INDArray params = g.params();
        for (long i = 0; i < params.length(); i++) params.putScalar(i, r.nextGaussian() * 0.7);
        return g;
    }

    private static INDArray random(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5).muli(4);
    }

    /**
     * Forwards and backwards, from a non-zero state, on input given as a permuted view (DL4J's NWC input) and as a plain
     * array, with the most units the path takes and a few: output, last output and last cell state agree with the
     * ND4J path to float rounding.
     */
    @ParameterizedTest
    @CsvSource({"3, 4, true, true", "3, 4, false, false", "4, 16, true, false", "5, 16, false, true", "1, 1, true, true"})
    void equalsTheNd4jPath(long in, long units, boolean forwards, boolean viewInput) {
        ComputationGraph g = net(in, units, RNNFormat.NCW);
        org.deeplearning4j.nn.layers.recurrent.LSTM layer = (org.deeplearning4j.nn.layers.recurrent.LSTM) g.getLayer("lstm");
        long batch = 6;
        long steps = 7;
        INDArray input = viewInput ? random(1, batch, steps, in).permute(0, 2, 1) : random(1, batch, in, steps);
        INDArray w = layer.getParam("W");
        INDArray rw = layer.getParam("RW");
        INDArray b = layer.getParam("b");
        INDArray h0 = random(2, batch, units).muli(0.25);
        INDArray c0 = random(3, batch, units);
        assertTrue(SmallLstmInference.suits(input, units));
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        ContiguousLstmHelper helper = helperOf(g, layer);
        FwdPassReturn small = helper.activate(layer, layer.conf(), Activation.SIGMOID.getActivationFunction(), input, rw, w, b, false, h0, c0,
                false, forwards, "W", null, false, ws);
        FwdPassReturn nd4j = helper.activate(layer, layer.conf(), Activation.SIGMOID.getActivationFunction(), input, rw, w, b, false, h0, c0,
                true, forwards, "W", null, false, ws);
        assertArrayEquals(new long[] {batch, units, steps}, small.fwdPassOutput.shape());
        assertTrue(nd4j.fwdPassOutput.amaxNumber().doubleValue() > 0.05, "an output to compare");
        assertClose(nd4j.fwdPassOutput, small.fwdPassOutput);
        assertClose(nd4j.lastAct, small.lastAct);
        assertClose(nd4j.lastMemCell, small.lastMemCell);
    }

    /** In a network: DL4J's own LSTM and the helper (on its small path) give the same outputs, NWC and NCW. */
    @ParameterizedTest
    @CsvSource({"NWC, 8", "NCW, 5"})
    void networkOutputEqualsDl4j(RNNFormat format, long units) {
        ComputationGraph g = net(4, units, format);
        INDArray x = format == RNNFormat.NWC ? random(4, 9, 7, 4) : random(4, 9, 4, 7);
        INDArray dl4j = g.output(false, x)[0];
        INDArray helped = ContiguousLstmHelper.whileInferring(g, () -> g.output(false, x)[0]);
        assertClose(dl4j, helped);
        try {
            java.lang.reflect.Field f = org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer.class.getDeclaredField("helperCountFail");
            f.setAccessible(true);
            assertEquals(0, f.getInt(g.getLayer("lstm")), "the helper never failed (DL4J would have compared with itself)");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Doubles, and layers with more units than the loops pay for, keep the ND4J path. */
    @Test
    void largerLayersAndDoublesStayWithNd4j() {
        assertFalse(SmallLstmInference.suits(Nd4j.zeros(DataType.DOUBLE, 2, 3, 4), 4));
        assertFalse(SmallLstmInference.suits(Nd4j.zeros(DataType.FLOAT, 2, 3, 4), SmallLstmInference.MAX_UNITS + 1));
        assertTrue(SmallLstmInference.suits(Nd4j.zeros(DataType.FLOAT, 2, 3, 4), SmallLstmInference.MAX_UNITS));
    }

    private static ContiguousLstmHelper helperOf(ComputationGraph g, org.deeplearning4j.nn.layers.recurrent.LSTM layer) {
        return ContiguousLstmHelper.whileInferring(g, () -> assertInstanceOf(ContiguousLstmHelper.class, layer.getHelper()));
    }

    private static void assertClose(INDArray expected, INDArray got) {
        assertArrayEquals(expected.shape(), got.shape());
        double diff = expected.sub(got).amaxNumber().doubleValue();
        assertTrue(diff < 2e-6, "largest difference " + diff + ": " + expected + " vs " + got);
    }
}
