package dev.graft.engine.layers;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LSTM state vertex trains like any DL4J vertex: its gradients (parameters, sequence, initial states,
 * through the state parts) match finite differences, and an encoder-decoder pair learns through the state
 * it hands over.
 */
class KerasLstmStateTrainingTest {

    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) {
            Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
        }
    }

    /**
     * s → Dense → (h0, c0); encoder(x, h0, c0) with return_state, sequences, go_backwards and a mask; two
     * decoders on its output sequence, one from (h, c), one from (c, c) (the same array twice, as the katakana
     * model passes [h, h]); their last outputs merged into a softmax. Every parameter's gradient is checked,
     * so the gradients into the sequence and the initial states are checked through the layers before them.
     */
    @Test
    void gradientsMatchFiniteDifferencesThroughStatesAndParts() {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        int u = 3;
        LstmSpec enc = new LstmSpec(u, true, GruActivation.TANH, GruActivation.SIGMOID, true, true, true, true, 0.0,
                LstmMaskedOutput.PREVIOUS);
        LstmSpec dec = new LstmSpec(u, true, GruActivation.TANH, GruActivation.HARD_SIGMOID_KERAS3, false, false, true,
                false, null, LstmMaskedOutput.PREVIOUS);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(7)
                .updater(new NoOp())
                .graphBuilder()
                .addInputs("x", "s")
                .setInputTypes(InputType.recurrent(2, 4, RNNFormat.NWC), InputType.feedForward(3))
                .addLayer("hinit", new DenseLayer.Builder().nIn(3).nOut(u).activation(Activation.TANH).build(), "s")
                .addLayer("cinit", new DenseLayer.Builder().nIn(3).nOut(u).activation(Activation.IDENTITY).build(), "s")
                .addVertex("enc", new KerasLstmStateVertex(enc, 2), "x", "hinit", "cinit")
                .addVertex("encOut", new LstmStatePartVertex(LstmStatePartVertex.Part.OUTPUT, true), "enc")
                .addVertex("encH", new LstmStatePartVertex(LstmStatePartVertex.Part.H, true), "enc")
                .addVertex("encC", new LstmStatePartVertex(LstmStatePartVertex.Part.C, true), "enc")
                .addVertex("dec1", new KerasLstmStateVertex(dec, u), "encOut", "encH", "encC")
                .addVertex("dec2", new KerasLstmStateVertex(dec, u), "encOut", "encC", "encC")
                .addVertex("merge", new MergeVertex(), "dec1", "dec2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2 * u).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        Random rnd = new Random(3);
        for (String v : new String[]{"enc", "dec1", "dec2"}) {
            INDArray b = net.getVertex(v).paramTable(false).get(KerasLstmStateVertex.BIAS);
            for (long i = 0; i < b.length(); i++) b.putScalar(i, rnd.nextDouble() - 0.5);
        }
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4, 2).subi(0.5).muli(2);
        x.putScalar(new long[]{0, 1, 0}, 0.0);   // a masked step in example 0
        x.putScalar(new long[]{0, 1, 1}, 0.0);
        x.putScalar(new long[]{2, 3, 0}, 0.0);   // and the last step of example 2
        x.putScalar(new long[]{2, 3, 1}, 0.0);
        INDArray s = Nd4j.rand(DataType.DOUBLE, 3, 3).subi(0.5);
        INDArray y = Nd4j.create(new double[][]{{1, 0}, {0, 1}, {1, 0}});
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net).inputs(new INDArray[]{x, s}).labels(new INDArray[]{y})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check through the LSTM state vertices and parts");
    }

    /**
     * A masked LSTM returning sequences without its state (the keras3-zoo's Masking → LSTM as the model's output): the last
     * step's carried c is not in the graph, which DL4J's backward pass needs (a dangling variable made it lose the output's
     * gradient placeholder). Its gradients match finite differences, masked steps in the middle and at the end included.
     */
    @Test
    void aMaskedLstmReturningSequencesHasFiniteDifferenceGradients() {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        for (LstmMaskedOutput masked : LstmMaskedOutput.values()) {
            LstmSpec spec = new LstmSpec(3, true, GruActivation.TANH, GruActivation.SIGMOID, true, false, false, false, 0.0, masked);
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                    .dataType(DataType.DOUBLE).seed(5).updater(new NoOp()).graphBuilder()
                    .addInputs("x")
                    .setInputTypes(InputType.recurrent(2, 4, RNNFormat.NWC))
                    .addVertex("lstm", new KerasLstmStateVertex(spec, 2), "x")
                    .addLayer("out", new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2)
                            .activation(Activation.IDENTITY).dataFormat(RNNFormat.NWC).build(), "lstm")
                    .setOutputs("out")
                    .build();
            ComputationGraph net = new ComputationGraph(conf);
            net.init();
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5).muli(2);
            x.putScalar(new long[]{0, 1, 0}, 0.0);   // a masked step in example 0
            x.putScalar(new long[]{0, 1, 1}, 0.0);
            x.putScalar(new long[]{1, 3, 0}, 0.0);   // and the last step of example 1
            x.putScalar(new long[]{1, 3, 1}, 0.0);
            INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 4, 2);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                    .net(net).inputs(new INDArray[]{x}).labels(new INDArray[]{y})
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "gradient check of a masked LSTM returning sequences, masked output " + masked);
        }
    }

    /**
     * An encoder reads a sequence and hands its (h, c) to a decoder that reads only a constant sequence: the
     * sign of the encoded sequence's sum can reach the classifier only through the state. It must learn it.
     */
    @Test
    void learnsThroughTheStateItHandsOver() {
        int u = 8;
        LstmSpec enc = new LstmSpec(u, true, GruActivation.TANH, GruActivation.SIGMOID, false, true, false, false, null,
                LstmMaskedOutput.PREVIOUS);
        LstmSpec dec = new LstmSpec(u, true, GruActivation.TANH, GruActivation.SIGMOID, false, false, true, false, null,
                LstmMaskedOutput.PREVIOUS);
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(12345)
                .updater(new Adam(0.03))
                .graphBuilder()
                .addInputs("x", "q")
                .setInputTypes(InputType.recurrent(1, 6, RNNFormat.NWC), InputType.recurrent(1, 2, RNNFormat.NWC))
                .addVertex("enc", new KerasLstmStateVertex(enc, 1), "x")
                .addVertex("h", new LstmStatePartVertex(LstmStatePartVertex.Part.H, false), "enc")
                .addVertex("c", new LstmStatePartVertex(LstmStatePartVertex.Part.C, false), "enc")
                .addVertex("dec", new KerasLstmStateVertex(dec, 1), "q", "h", "c")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(u).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "dec")
                .setOutputs("out")
                .build());
        net.init();
        MultiDataSet train = signOfSum(new Random(1), 256);
        MultiDataSet test = signOfSum(new Random(2), 256);
        double before = accuracy(net, test);
        for (int epoch = 0; epoch < 60; epoch++) {
            net.fit(train);
        }
        double after = accuracy(net, test);
        System.out.printf("state hand-over, sign-of-sum accuracy on held-out data: %.3f before training, %.3f after%n",
                before, after);
        assertTrue(after >= 0.95, "held-out accuracy " + after + " (before training " + before + ")");
    }

    private static MultiDataSet signOfSum(Random rnd, int n) {
        INDArray x = Nd4j.create(DataType.FLOAT, n, 6, 1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int t = 0; t < 6; t++) {
                double v = rnd.nextGaussian();
                x.putScalar(new long[]{i, t, 0}, v);
                sum += v;
            }
            y.putScalar(i, sum > 0 ? 1 : 0, 1.0);
        }
        INDArray q = Nd4j.ones(DataType.FLOAT, n, 2, 1);
        return new MultiDataSet(new INDArray[]{x, q}, new INDArray[]{y});
    }

    private static double accuracy(ComputationGraph net, MultiDataSet data) {
        INDArray predicted = net.output(false, data.getFeatures())[0].argMax(1);
        INDArray actual = data.getLabels()[0].argMax(1);
        return predicted.eq(actual).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }
}
