package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.format.ModelFileException;
import dev.graft.format.ModelFiles;
import dev.graft.format.dl4j.Dl4jToKeras;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.Weight;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every DL4J fixture is translated into Keras (configs and weights in Keras's layout) or refused
 * with one line naming the layer and the reason; a translated model, computed by graft as the
 * Keras model it now is, gives DL4J's own outputs on random inputs.
 */
class Dl4jTranslationTest {
    static final double TOLERANCE = 1e-5;

    /** DL4J's network and its Keras translation computed on the same Keras-layout input. */
    static double maxDifference(Path zip, ModelGraph keras, long seed) {
        EngineModel dl4j = EngineModel.ofDl4j(zip);
        EngineModel translated = EngineModel.ofKeras(keras);
        HostArray x = randomInput(keras, seed);
        HostArray[] expected = dl4j.predict(x);
        HostArray[] got = translated.predict(x);
        assertEquals(expected.length, got.length, zip + ": outputs");
        double worst = 0;
        for (int o = 0; o < expected.length; o++) {
            assertEquals(java.util.Arrays.toString(expected[o].shape()), java.util.Arrays.toString(got[o].shape()), zip + ": output shape");
            worst = Math.max(worst, Reference.maxAbsDiff(expected[o], got[o]));
        }
        return worst;
    }

    /** Four samples of the model's input shape, seven steps where the length is open, values in [-1, 1). */
    static HostArray randomInput(ModelGraph keras, long seed) {
        Shape s = keras.layer(keras.inputs().get(0).layer()).declaredOutputShapes() == null ? null
                : keras.layer(keras.inputs().get(0).layer()).declaredOutputShapes().get(0);
        if (s == null) s = dev.graft.shape.GraphShapes.infer(keras).shape(keras.inputs().get(0));
        long[] shape = new long[s.rank()];
        shape[0] = 4;
        for (int d = 1; d < shape.length; d++) shape[d] = s.dim(d) == null ? 7 : s.dim(d);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(HostArray.size(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return HostArray.ofFloats(shape, v);
    }

    @Test
    void everyDl4jFixtureIsTranslatedExactlyOrRefusedByLayer() {
        List<Path> files = Fixtures.files("dl4j", p -> !p.getFileName().toString().contains("_Input_")
                && !p.getFileName().toString().contains("_Output_"));
        List<String> translated = new ArrayList<>(), refused = new ArrayList<>(), unreadable = new ArrayList<>();
        for (Path f : files) {
            ModelGraph dl4j;
            try {
                dl4j = ModelFiles.read(f);
            } catch (ModelFileException e) {
                unreadable.add(label(f) + ": " + e.getMessage());
                continue;
            }
            ModelGraph keras;
            try {
                keras = Dl4jToKeras.translate(dl4j);
            } catch (ModelFileException e) {
                String m = e.getMessage();
                assertTrue(!m.contains("\n") && m.matches("layer '[^']+' \\(DL4J \\w+\\) has no Keras translation: .+"), f + ": " + m);
                refused.add(label(f) + ": " + m);
                continue;
            }
            double diff = maxDifference(f, keras, f.getFileName().toString().hashCode());
            System.out.printf("[dl4j->keras] %s: max |keras - dl4j| = %.3g%n", label(f), diff);
            assertTrue(diff <= TOLERANCE, f + ": translation computes differently, max |difference| " + diff);
            translated.add(label(f));
        }
        refused.forEach(r -> System.out.println("[dl4j->keras] refused " + r));
        unreadable.forEach(r -> System.out.println("[dl4j->keras] unreadable " + r));
        System.out.printf("[dl4j->keras] %d translated, %d refused, %d unreadable of %d DL4J fixtures%n", translated.size(), refused.size(),
                unreadable.size(), files.size());
        // Measured 2026-12-05: 12 translated, 9 refused (Graves LSTM peepholes, a variational autoencoder, zips without an
        // input type), 3 unreadable (a custom layer class).
        assertTrue(translated.size() >= 12, "translated " + translated);
    }

    private static String label(Path f) {
        return f.getParent().getFileName() + "/" + f.getFileName();
    }

    /**
     * A channels-first CNN built here (the fixtures' CNNs record no input shape): a flat input
     * unflattened channels first, explicit and 'same' padding, strides, max and average pooling,
     * leaky ReLU, and DL4J's channels-first flatten before the classifier.
     */
    @Test
    void channelsFirstCnnComputesAsDl4j(@org.junit.jupiter.api.io.TempDir Path dir) {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Truncate)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder(
                        org.deeplearning4j.nn.conf.layers.SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(2, 2).nOut(3).stride(2, 2)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                        .activation(org.nd4j.linalg.activations.Activation.LEAKYRELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder(
                        org.deeplearning4j.nn.conf.layers.SubsamplingLayer.PoolingType.AVG).kernelSize(2, 1).stride(1, 1).build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(5)
                        .activation(org.nd4j.linalg.activations.Activation.TANH).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutionalFlat(10, 9, 2))
                .build();
        var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(conf);
        net.init();
        Path zip = dir.resolve("cnn.zip");
        dev.graft.format.dl4j.Dl4jZipWriter.write(net, zip);
        ModelGraph keras = Dl4jToKeras.translate(ModelFiles.read(zip));
        double diff = maxDifference(zip, keras, 11);
        System.out.printf("[dl4j->keras] channels-first CNN: max |keras - dl4j| = %.3g%n", diff);
        assertTrue(diff <= TOLERANCE, "max |difference| " + diff);
        assertEquals("categorical_crossentropy", keras.trainingConfig().path("loss").asText());
    }

    /**
     * PReLU and batch normalisation built here on DL4J's channels-first images (after an activation layer, which keeps
     * the layout): alpha shared over rows and columns of
     * (c, h, w) becomes Keras's alpha of shape (1, 1, c) shared over axes 1 and 2; a batch normalisation with gamma and
     * beta locked to constants keeps them as weights, its log standard deviation becomes Keras's moving variance; an unshared alpha (c, h, w) becomes Keras's (h, w, c).
     */
    @Test
    void preluAndBatchNormalizationOnChannelsFirstImagesComputeAsDl4j(@org.junit.jupiter.api.io.TempDir Path dir) {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(4).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(2, 2).nOut(3)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                        .activation(org.nd4j.linalg.activations.Activation.TANH).build())
                .layer(new org.deeplearning4j.nn.conf.layers.PReLULayer.Builder().inputShape(3, 4, 3).sharedAxes(2, 3)
                        .weightInit(new org.deeplearning4j.nn.weights.WeightInitDistribution(
                                new org.deeplearning4j.nn.conf.distribution.UniformDistribution(0.1, 0.9))).build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().lockGammaBeta(true).gamma(1.5).beta(0.25)
                        .eps(0.01).build())
                .layer(new org.deeplearning4j.nn.conf.layers.PReLULayer.Builder().inputShape(3, 4, 3)
                        .weightInit(new org.deeplearning4j.nn.weights.WeightInitDistribution(
                                new org.deeplearning4j.nn.conf.distribution.UniformDistribution(0.1, 0.9))).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutionalFlat(5, 4, 2))
                .build();
        var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(conf);
        net.init();
        // moving statistics away from 0 and 1, so that a mix-up of mean and variance shows
        net.getLayer(3).setParam("mean", org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{0.3f, -0.2f, 0.1f}}));
        // DL4J's default keeps the moving variance as log10 of a standard deviation
        net.getLayer(3).setParam("log10stdev", org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{0.2f, -0.1f, 0.05f}}));
        Path zip = dir.resolve("prelu.zip");
        dev.graft.format.dl4j.Dl4jZipWriter.write(net, zip);
        ModelGraph keras = Dl4jToKeras.translate(ModelFiles.read(zip));
        assertEquals("[1, 1, 3]", java.util.Arrays.toString(keras.layer("layer2").weights().get(0).read().shape()));
        assertEquals("[1,2]", keras.layer("layer2").config().get("shared_axes").toString());
        assertEquals(-1, keras.layer("layer3").config().get("axis").asInt(), "the channels, after an activation layer too");
        double diff = maxDifference(zip, keras, 17);
        System.out.printf("[dl4j->keras] channels-first PReLU and batch normalisation: max |keras - dl4j| = %.3g%n", diff);
        assertTrue(diff <= TOLERANCE, "max |difference| " + diff);
    }

    /**
     * The other layers and vertices the translation names, built here: a graph of SimpleRnn and
     * LastTimeStep(LSTM) branches joined by an element-wise vertex, dropout and activation layers;
     * and an image chain of zero padding, cropping, upsampling and a per-pixel loss layer.
     */
    @Test
    void graphLayersAndImageHelpersComputeAsDl4j(@org.junit.jupiter.api.io.TempDir Path dir) {
        var rnn = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(5).graphBuilder()
                .addInputs("in")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.recurrent(3, 6))
                .addLayer("simple", new org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep(
                        new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder().nOut(4)
                                .activation(org.nd4j.linalg.activations.Activation.TANH).build()), "in")
                .addLayer("lstm", new org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep(
                        new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nOut(4).build()), "in")
                .addVertex("sum", new org.deeplearning4j.nn.conf.graph.ElementWiseVertex(
                        org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add), "simple", "lstm")
                .addLayer("drop", new org.deeplearning4j.nn.conf.layers.DropoutLayer.Builder(0.7).build(), "sum")
                .addLayer("act", new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                        .activation(org.nd4j.linalg.activations.Activation.SIGMOID).build(), "drop")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(), "act")
                .setOutputs("out").build();
        var images = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(6).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer.Builder(1, 0, 2, 1).build())
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(2, 2).nOut(3)
                        .activation(org.nd4j.linalg.activations.Activation.ELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D(1, 0, 0, 2))
                .layer(new org.deeplearning4j.nn.conf.layers.Upsampling2D.Builder(2).build())
                .layer(new org.deeplearning4j.nn.conf.layers.CnnLossLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutionalFlat(7, 6, 2))
                .build();
        var graph = new org.deeplearning4j.nn.graph.ComputationGraph(rnn);
        graph.init();
        var chain = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(images);
        chain.init();
        Path rnnZip = dir.resolve("rnn.zip"), imageZip = dir.resolve("images.zip");
        dev.graft.format.dl4j.Dl4jZipWriter.write(graph, rnnZip);
        dev.graft.format.dl4j.Dl4jZipWriter.write(chain, imageZip);
        for (Path zip : List.of(rnnZip, imageZip)) {
            double diff = maxDifference(zip, Dl4jToKeras.translate(ModelFiles.read(zip)), 13);
            System.out.printf("[dl4j->keras] %s: max |keras - dl4j| = %.3g%n", zip.getFileName(), diff);
            assertTrue(diff <= TOLERANCE, zip.getFileName() + ": max |difference| " + diff);
        }
    }

    /** Dense weights keep every bit; a convolution kernel is DL4J's permuted element by element. */
    @Test
    void weightsAreDl4jsInKerasLayout() {
        Path zip = Path.of("samples/dl4j_classifier.zip");
        ModelGraph dl4j = ModelFiles.read(zip);
        ModelGraph keras = Dl4jToKeras.translate(dl4j);
        Weight w = dl4j.layer("layer0").weights().get(0);
        Weight k = keras.layer("layer0").weights().get(0);
        assertEquals("layer0/kernel:0", k.name());
        assertTrue(w.read().bitEquals(k.read()), "dense kernel copied bit for bit");
        HostArray b = dl4j.layer("layer0").weights().get(1).read();
        assertTrue(b.reshape(b.size()).bitEquals(keras.layer("layer0").weights().get(1).read()));
    }

    /**
     * Activations with parameters no Keras activation name carries, built here: a Dense with a capped, thresholded, sloped
     * ReLU, an activation layer capping at 0 (DL4J applies any max it holds), an ELU(0.5) and a leaky ReLU become Keras's
     * ReLU, ELU and LeakyReLU layers computing what DL4J does; in an LSTM, where only an activation name fits, the capped
     * ReLU is refused naming the layer.
     */
    @Test
    void activationsWithParametersBecomeKerasLayersOrAreRefused(@org.junit.jupiter.api.io.TempDir Path dir) {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(8)
                        .activation(new org.nd4j.linalg.activations.impl.ActivationReLU(0.5, 0.1, 0.2)).build())
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                        .activation(new org.nd4j.linalg.activations.impl.ActivationReLU(0.0, -0.5, 0.3)).build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(6)
                        .activation(new org.nd4j.linalg.activations.impl.ActivationELU(0.5)).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(new org.nd4j.linalg.activations.impl.ActivationLReLU(0.05)).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(5))
                .build();
        var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(conf);
        net.init();
        Path zip = dir.resolve("mlp.zip");
        dev.graft.format.dl4j.Dl4jZipWriter.write(net, zip);
        ModelGraph keras = Dl4jToKeras.translate(ModelFiles.read(zip));
        assertEquals(List.of("ReLU", "ReLU", "ELU", "LeakyReLU"), keras.layers().stream().map(l -> l.className())
                .filter(c -> c.endsWith("LU")).toList());
        double diff = maxDifference(zip, keras, 13);
        System.out.printf("[dl4j->keras] activations with parameters: max |keras - dl4j| = %.3g%n", diff);
        assertTrue(diff <= TOLERANCE, "max |difference| " + diff);

        var lstm = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nOut(4).name("capped")
                        .activation(new org.nd4j.linalg.activations.impl.ActivationReLU(6.0, null, null)).build())
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.recurrent(3))
                .build();
        var lstmNet = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(lstm);
        lstmNet.init();
        Path lstmZip = dir.resolve("lstm.zip");
        dev.graft.format.dl4j.Dl4jZipWriter.write(lstmNet, lstmZip);
        ModelGraph read = ModelFiles.read(lstmZip);
        ModelFileException e = org.junit.jupiter.api.Assertions.assertThrows(ModelFileException.class, () -> Dl4jToKeras.translate(read));
        assertEquals("layer 'capped' (DL4J LSTM) has no Keras translation: its ReLU has a cap, threshold or slope (max 6.0,"
                + " threshold null, slope null), which a Keras activation name cannot carry", e.getMessage());
    }
}
