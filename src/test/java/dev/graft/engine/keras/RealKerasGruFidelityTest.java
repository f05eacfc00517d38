package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasGruLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipFile;

import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layer against real Keras: the two users' GRU models in the shared fixtures (Keras 3, which DL4J's
 * import refuses, so the network is assembled here from the stored arrays) must give the predictions that
 * Keras 3.15 computed for them.
 */
class RealKerasGruFidelityTest {

    @Test
    void sentimentEmbeddingGruDenseKeras36() throws Exception {
        File model = WildFixtures.file("wild/sentiment_embedding_gru_k36.h5");
        File io = WildFixtures.file("wild/sentiment_embedding_gru_k36_inputs_and_outputs.h5");
        Hdf5Archive w = new Hdf5Archive(model.getPath());
        INDArray emb = w.readDataSet("embeddings", "model_weights", "embedding_1", "sequential_1", "embedding_1");
        String[] cell = {"model_weights", "gru", "sequential_1", "gru", "gru_cell"};
        INDArray k = w.readDataSet("kernel", cell);
        INDArray u = w.readDataSet("recurrent_kernel", cell);
        INDArray b = w.readDataSet("bias", cell);
        INDArray dk = w.readDataSet("kernel", "model_weights", "dense_1", "sequential_1", "dense_1");
        INDArray db = w.readDataSet("bias", "model_weights", "dense_1", "sequential_1", "dense_1");
        w.close();
        check(io, "input_layer_1", emb, k, u, b, dk, db, Activation.SOFTMAX, 35);
    }

    @Test
    void spamEmbeddingGruDropoutDenseKeras3ZipWith500Steps() throws Exception {
        File model = WildFixtures.file("wild/spam_embedding_gru_k3132.keras");
        File io = WildFixtures.file("wild/spam_embedding_gru_k3132_inputs_and_outputs.h5");
        Path weights = Files.createTempFile("spam_gru", ".weights.h5");
        try (ZipFile zip = new ZipFile(model); InputStream in = zip.getInputStream(zip.getEntry("model.weights.h5"))) {
            Files.copy(in, weights, StandardCopyOption.REPLACE_EXISTING);
            Hdf5Archive w = new Hdf5Archive(weights.toString());
            INDArray emb = w.readDataSet("0", "layers", "embedding", "vars");
            INDArray k = w.readDataSet("0", "layers", "gru", "cell", "vars");
            INDArray u = w.readDataSet("1", "layers", "gru", "cell", "vars");
            INDArray b = w.readDataSet("2", "layers", "gru", "cell", "vars");
            INDArray dk = w.readDataSet("0", "layers", "dense", "vars");
            INDArray db = w.readDataSet("1", "layers", "dense", "vars");
            w.close();
            // Dropout(0.2) between GRU and Dense does nothing at inference, so it is left out
            check(io, "input_layer_3", emb, k, u, b, dk, db, Activation.SIGMOID, 500);
        } finally {
            Files.deleteIfExists(weights);
        }
    }

    private static void check(File io, String inputName, INDArray emb, INDArray k, INDArray u, INDArray b,
                              INDArray dk, INDArray db, Activation outAct, int steps) throws Exception {
        int units = (int) u.size(0);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(emb.size(0)).nOut(emb.size(1)).inputLength(steps)
                        .hasBias(false).outputDataFormat(RNNFormat.NWC).build())
                .layer(new KerasGruLayer.Builder().nIn(emb.size(1)).units(units).build())   // Keras 3 defaults
                .layer(new DenseLayer.Builder().nIn(units).nOut(dk.size(1)).activation(outAct).build())
                .build());
        net.init();
        net.getLayer(0).getParam(DefaultParamInitializer.WEIGHT_KEY).assign(emb);
        net.getLayer(1).getParam(KerasGruLayer.KERNEL).assign(k);
        net.getLayer(1).getParam(KerasGruLayer.RECURRENT_KERNEL).assign(u);
        net.getLayer(1).getParam(KerasGruLayer.BIAS).assign(b);
        net.getLayer(2).getParam(DefaultParamInitializer.WEIGHT_KEY).assign(dk);
        net.getLayer(2).getParam(DefaultParamInitializer.BIAS_KEY).assign(db.reshape(1, db.length()));

        Hdf5Archive h = new Hdf5Archive(io.getPath());
        INDArray x = h.readDataSet(inputName, "inputs");
        INDArray y = h.readDataSet("output_0", "outputs");
        h.close();
        INDArray out = net.output(x);
        assertArrayEquals(y.shape(), out.shape());
        double diff = y.sub(out).amaxNumber().doubleValue();
        System.out.println("real Keras max abs diff " + diff + " over " + java.util.Arrays.toString(out.shape()));
        assertTrue(diff < 1e-5, "max abs diff to Keras " + diff);
    }
}
