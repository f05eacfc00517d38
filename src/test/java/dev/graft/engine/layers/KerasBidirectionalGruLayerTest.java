package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** graft's Bidirectional(GRU) layer trains like any DL4J layer: both halves' gradients match finite differences, for every merge. */
class KerasBidirectionalGruLayerTest {
    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    @ParameterizedTest(name = "{0}, sequences={1}, reset_after={2}")
    @CsvSource({"CONCAT,true,true", "SUM,false,false", "MUL,true,false", "AVE,false,true"})
    void gradientsMatchFiniteDifferences(KerasBidirectionalGruLayer.Merge merge, boolean sequences, boolean resetAfter) {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        KerasBidirectionalGruLayer bidi = new KerasBidirectionalGruLayer(new KerasGruLayer.Builder().nIn(2).units(3).returnSequences(sequences)
                .resetAfter(resetAfter).dataFormat(RNNFormat.NWC), merge);
        long width = merge == KerasBidirectionalGruLayer.Merge.CONCAT ? 6 : 3;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(7).updater(new NoOp()).list()
                .layer(bidi);
        list.layer(sequences
                ? new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(width).nOut(2).activation(Activation.IDENTITY).dataFormat(RNNFormat.NWC).build()
                : new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(width).nOut(2).activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        Random r = new Random(3);
        for (String b : new String[] {KerasBidirectionalGruLayer.FORWARD[2], KerasBidirectionalGruLayer.BACKWARD[2]}) {
            INDArray p = net.getLayer(0).getParam(b);
            for (long i = 0; i < p.length(); i++) p.putScalar(i, r.nextDouble() - 0.5);
        }
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5).muli(2);
        INDArray y = sequences ? Nd4j.rand(DataType.DOUBLE, 2, 4, 2) : Nd4j.rand(DataType.DOUBLE, 2, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(x).labels(y).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                // every SameDiff forward pass costs tens of ms here: check 8 entries of each array
                .subset(true).maxPerParam(4)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check " + merge + ", sequences=" + sequences + ", reset_after=" + resetAfter);
    }
}
