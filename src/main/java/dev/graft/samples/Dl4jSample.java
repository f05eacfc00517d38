package dev.graft.samples;

import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import dev.graft.format.dl4j.Dl4jZipWriter;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A DL4J classifier head (32 features -> Dense(16, relu) -> sigmoid output) saved with
 * ModelSerializer, so the samples show a merge of a Keras donor with a DL4J donor.
 */
final class Dl4jSample {
    private Dl4jSample() {
    }

    static void write(Path zip) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list()
                .layer(new DenseLayer.Builder().nIn(32).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(16).nOut(1).activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Dl4jZipWriter.write(net, zip);
    }
}
