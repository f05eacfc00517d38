package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.engine.layers.ChannelsLastAveragePooling2DStage;
import dev.graft.engine.layers.ChannelsLastConv2DStage;
import dev.graft.engine.layers.ChannelsLastFlattenStage;
import dev.graft.engine.layers.ChannelsLastMaxPooling2DStage;
import dev.graft.engine.layers.HeapParameter;
import dev.graft.engine.layers.HeapStage;
import dev.graft.engine.layers.HeapStageSource;
import dev.graft.engine.layers.InvertedDropoutStage;
import dev.graft.format.ModelFiles;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import dev.graft.surgery.KerasLayerFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The heap stages of a channels-last CNN (Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout) against the engine's own layers (the
 * runtimes graft's Keras import trains with, gradient-checked in {@link ChannelsLastCnnTest}) on the same random values:
 * output, input gradient and every parameter gradient to float rounding; what a stage does not compute exactly is null.
 */
class HeapCnnStagesTest {
    private static final List<Function<HeapStageSource, HeapStage>> FAMILIES = List.of(ChannelsLastConv2DStage::of,
            ChannelsLastMaxPooling2DStage::of, ChannelsLastFlattenStage::of, InvertedDropoutStage::of, ChannelsLastAveragePooling2DStage::of);
    private static final LayerWorkspaceMgr NONE = LayerWorkspaceMgr.noWorkspaces();

    @Test
    void mnistCnnStagesComputeWhatTheEngineComputes() {
        for (String f : new String[] {"wild/mnist_digit.keras", "wild/mnist_cnn_k215.h5"}) {
            ComputationGraph net = training(ModelFiles.read(Fixtures.file(f)));
            Map<String, HeapStage> stages = compareEveryVertex(net, Nd4j.rand(DataType.FLOAT, 3, 28, 28, 1), f);
            long conv = stages.values().stream().filter(s -> s instanceof ChannelsLastConv2DStage).count();
            long pool = stages.values().stream().filter(s -> s instanceof ChannelsLastMaxPooling2DStage).count();
            assertEquals(List.of(2L, 2L, 1L, 1L), List.of(conv, pool,
                    stages.values().stream().filter(s -> s instanceof ChannelsLastFlattenStage).count(),
                    stages.values().stream().filter(s -> s instanceof InvertedDropoutStage).count()), f + ": the stages built");
        }
    }

    /** Linear Conv2D with and without bias, strided; tanh and average or same-padded pooling are the engine's (null). */
    @Test
    void smallCnnStagesComputeWhatTheEngineComputesOrAreNull() {
        ComputationGraph net = training(ChannelsLastCnnTest.smallCnn());
        Map<String, HeapStage> stages = compareEveryVertex(net, Nd4j.rand(DataType.FLOAT, 4, 8, 7, 2).subi(0.5).muli(2), "small CNN");
        for (String name : new String[] {"conv_same", "conv_dilated", "avg_same", "max_same"}) assertNull(stages.get(name), name);
        for (String name : new String[] {"max_valid", "conv_strided", "flat"}) assertNotNull(stages.get(name), name);
    }

    /** ReLU convolutions: same padding, dilated, without bias; valid, strided with bias; overlapping pooling windows. */
    @Test
    void reluConvolutionsOfEveryGeometry() {
        SplittableRandom rng = new SplittableRandom(4);
        List<Layer> layers = new ArrayList<>();
        layers.add(KerasLayerFactory.input("input", Arrays.asList(null, 9L, 8L, 3L)));
        layers.add(ChannelsLastCnnTest.conv2d("same_dilated", 3, 4, new int[] {3, 2}, 1, 2, "same", "relu", false, "input", rng));   // (9, 8, 4)
        layers.add(ChannelsLastCnnTest.conv2d("valid_strided", 4, 5, new int[] {2, 3}, 2, 1, "valid", "relu", true, "same_dilated", rng)); // (4, 3, 5)
        layers.add(ChannelsLastCnnTest.pool2d("overlapping", "MaxPooling2D", 2, 1, "valid", "valid_strided"));                          // (3, 2, 5)
        layers.add(ChannelsLastCnnTest.conv2d("same_strided", 5, 3, new int[] {2, 2}, 2, 1, "same", "relu", true, "overlapping", rng)); // (2, 1, 3)
        layers.add(KerasLayerFactory.flatten("flat", TensorRef.of("same_strided")));
        layers.add(KerasLayerFactory.dense("head", 2, "linear", 6, TensorRef.of("flat"), rng));
        ModelGraph m = new ModelGraph("relu_cnn", "Model", layers, List.of(TensorRef.of("input")), List.of(TensorRef.of("head")), null, null,
                new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1));
        ComputationGraph net = training(m);
        Map<String, HeapStage> stages = compareEveryVertex(net, Nd4j.rand(DataType.FLOAT, 5, 9, 8, 3).subi(0.5).muli(2), "ReLU CNN");
        for (String name : new String[] {"same_dilated", "valid_strided", "overlapping", "same_strided", "flat"}) assertNotNull(stages.get(name), name);
    }

    /** Average pooling without padding: windows side by side, then overlapping ones. */
    @Test
    void averagePooling() {
        SplittableRandom rng = new SplittableRandom(6);
        List<Layer> layers = new ArrayList<>();
        layers.add(KerasLayerFactory.input("input", Arrays.asList(null, 8L, 7L, 2L)));
        layers.add(ChannelsLastCnnTest.pool2d("side_by_side", "AveragePooling2D", 2, 2, "valid", "input"));  // (4, 3, 2)
        layers.add(ChannelsLastCnnTest.pool2d("overlapping", "AveragePooling2D", 2, 1, "valid", "side_by_side")); // (3, 2, 2)
        layers.add(KerasLayerFactory.flatten("flat", TensorRef.of("overlapping")));
        layers.add(KerasLayerFactory.dense("head", 2, "linear", 12, TensorRef.of("flat"), rng));
        ModelGraph m = new ModelGraph("avg_cnn", "Model", layers, List.of(TensorRef.of("input")), List.of(TensorRef.of("head")), null, null,
                new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1));
        Map<String, HeapStage> stages = compareEveryVertex(training(m), Nd4j.rand(DataType.FLOAT, 3, 8, 7, 2).subi(0.5).muli(2), "average pooling");
        for (String name : new String[] {"side_by_side", "overlapping"}) {
            assertTrue(stages.get(name) instanceof ChannelsLastAveragePooling2DStage, name);
        }
    }

    @Test
    void copyToEngineWritesTheUpdatedKernelInTheEnginesLayout() {
        ComputationGraph net = training(ModelFiles.read(Fixtures.file("wild/mnist_digit.keras")));
        String conv = convolutionNames(net).get(1);
        HeapStage stage = ChannelsLastConv2DStage.of(source(net, conv, new int[] {13, 13, 32}));
        INDArray before = net.getLayer(conv).getParam("W").dup();
        INDArray bias = net.getLayer(conv).getParam("b").dup();
        stage.copyToEngine();
        assertEquals(before, net.getLayer(conv).getParam("W"), "unchanged values come back bit for bit");
        HeapParameter kernel = stage.parameters().get(0);
        kernel.values()[0] += 1f;       // (kh 0, kw 0, in 0, out 0)
        kernel.values()[1] += 2f;       // (kh 0, kw 0, in 0, out 1)
        stage.parameters().get(1).values()[3] += 3f;
        stage.copyToEngine();
        INDArray after = net.getLayer(conv).getParam("W");
        assertEquals(before.getFloat(0, 0, 0, 0) + 1f, after.getFloat(0, 0, 0, 0));
        assertEquals(before.getFloat(1, 0, 0, 0) + 2f, after.getFloat(1, 0, 0, 0));
        assertEquals(2, before.sub(after).neq(0).castTo(DataType.INT32).sumNumber().intValue(), "nothing else changed");
        assertEquals(bias.getFloat(3) + 3f, net.getLayer(conv).getParam("b").getFloat(3));
    }

    @Test
    void frozenConvolutionHasNoParameters() {
        ComputationGraph net = training(ModelFiles.read(Fixtures.file("wild/mnist_digit.keras")));
        String conv = convolutionNames(net).get(0);
        HeapStageSource s = source(net, conv, new int[] {28, 28, 1});
        HeapStage frozen = ChannelsLastConv2DStage.of(new HeapStageSource(s.name(), s.vertex(), s.layer(), s.runtime(), false, s.inputShape(), s.random()));
        assertEquals(List.of(), frozen.parameters());
        float[] x = new float[2 * 28 * 28];
        Arrays.fill(x, 0.5f);
        float[] y = frozen.forward(x, 2);
        assertEquals(2 * 26 * 26 * 32, y.length);
        assertEquals(2 * 28 * 28, frozen.backward(new float[y.length], 2, true).length, "still passes the gradient on");
    }

    @Test
    void returnsNullForWhatItDoesNotComputeExactly() {
        ComputationGraph net = training(ModelFiles.read(Fixtures.file("wild/mnist_digit.keras")));
        String conv = convolutionNames(net).get(0);
        HeapStageSource s = source(net, conv, new int[] {28, 28, 1});
        assertNotNull(ChannelsLastConv2DStage.of(s));
        assertNull(ChannelsLastConv2DStage.of(withLayer(s, c -> c.setConvolutionMode(ConvolutionMode.Strict))), "strict mode");
        assertNull(ChannelsLastConv2DStage.of(withLayer(s, c -> c.setConvolutionMode(ConvolutionMode.Causal))), "causal mode");
        assertNull(ChannelsLastConv2DStage.of(withLayer(s, c -> c.setIDropout(new Dropout(0.8)))), "dropout on the input");
        assertNull(ChannelsLastConv2DStage.of(withLayer(s, c -> c.setRegularization(List.of(new L2Regularization(0.01))))), "L2");
        assertNull(ChannelsLastConv2DStage.of(withLayer(s, c -> c.setActivationFn(new org.nd4j.linalg.activations.impl.ActivationTanH()))), "tanh");
        assertNull(ChannelsLastConv2DStage.of(withLayer(s, c -> c.setActivationFn(new org.nd4j.linalg.activations.impl.ActivationReLU(6.0, 0.0, 0.0)))),
                "ReLU6");
        assertNull(ChannelsLastConv2DStage.of(new HeapStageSource(s.name(), s.vertex(), s.layer(), s.runtime(), true, new int[] {28, 28, 2},
                s.random())), "an input with other channels");
        assertNull(ChannelsLastMaxPooling2DStage.of(s), "not a pooling");
        assertNull(InvertedDropoutStage.of(s), "not a dropout");
        PreprocessorVertex nchw = new PreprocessorVertex(new CnnToFeedForwardPreProcessor(5, 5, 64, CNN2DFormat.NCHW));
        assertNull(ChannelsLastFlattenStage.of(new HeapStageSource("f", nchw, null, null, true, new int[] {5, 5, 64}, null)), "NCHW flatten reorders");
        PreprocessorVertex nhwc = new PreprocessorVertex(new CnnToFeedForwardPreProcessor(5, 5, 64, CNN2DFormat.NHWC));
        assertNotNull(ChannelsLastFlattenStage.of(new HeapStageSource("f", nhwc, null, null, true, new int[] {5, 5, 64}, null)));
        assertNull(ChannelsLastFlattenStage.of(new HeapStageSource("f", nhwc, null, null, true, new int[] {5, 4, 64}, null)), "another shape");

        String dropout = vertexOf(net, DropoutLayer.class);
        HeapStageSource d = source(net, dropout, new int[] {1600});
        DropoutLayer scheduled = (DropoutLayer) d.layer().clone();
        scheduled.setIDropout(new Dropout(new ExponentialSchedule(ScheduleType.ITERATION, 0.5, 0.9)));
        assertNull(InvertedDropoutStage.of(new HeapStageSource(d.name(), d.vertex(), scheduled, d.runtime(), true, d.inputShape(), d.random())),
                "a dropout schedule");
    }

    /**
     * The MNIST CNN's Dropout, built for training, keeps each value with p = 0.5 (Keras's rate 0.5); with p = 1 its stage
     * passes values and gradients on. With p = 0.5 each value is kept and doubled or dropped, as the engine's own dropout
     * does, and the gradient takes the same mask.
     */
    @Test
    void dropoutKeepsHalfTheValuesDoubledAndMasksTheGradientAlike() {
        ComputationGraph net = training(ModelFiles.read(Fixtures.file("wild/mnist_digit.keras")));
        String name = vertexOf(net, DropoutLayer.class);
        HeapStageSource s = source(net, name, new int[] {1600});
        int rows = 8, n = rows * 1600;
        float[] x = new float[n], e = new float[n];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() + 0.1);
            e[i] = (float) (r.nextDouble() - 0.5);
        }
        assertEquals(0.5, ((Dropout) s.layer().getIDropout()).getP(), "as built for training: Keras's rate 0.5");
        DropoutLayer keepAll = (DropoutLayer) s.layer().clone();
        keepAll.setIDropout(new Dropout(1.0));
        HeapStage identity = InvertedDropoutStage.of(new HeapStageSource(name, s.vertex(), keepAll, s.runtime(), true, s.inputShape(), s.random()));
        assertArrayEquals(x, identity.forward(x, rows));
        assertArrayEquals(e, identity.backward(e.clone(), rows, true));

        DropoutLayer half = (DropoutLayer) s.layer().clone();
        half.setIDropout(new Dropout(0.5));
        HeapStage stage = InvertedDropoutStage.of(new HeapStageSource(name, s.vertex(), half, s.runtime(), true, s.inputShape(), s.random()));
        float[] y = stage.forward(x, rows);
        float[] dx = stage.backward(e.clone(), rows, true);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            boolean k = y[i] != 0f;
            if (k) kept++;
            assertEquals(k ? x[i] * 2f : 0f, y[i], 0f, "value " + i);
            assertEquals(k ? e[i] * 2f : 0f, dx[i], 0f, "gradient " + i);
        }
        assertEquals(0.5, kept / (double) n, 0.03, "the share kept");

        org.deeplearning4j.nn.api.Layer engine = net.getLayer(name);
        engine.conf().getLayer().setIDropout(new Dropout(0.5));
        engine.setInput(Nd4j.create(x, new long[] {rows, 1600}, 'c'), NONE);
        INDArray ey = engine.activate(true, NONE).dup();
        INDArray keptByEngine = ey.neq(0).castTo(DataType.FLOAT);
        assertEquals(0.5, keptByEngine.meanNumber().doubleValue(), 0.03, "the engine's share kept");
        INDArray expected = Nd4j.create(x, new long[] {rows, 1600}, 'c').muli(2).muli(keptByEngine);
        assertTrue(expected.equalsWithEps(ey, 1e-6), "the engine doubles what it keeps too");
        INDArray engineDx = engine.backpropGradient(Nd4j.create(e, new long[] {rows, 1600}, 'c'), NONE).getSecond();
        INDArray expectedDx = Nd4j.create(e, new long[] {rows, 1600}, 'c').muli(2).muli(keptByEngine);
        assertTrue(expectedDx.equalsWithEps(engineDx, 1e-6), "and masks the gradient alike");
    }

    /**
     * Each vertex with one input: its stage (if one family builds it) against the engine's layer or preprocessor on the
     * same input and output gradient. Returns the stages built, by vertex name.
     */
    private static Map<String, HeapStage> compareEveryVertex(ComputationGraph net, INDArray x, String what) {
        Map<String, INDArray> acts = net.feedForward(new INDArray[] {x}, false, false);
        Map<String, HeapStage> stages = new LinkedHashMap<>();
        Map<String, List<String>> inputs = net.getConfiguration().getVertexInputs();
        int rows = (int) x.size(0);
        for (String name : net.getConfiguration().getVertices().keySet()) {
            List<String> in = inputs.get(name);
            if (in == null || in.size() != 1) continue;
            INDArray input = acts.get(in.get(0));
            int[] shape = Arrays.stream(input.shape()).skip(1).mapToInt(Math::toIntExact).toArray();
            HeapStageSource source = source(net, name, shape);
            HeapStage stage = null;
            for (Function<HeapStageSource, HeapStage> f : FAMILIES) if (stage == null) stage = f.apply(source);
            if (stage == null) continue;
            if (stage instanceof InvertedDropoutStage) {
                stages.put(name, stage);       // random: compared statistically in its own test
                continue;
            }
            stages.put(name, stage);
            String at = what + " " + name;
            float[] xs = input.dup('c').data().asFloat();
            float[] y = stage.forward(xs.clone(), rows);
            INDArray epsilon = Nd4j.rand(DataType.FLOAT, acts.get(name).shape()).subi(0.5);
            float[] dx = stage.backward(epsilon.dup('c').data().asFloat(), rows, true);

            INDArray expectedY;
            INDArray expectedDx;
            Gradient expectedGradient = null;
            GraphVertex v = net.getConfiguration().getVertices().get(name);
            if (v instanceof PreprocessorVertex p) {
                expectedY = p.getPreProcessor().preProcess(input.dup(), rows, NONE);
                expectedDx = p.getPreProcessor().backprop(epsilon.dup(), rows, NONE);
            } else {
                org.deeplearning4j.nn.api.Layer layer = net.getLayer(name);
                layer.setInput(input.dup(), NONE);
                expectedY = layer.activate(true, NONE).dup();
                Pair<Gradient, INDArray> p = layer.backpropGradient(epsilon.dup(), NONE);
                expectedGradient = p.getFirst();
                expectedDx = p.getSecond();
            }
            assertArrayEquals(Arrays.stream(expectedY.shape()).skip(1).mapToInt(Math::toIntExact).toArray(), stage.outputShape(), at + ": shape");
            assertClose(expectedY, y, at + ": output");
            assertClose(expectedDx, dx, at + ": input gradient");
            if (stage instanceof ChannelsLastConv2DStage) {
                ConvolutionLayer conf = (ConvolutionLayer) ((LayerVertex) v).getLayerConf().getLayer();
                INDArray w = expectedGradient.getGradientFor("W");
                float[] kernelGradient = kernelInProductLayout(w);
                assertClose(Nd4j.create(kernelGradient), stage.parameters().get(0).gradient(), at + ": kernel gradient");
                if (conf.hasBias()) assertClose(expectedGradient.getGradientFor("b"), stage.parameters().get(1).gradient(), at + ": bias gradient");
                assertEquals(conf.hasBias() ? 2 : 1, stage.parameters().size(), at + ": parameters");
            }
            // a second pass through the same buffers, without the input gradient
            float[] again = stage.forward(xs.clone(), rows);
            assertClose(expectedY, again, at + ": output again");
            assertNull(stage.backward(epsilon.dup('c').data().asFloat(), rows, false), at + ": no input gradient asked");
            if (stage instanceof ChannelsLastConv2DStage) {
                INDArray w = expectedGradient.getGradientFor("W");
                assertClose(Nd4j.create(kernelInProductLayout(w)), stage.parameters().get(0).gradient(), at + ": kernel gradient without dx");
            }
        }
        return stages;
    }

    /** DL4J's kernel gradient {@code (out, in, kh, kw)} as {@code (kh, kw, in, out)}. */
    private static float[] kernelInProductLayout(INDArray w) {
        return w.permute(2, 3, 1, 0).dup('c').data().asFloat();
    }

    private static void assertClose(INDArray expected, float[] actual, String what) {
        float[] e = expected.dup('c').data().asFloat();
        assertEquals(e.length, actual.length, what + ": length");
        double scale = 0, largest = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            largest = Math.max(largest, Math.abs(e[i] - actual[i]));
        }
        assertTrue(scale > 0, what + ": a real value");
        double err = largest / scale;
        assertTrue(err <= 1e-5, what + ": largest difference " + largest + " of " + scale);
    }

    /** The network graft trains, with its gradient views (the engine's backward passes fill them). */
    private static ComputationGraph training(ModelGraph m) {
        ComputationGraph net = KerasEngine.buildForTraining(m);
        net.initGradientsView();
        return net;
    }

    private static HeapStageSource source(ComputationGraph net, String name, int[] shape) {
        GraphVertex v = net.getConfiguration().getVertices().get(name);
        org.deeplearning4j.nn.conf.layers.Layer layer = v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
        return new HeapStageSource(name, v, layer, layer == null ? null : net.getLayer(name), true, shape, new SplittableRandom(1));
    }

    private static HeapStageSource withLayer(HeapStageSource s, java.util.function.Consumer<ConvolutionLayer> change) {
        ConvolutionLayer copy = (ConvolutionLayer) s.layer().clone();
        change.accept(copy);
        return new HeapStageSource(s.name(), s.vertex(), copy, s.runtime(), s.learns(), s.inputShape(), s.random());
    }

    private static List<String> convolutionNames(ComputationGraph net) {
        List<String> names = new ArrayList<>();
        for (var e : net.getConfiguration().getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ConvolutionLayer) names.add(e.getKey());
        }
        // the first takes the image (one channel), the second the first's pooled filters
        names.sort(java.util.Comparator.comparingLong(n -> ((ConvolutionLayer) ((LayerVertex) net.getConfiguration().getVertices().get(n))
                .getLayerConf().getLayer()).getNIn()));
        return names;
    }

    private static String vertexOf(ComputationGraph net, Class<?> layerClass) {
        for (var e : net.getConfiguration().getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv && layerClass.isInstance(lv.getLayerConf().getLayer())) return e.getKey();
        }
        throw new AssertionError("no " + layerClass.getSimpleName());
    }
}
