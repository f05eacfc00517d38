package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.Fixtures;
import dev.graft.engine.layers.ChannelsLastConv2DLayer;
import dev.graft.engine.layers.ChannelsLastSubsampling2DLayer;
import dev.graft.engine.train.LossKind;
import dev.graft.engine.train.TrainableGraph;
import dev.graft.format.Json;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import dev.graft.surgery.KerasLayerFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Keras's channels-last Conv2D, MaxPooling2D and AveragePooling2D, whose DL4J NHWC runtimes compute
 * forward but cannot backpropagate (DL4J 1.0.0-M2.1): networks built for training compute them
 * through DL4J's NCHW runtimes between axis permutations. Those networks compute what the stock ones
 * compute (which the fidelity tests hold to Keras), their backward passes are right (DL4J's numerical
 * gradient check, double precision), and what they train writes back to Keras exactly.
 */
class ChannelsLastCnnTest {
    private static final double TOL = 1e-5;
    private static final String[] MNIST = {"wild/mnist_digit.keras", "wild/mnist_cnn_k215.h5"};

    @TempDir
    Path dir;

    @AfterEach
    void restorePrecision() {
        DataTypeUtil.setDTypeForContext(DataType.FLOAT);
    }

    /**
     * Conv2D (same and valid, strided, dilated, with and without bias), both 2-d poolings (valid and
     * same, strides below the pool size), Flatten, Dense: input (8, 7, 2).
     */
    static ModelGraph smallCnn() {
        SplittableRandom rng = new SplittableRandom(15);
        List<Layer> layers = new ArrayList<>();
        layers.add(KerasLayerFactory.input("input", Arrays.asList(null, 8L, 7L, 2L)));
        layers.add(conv2d("conv_same", 2, 3, new int[] {3, 2}, 1, 1, "same", "tanh", true, "input", rng));       // (8, 7, 3)
        layers.add(pool2d("max_valid", "MaxPooling2D", 2, 2, "valid", "conv_same"));                             // (4, 3, 3)
        layers.add(conv2d("conv_dilated", 3, 4, new int[] {2, 2}, 1, 2, "same", "tanh", false, "max_valid", rng)); // (4, 3, 4)
        layers.add(pool2d("avg_same", "AveragePooling2D", 3, 1, "same", "conv_dilated"));                         // (4, 3, 4)
        layers.add(conv2d("conv_strided", 4, 3, new int[] {2, 2}, 2, 1, "valid", "linear", true, "avg_same", rng)); // (2, 1, 3)
        layers.add(pool2d("max_same", "MaxPooling2D", 2, 1, "same", "conv_strided"));                              // (2, 1, 3)
        layers.add(KerasLayerFactory.flatten("flat", TensorRef.of("max_same")));                                   // 6
        layers.add(KerasLayerFactory.dense("head", 2, "linear", 6, TensorRef.of("flat"), rng));
        SourceInfo src = new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1);
        return new ModelGraph("cnn", "Model", layers, List.of(TensorRef.of("input")), List.of(TensorRef.of("head")), null, null, src);
    }

    @Test
    void trainingBuildComputesThroughNchwWhatTheStockBuildComputes() {
        ModelGraph m = smallCnn();
        ComputationGraph training = KerasEngine.buildForTraining(m);
        for (String name : new String[] {"conv_same", "conv_dilated", "conv_strided"}) {
            assertInstanceOf(ChannelsLastConv2DLayer.class, layerConf(training, name), name);
        }
        for (String name : new String[] {"max_valid", "avg_same", "max_same"}) {
            assertInstanceOf(ChannelsLastSubsampling2DLayer.class, layerConf(training, name), name);
        }
        assertEquals(PoolingType.AVG, ((ChannelsLastSubsampling2DLayer) layerConf(training, "avg_same")).getPoolingType());
        assertEquals(PoolingType.MAX, ((ChannelsLastSubsampling2DLayer) layerConf(training, "max_valid")).getPoolingType());
        assertSameOutputs(KerasEngine.build(m), training, Nd4j.rand(DataType.FLOAT, 5, 8, 7, 2).subi(0.5).muli(2), "small CNN");
    }

    /** The computing build keeps DL4J's stock classes (its zips open in any DL4J). */
    @Test
    void computingBuildKeepsDl4jsOwnClasses() {
        ComputationGraph stock = KerasEngine.build(smallCnn());
        assertEquals(org.deeplearning4j.nn.conf.layers.ConvolutionLayer.class, layerConf(stock, "conv_same").getClass());
        assertEquals(org.deeplearning4j.nn.conf.layers.SubsamplingLayer.class, layerConf(stock, "max_valid").getClass());
    }

    @Test
    void mnistCnnsComputeTheSameWhenBuiltForTraining() {
        for (String f : MNIST) {
            ModelGraph m = ModelFiles.read(Fixtures.file(f));
            assertSameOutputs(KerasEngine.build(m), KerasEngine.buildForTraining(m), Nd4j.rand(DataType.FLOAT, 4, 28, 28, 1), f);
        }
    }

    @Test
    void gradientsThroughConv2dAndPooling() {
        ComputationGraph net = KerasEngine.buildForTraining(smallCnn());
        Nd4j.getExecutioner();
        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
        ComputationGraph doubled = net.convertDataType(DataType.DOUBLE);
        Set<String> all = new HashSet<>();
        for (var e : doubled.getConfiguration().getVertices().entrySet()) if (e.getValue().numParams(false) > 0) all.add(e.getKey());
        assertEquals(Set.of("conv_same", "conv_dilated", "conv_strided", "head"), all);
        ComputationGraph g = TrainableGraph.prepare(doubled, all, new NoOp(), LossKind.MEAN_SQUARED_ERROR, 1);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 8, 7, 2).subi(0.5).muli(2);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 3, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {x})
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                // DL4J's Keras import gives every layer a Dropout that keeps everything: deterministic anyway
                .callEachIter(n -> Nd4j.getRandom().setSeed(1))
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
        assertTrue(ok, "gradient check through Conv2D, MaxPooling2D and AveragePooling2D (channels last)");
    }

    /**
     * In float, Conv2D trains through graft's step with buffers kept across batches (Im2colConv2DTrainingStep), which the
     * double-precision check above does not reach: its gradients agree with those of the checked double path to float
     * rounding, batch after batch, and skipping the first convolution's input gradient changes none of them.
     */
    @Test
    void floatTrainingStepAgreesWithTheCheckedPath() {
        Set<String> all = Set.of("conv_same", "conv_dilated", "conv_strided", "head");
        ComputationGraph f = TrainableGraph.prepare(KerasEngine.buildForTraining(smallCnn()), all, new NoOp(), LossKind.MEAN_SQUARED_ERROR, 1);
        for (int batch : new int[] {3, 3, 2}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, 8, 7, 2).subi(0.5).muli(2);
            INDArray y = Nd4j.rand(DataType.FLOAT, batch, 2);
            INDArray fast = gradient(f, x, y);
            var skipped = dev.graft.engine.layers.UnusedInputGradients.skipWhileTraining(f);
            assertEquals(1, skipped.count(), "the convolution taking the network's input");
            INDArray withoutInputGradient = gradient(f, x, y);
            skipped.restore();
            assertEquals(fast, withoutInputGradient, "the same parameter gradients, bit for bit");
            DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
            INDArray checked = gradient(f.convertDataType(DataType.DOUBLE), x.castTo(DataType.DOUBLE), y.castTo(DataType.DOUBLE));
            DataTypeUtil.setDTypeForContext(DataType.FLOAT);
            double largest = checked.sub(fast.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            assertTrue(checked.amaxNumber().doubleValue() > 0.01, "a real gradient");
            assertTrue(largest < 1e-4, () -> "largest difference " + largest);
        }
    }

    private static INDArray gradient(ComputationGraph g, INDArray x, INDArray y) {
        Nd4j.getRandom().setSeed(1);
        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
        return g.gradient().gradient().dup();
    }

    @Test
    void trainedCnnsWriteBackExactly() throws Exception {
        ModelGraph small = smallCnn();
        WritebackChecks.roundTrip(small, WritebackChecks.weightedLayers(small), dir, null);
        for (String f : MNIST) {
            ModelGraph m = ModelFiles.read(Fixtures.file(f));
            WritebackChecks.roundTrip(m, WritebackChecks.weightedLayers(m), dir, null);
        }
    }

    /** A zip of the training network ({@code train -o x.zip}) restores in DL4J as the same classes computing the same numbers. */
    @Test
    void dl4jZipRoundTrip() throws Exception {
        ComputationGraph net = KerasEngine.buildForTraining(smallCnn());
        Path zip = dir.resolve("cnn.zip");
        dev.graft.format.dl4j.Dl4jZipWriter.write(net, zip);
        ComputationGraph back = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        assertInstanceOf(ChannelsLastConv2DLayer.class, layerConf(back, "conv_strided"));
        assertInstanceOf(ChannelsLastSubsampling2DLayer.class, layerConf(back, "avg_same"));
        assertSameOutputs(net, back, Nd4j.rand(DataType.FLOAT, 3, 8, 7, 2), "restored zip");
        assertEquals(net.numParams(), ModelFiles.read(zip).layers().stream().mapToLong(Layer::parameterCount).sum());
    }

    private static void assertSameOutputs(ComputationGraph stock, ComputationGraph training, INDArray x, String what) {
        INDArray expected = stock.output(false, x)[0], actual = training.output(false, x)[0];
        assertArrayEquals(expected.shape(), actual.shape(), what + ": output shape");
        double err = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(err <= TOL, what + ": max abs difference " + err);
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layerConf(ComputationGraph net, String name) {
        return ((LayerVertex) net.getConfiguration().getVertices().get(name)).getLayerConf().getLayer();
    }

    /** Keras 2's Conv2D, channels last, random kernel (kh, kw, in, out) and bias. */
    static Layer conv2d(String name, long in, int filters, int[] k, int stride, int dilation, String padding, String activation,
                                boolean useBias, String input, SplittableRandom rng) {
        ObjectNode c = base(name);
        c.put("filters", filters);
        c.putArray("kernel_size").add(k[0]).add(k[1]);
        c.putArray("strides").add(stride).add(stride);
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        c.putArray("dilation_rate").add(dilation).add(dilation);
        c.put("activation", activation);
        c.put("use_bias", useBias);
        c.set("kernel_initializer", initializer(c, "GlorotUniform"));
        c.set("bias_initializer", initializer(c, "Zeros"));
        List<Weight> w = new ArrayList<>();
        w.add(Weight.inMemory(name + "/kernel:0", random(new long[] {k[0], k[1], in, filters}, rng), true));
        if (useBias) w.add(Weight.inMemory(name + "/bias:0", random(new long[] {filters}, rng), true));
        return new Layer(name, "Conv2D", c, call(input), w, null);
    }

    static Layer pool2d(String name, String className, int pool, int stride, String padding, String input) {
        ObjectNode c = base(name);
        c.putArray("pool_size").add(pool).add(pool);
        c.putArray("strides").add(stride).add(stride);
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        return new Layer(name, className, c, call(input), List.of(), null);
    }

    private static List<LayerCall> call(String input) {
        return List.of(new LayerCall(List.of(TensorRef.of(input)), Json.object()));
    }

    private static HostArray random(long[] shape, SplittableRandom rng) {
        float[] v = new float[Math.toIntExact(HostArray.size(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return HostArray.ofFloats(shape, v);
    }

    private static ObjectNode base(String name) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put("trainable", true);
        c.put("dtype", "float32");
        return c;
    }

    private static ObjectNode initializer(ObjectNode c, String cls) {
        ObjectNode i = c.objectNode();
        i.put("class_name", cls);
        i.putObject("config");
        return i;
    }
}
