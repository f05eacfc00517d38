package dev.graft.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small DL4J MultiLayerNetworks built as DL4J users build them, saved as zips, seeded so every run is the same. */
final class TestNets {
    private TestNets() {
    }

    private static NeuralNetConfiguration.ListBuilder list(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).updater(new Adam(1e-2)).list();
    }

    /** Double precision and no updater: what DL4J's gradient checks require. */
    private static NeuralNetConfiguration.ListBuilder gradientCheckable(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new NoOp()).list();
    }

    /** A 1x1 convolution (NCHW, DL4J's default) from {@code cIn} to {@code cOut} channels on h x w images, tanh; no output layer. */
    static MultiLayerNetwork conv1x1(long seed, int h, int w, int cIn, int cOut, boolean forGradientCheck) {
        NeuralNetConfiguration.ListBuilder b = forGradientCheck ? gradientCheckable(seed) : list(seed);
        return init(b.layer(new ConvolutionLayer.Builder(1, 1).nIn(cIn).nOut(cOut).activation(Activation.TANH).build())
                .setInputType(InputType.convolutional(h, w, cIn))
                .build());
    }

    /** A CNN fed flat rows (3x3 convolution, tanh) with an MSE output of {@code nOut}, in double precision without updater. */
    static MultiLayerNetwork flatInputCnnForGradientCheck(long seed, int h, int w, int channels, int nOut) {
        return init(gradientCheckable(seed)
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(nOut).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutionalFlat(h, w, channels))
                .build());
    }

    /** nIn → hidden (tanh) → MSE output (identity), double precision without updater. */
    static MultiLayerNetwork mlpForGradientCheck(long seed, int nIn, int hidden, int nOut) {
        return init(gradientCheckable(seed)
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(hidden).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(hidden).nOut(nOut).activation(Activation.IDENTITY).build())
                .build());
    }

    /** LSTM then RnnOutputLayer (MSE, identity) in {@code format}, double precision without updater. */
    static MultiLayerNetwork lstmForGradientCheck(long seed, int nIn, int units, int nOut, RNNFormat format) {
        return init(gradientCheckable(seed)
                .layer(new LSTM.Builder().nIn(nIn).nOut(units).activation(Activation.TANH).dataFormat(format).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).nIn(units).nOut(nOut).activation(Activation.IDENTITY).dataFormat(format).build())
                .build());
    }

    /** nIn → hidden (tanh) → OutputLayer nOut with {@code outActivation} and MSE. */
    static MultiLayerNetwork mlp(long seed, int nIn, int hidden, int nOut, Activation outActivation) {
        return init(list(seed)
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(hidden).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(hidden).nOut(nOut).activation(outActivation).build())
                .build());
    }

    /** nIn → hidden (tanh) → softmax classifier with {@code classes} classes. */
    static MultiLayerNetwork classifier(long seed, int nIn, int hidden, int classes) {
        return init(list(seed)
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(hidden).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(hidden).nOut(classes).activation(Activation.SOFTMAX).build())
                .build());
    }

    /** LSTM(nIn → units) returning sequences, then RnnOutputLayer(units → nOut), both in {@code format}. */
    static MultiLayerNetwork lstm(long seed, int nIn, int units, int nOut, RNNFormat format) {
        return init(list(seed)
                .layer(new LSTM.Builder().nIn(nIn).nOut(units).activation(Activation.TANH).dataFormat(format).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).nIn(units).nOut(nOut).activation(Activation.IDENTITY).dataFormat(format).build())
                .build());
    }

    /** A CNN fed flat rows, as MultiLayerNetwork users build them (input type convolutionalFlat). */
    static MultiLayerNetwork flatInputCnn(long seed, int h, int w, int channels, int classes) {
        return init(list(seed)
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(h, w, channels))
                .build());
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static Path save(MultiLayerNetwork net, Path file) {
        try {
            ModelSerializer.writeModel(net, file.toFile(), false);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EngineModel engine(MultiLayerNetwork net, Path file) {
        return EngineModel.ofDl4j(save(net, file));
    }
}
