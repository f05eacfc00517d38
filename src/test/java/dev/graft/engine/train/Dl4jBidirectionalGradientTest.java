package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's Bidirectional on DL4J's own sequences (channels first, no format recorded, as a DL4J zip holds them) passes the
 * error back exactly (finite differences in double precision; the output layer's format set as graft's training sets
 * an unset one, {@code UnsetRnnFormats}): {@code UntrainableLayers} lets a DL4J zip's Bidirectional
 * train and refuses it only on Keras's channels-last sequences, where its backward pass fails.
 */
class Dl4jBidirectionalGradientTest {
    private DataType savedDefault;

    @org.junit.jupiter.api.AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    @Test
    void bidirectionalLstmOnChannelsFirstSequencesHasTheFiniteDifferenceGradient() {
        checkBothModes(new LSTM.Builder().nIn(3).nOut(2).activation(Activation.TANH).build());
    }

    /** The SimpleRnn of a DL4J zip's Bidirectional (regression_100b4's rnn2) too: only Keras's channels-last sequences fail. */
    @Test
    void bidirectionalSimpleRnnOnChannelsFirstSequencesHasTheFiniteDifferenceGradient() {
        checkBothModes(new SimpleRnn.Builder().nIn(3).nOut(2).activation(Activation.TANH).build());
    }

    private void checkBothModes(org.deeplearning4j.nn.conf.layers.Layer recurrent) {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        for (Bidirectional.Mode mode : new Bidirectional.Mode[] {Bidirectional.Mode.CONCAT, Bidirectional.Mode.ADD}) {
            int width = mode == Bidirectional.Mode.CONCAT ? 4 : 2;
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(4).updater(new NoOp())
                    .graphBuilder()
                    .addInputs("in")
                    .addLayer("bidi", new Bidirectional(mode, recurrent.clone()), "in")
                    .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(width).nOut(2)
                            .activation(Activation.IDENTITY).dataFormat(org.deeplearning4j.nn.conf.RNNFormat.NCW).build(), "bidi")
                    .setOutputs("out")
                    .build();
            ComputationGraph g = new ComputationGraph(conf);
            g.init();
            Nd4j.getRandom().setSeed(12);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 5).subi(0.5);   // (batch, features, steps): DL4J's own layout
            INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 2, 5);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {x})
                    .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "gradient check, " + recurrent.getClass().getSimpleName() + ", mode " + mode);
        }
    }
}
