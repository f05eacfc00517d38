package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.engine.layers.KerasNormalizationLayer.Mode;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * graft's normalisation layers in an inference pass without SameDiff ({@link DirectInferenceLayer}) give the SameDiff
 * graph's numbers (a training pass of the same network still runs the graph), and leave to the graph what the direct
 * path does not compute: a feature axis that is not the last (NCW), other data types.
 */
class DirectNormalizationInferenceTest {
    private static MultiLayerNetwork net(KerasNormalizationLayer layer, long features, long steps, RNNFormat format, DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(type).seed(4).list()
                .layer(layer)
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(features).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(format).build())
                .setInputType(InputType.recurrent(features, steps, format))
                .build());
        net.init();
        Random r = new Random(11);
        for (INDArray p : net.getLayer(0).paramTable().values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, 0.5 + r.nextGaussian());
        return net;
    }

    @ParameterizedTest(name = "{0}, center={1}, scale={2}, epsilon={3}")
    @CsvSource({"LAYER,true,true,1e-3", "LAYER,false,true,1e-5", "LAYER,true,false,1e-3", "LAYER,false,false,0.1", "LAYER_RMS_SCALING,false,true,1e-3",
            "RMS,false,true,1e-6", "UNIT,false,false,1e-3"})
    void inferenceEqualsTheGraph(Mode mode, boolean center, boolean scale, double epsilon) {
        KerasNormalizationLayer layer = new KerasNormalizationLayer.Builder().mode(mode).center(center).scale(scale).epsilon(epsilon).build();
        MultiLayerNetwork net = net(layer, 6, 5, RNNFormat.NWC, DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 7, 5, 6).subi(0.4).muli(5);
        x.putScalar(new long[] {0, 0, 0}, 40f);   // one far-off feature: the variance is not near 1
        INDArray direct = layer.inferDirectly(x, net.getLayer(0).paramTable());
        assertNotNull(direct, "computed directly");
        INDArray inferred = net.feedForwardToLayer(0, x, false).get(1);
        INDArray graph = net.feedForwardToLayer(0, x, true).get(1);   // a training pass: the SameDiff graph
        assertArrayEquals(graph.shape(), inferred.shape());
        assertTrue(graph.equalsWithEps(direct, 2e-6), mode + ": " + graph + " vs " + direct);
        assertTrue(graph.equalsWithEps(inferred, 2e-6), "the inference pass, " + mode + ": " + graph + " vs " + inferred);
    }

    /** Rank 2 ({@code [batch, features]}) and a view of a bigger array (a sliced batch) read as they are. */
    @Test
    void featureRowsAndViewsEqualTheGraph() {
        KerasNormalizationLayer layer = new KerasNormalizationLayer.Builder().build();
        layer.setNIn(InputType.feedForward(4), true);
        INDArray gamma = Nd4j.createFromArray(1.5f, -0.5f, 2f, 1f).reshape(1, 4);
        INDArray beta = Nd4j.createFromArray(0.1f, 0.2f, -0.3f, 0f).reshape(1, 4);
        INDArray whole = Nd4j.rand(DataType.FLOAT, 6, 4).muli(3);
        INDArray view = whole.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 5), org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray direct = layer.inferDirectly(view, Map.of(KerasNormalizationLayer.GAMMA, gamma, KerasNormalizationLayer.BETA, beta));
        INDArray centred = view.subColumnVector(view.mean(1));
        INDArray expected = centred.divColumnVector(org.nd4j.linalg.ops.transforms.Transforms.sqrt(centred.mul(centred).mean(1).addi(1e-3)))
                .muliRowVector(gamma).addiRowVector(beta);
        assertTrue(expected.equalsWithEps(direct, 2e-6), expected + " vs " + direct);
    }

    @Test
    void channelsFirstSequencesStayWithTheGraph() {
        KerasNormalizationLayer layer = new KerasNormalizationLayer.Builder().build();
        MultiLayerNetwork net = net(layer, 6, 5, RNNFormat.NCW, DataType.FLOAT);
        assertNull(layer.inferDirectly(Nd4j.rand(DataType.FLOAT, 2, 6, 5), net.getLayer(0).paramTable()));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 6, 5);
        assertTrue(net.feedForwardToLayer(0, x, true).get(1).equalsWithEps(net.feedForwardToLayer(0, x, false).get(1), 1e-6));
    }

    @Test
    void doublesStayWithTheGraph() {
        KerasNormalizationLayer layer = new KerasNormalizationLayer.Builder().build();
        MultiLayerNetwork net = net(layer, 6, 5, RNNFormat.NWC, DataType.DOUBLE);
        assertNull(layer.inferDirectly(Nd4j.rand(DataType.DOUBLE, 2, 5, 6), net.getLayer(0).paramTable()));
    }
}
