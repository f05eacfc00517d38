package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.cli.Cli;
import dev.graft.engine.layers.ChannelsLastConv1DStage;
import dev.graft.engine.layers.HeapParameter;
import dev.graft.engine.layers.HeapStage;
import dev.graft.engine.layers.HeapStageSource;
import dev.graft.engine.layers.LstmStage;
import dev.graft.engine.layers.MaxPooling1DStage;
import dev.graft.engine.layers.TimeDistributedDenseStage;
import dev.graft.engine.train.LossKind;
import dev.graft.engine.train.TrainableGraph;
import dev.graft.format.ModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The heap stages of the time-series hybrid's layers (channels-last Conv1D, MaxPooling1D, a Dense on every step, an LSTM
 * and its last step) compute what the engine's own layers compute: each stage is fed the same random input and output
 * gradient as the engine's layer in double (DL4J's own arithmetic, numerically gradient-checked by DL4J), and its output,
 * input gradient and every parameter gradient must agree to float rounding. Layers a stage does not compute exactly are
 * refused (null).
 */
class SequenceHeapStagesTest {
    /** Largest difference allowed, relative to the largest magnitude of the engine's values (float against double). */
    private static final double TOLERANCE = 1e-5;
    private static final String[] HYBRID_LAYERS = {"conv1d", "bridge1_dense", "lstm", "dense"};

    @TempDir
    static Path dir;
    static Path hybrid;

    @BeforeAll
    static void merge() {
        hybrid = dir.resolve("ts.h5");
        Cli r = Cli.run("merge", "samples/ts_extractor.h5", "samples/ts_lstm.h5", "--bridge", "dense:8", "-o", hybrid.toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    @AfterEach
    void restorePrecision() {
        DataTypeUtil.setDTypeForContext(DataType.FLOAT);
    }

    /** The hybrid as graft trains it (every layer learning), with random weights. */
    private static ComputationGraph preparedHybrid(long seed) {
        ComputationGraph source = EngineModel.ofKerasForTraining(ModelFiles.read(hybrid)).graph();
        ComputationGraph g = TrainableGraph.prepare(source, TrainableGraph.engineVertices(source, new HashSet<>(Set.of(HYBRID_LAYERS))), new Sgd(0.1),
                LossKind.BINARY_CROSSENTROPY, 1);
        randomize(g, seed);
        return g;
    }

    private static void randomize(ComputationGraph g, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray p = g.params();
        float[] v = new float[Math.toIntExact(p.length())];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() - 0.5);
        p.assign(Nd4j.create(v, p.shape(), 'c'));
    }

    private static ComputationGraph inDouble(ComputationGraph g) {
        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
        ComputationGraph d = g.convertDataType(DataType.DOUBLE);
        d.initGradientsView();
        return d;
    }

    private static HeapStageSource source(ComputationGraph g, String name, boolean learns, int... inputShape) {
        org.deeplearning4j.nn.api.Layer runtime = g.getLayer(name);
        LayerVertex vertex = (LayerVertex) g.getConfiguration().getVertices().get(name);
        return new HeapStageSource(name, vertex, vertex.getLayerConf().getLayer(), runtime, learns, inputShape, new SplittableRandom(1));
    }

    /** The hybrid's own layers, each with its family, on 5 sequences (an odd batch: no buffer sized for another). */
    @Test
    void theHybridsLayersComputeAsTheEngines() {
        ComputationGraph g = preparedHybrid(3);
        ComputationGraph d = inDouble(g);
        compare(ChannelsLastConv1DStage::of, g, d, "conv1d", true, 5, 32, 4);
        compare(MaxPooling1DStage::of, g, d, "max_pooling1d", true, 5, 32, 16);
        compare(TimeDistributedDenseStage::of, g, d, "bridge1_dense", true, 5, 16, 16);
        compare(LstmStage::of, g, d, "lstm", true, 5, 16, 8);
        // a second batch of another size through the same stages: buffers follow the batch
        compare(LstmStage::of, g, d, "lstm", true, 3, 16, 8);
    }

    /** Frozen layers learn nothing (no parameters) but pass the error on unchanged. */
    @Test
    void frozenStagesHaveNoParametersButPassTheError() {
        ComputationGraph g = preparedHybrid(4);
        ComputationGraph d = inDouble(g);
        compare(ChannelsLastConv1DStage::of, g, d, "conv1d", false, 4, 32, 4);
        compare(TimeDistributedDenseStage::of, g, d, "bridge1_dense", false, 4, 16, 16);
        compare(LstmStage::of, g, d, "lstm", false, 4, 16, 8);
    }

    /** Conv1D with valid and same padding (an even kernel too), dilation, stride, no bias and identity; overlapping pooling windows. */
    @Test
    void convolutionAndPoolingSettingsComputeAsTheEngines() throws Exception {
        Conv1DStacks stack = new Conv1DStacks(31, 13L, 3L)
                .conv1d("conv_same_strided", "channels_last", 3, 5, 3, 2, 1, "same", "relu", true)      // (7, 5)
                .pool1d("max_overlap", "MaxPooling1D", 3, 1, "valid")                                  // (5, 5)
                .conv1d("conv_same_even", "channels_last", 5, 5, 4, 1, 1, "same", "relu", true)        // (5, 5): the odd padding step at the end
                .conv1d("conv_dilated", "channels_last", 5, 4, 2, 1, 2, "valid", "linear", false)      // (3, 4)
                .conv1d("conv_valid_strided", "channels_last", 4, 3, 2, 2, 1, "valid", "relu", true)   // (1, 3)
                .flatten("flat")
                .dense("head", 3, 2, "linear");
        ComputationGraph g = TrainableGraph.prepare(KerasEngine.buildForTraining(stack.writtenAndRead(dir)),
                new HashSet<>(Set.of("conv_same_strided", "conv_same_even", "conv_dilated", "conv_valid_strided", "head")), new Sgd(0.05),
                LossKind.MEAN_SQUARED_ERROR, 1);
        randomize(g, 6);
        ComputationGraph d = inDouble(g);
        compare(ChannelsLastConv1DStage::of, g, d, "conv_same_strided", true, 4, 13, 3);
        compare(MaxPooling1DStage::of, g, d, "max_overlap", true, 4, 7, 5);
        compare(ChannelsLastConv1DStage::of, g, d, "conv_same_even", true, 4, 5, 5);
        compare(ChannelsLastConv1DStage::of, g, d, "conv_dilated", true, 4, 5, 5);
        compare(ChannelsLastConv1DStage::of, g, d, "conv_valid_strided", true, 4, 3, 4);
    }

    /** An LSTM returning every step, between a first LSTM and an output on every step. */
    @Test
    void anLstmReturningSequencesComputesAsTheEngines() {
        ComputationGraph g = lstmNet(DataType.FLOAT, Activation.SIGMOID, 7);
        ComputationGraph d = inDouble(g);
        compare(LstmStage::of, g, d, "lstm", true, 4, 6, 3);
    }

    private static ComputationGraph lstmNet(DataType type, Activation gates, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(type).seed(seed).updater(new NoOp()).graphBuilder()
                .addInputs("x")
                .setInputTypes(InputType.recurrent(3, 6, RNNFormat.NWC))
                .addLayer("lstm", new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).gateActivationFunction(gates).dataFormat(RNNFormat.NWC)
                        .build(), "x")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build(), "lstm")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        randomize(g, seed);
        return g;
    }

    /** What the stages do not compute exactly is refused: the network then keeps the engine's step. */
    @Test
    void settingsNotComputedHereAreRefused() {
        ComputationGraph g = preparedHybrid(5);
        assertNotNull(ChannelsLastConv1DStage.of(source(g, "conv1d", true, 32, 4)));
        // each family answers for its own layers only
        assertNull(ChannelsLastConv1DStage.of(source(g, "lstm", true, 16, 8)));
        assertNull(LstmStage.of(source(g, "conv1d", true, 32, 4)));
        assertNull(MaxPooling1DStage.of(source(g, "bridge1_dense", true, 16, 16)));
        assertNull(TimeDistributedDenseStage.of(source(g, "dense", true, 32)));
        // a shape the layer's weights do not take
        assertNull(ChannelsLastConv1DStage.of(source(g, "conv1d", true, 32, 5)));
        assertNull(LstmStage.of(source(g, "lstm", true, 16)));

        assertNull(ChannelsLastConv1DStage.of(altered(g, "conv1d", l -> ((BaseLayer) l).setActivationFn(new ActivationELU()), 32, 4)), "ELU");
        assertNull(ChannelsLastConv1DStage.of(altered(g, "conv1d", l -> ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) l)
                .setConvolutionMode(ConvolutionMode.Causal), 32, 4)), "causal padding");
        assertNull(ChannelsLastConv1DStage.of(altered(g, "conv1d", l -> ((BaseLayer) l).setIDropout(new Dropout(0.5)), 32, 4)), "dropout");
        assertNull(ChannelsLastConv1DStage.of(altered(g, "conv1d", l -> ((BaseLayer) l).setRegularization(
                List.of(new org.nd4j.linalg.learning.regularization.L2Regularization(0.01))), 32, 4)), "L2");
        assertNull(MaxPooling1DStage.of(altered(g, "max_pooling1d", l -> ((SubsamplingLayer) l).setPoolingType(PoolingType.AVG), 32, 16)), "average");
        // DL4J's strict mode where the windows or strides do not cover the steps exactly (31 steps, windows of 2)
        assertNotNull(MaxPooling1DStage.of(altered(g, "max_pooling1d", l -> ((SubsamplingLayer) l).setConvolutionMode(ConvolutionMode.Strict), 32, 16)));
        assertNull(MaxPooling1DStage.of(altered(g, "max_pooling1d", l -> ((SubsamplingLayer) l).setConvolutionMode(ConvolutionMode.Strict), 31, 16)),
                "strict, not covered");
        HeapStageSource strided = altered(g, "conv1d", l -> {
            ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) l).setConvolutionMode(ConvolutionMode.Strict);
            ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) l).setStride(new int[] {2, 2});
        }, 32, 4);
        assertNull(ChannelsLastConv1DStage.of(strided), "strict, a stride of 2 that does not cover 32 steps with a window of 3");
        assertNull(MaxPooling1DStage.of(altered(g, "max_pooling1d", l -> ((SubsamplingLayer) l).setConvolutionMode(ConvolutionMode.Same), 32, 16)),
                "same padding");
        assertNull(TimeDistributedDenseStage.of(altered(g, "bridge1_dense", l -> ((BaseLayer) ((TimeDistributed) l).getUnderlying())
                .setActivationFn(new ActivationSoftmax()), 16, 16)), "softmax on every step");
        assertNull(TimeDistributedDenseStage.of(altered(g, "bridge1_dense", l -> ((TimeDistributed) l).setRnnDataFormat(RNNFormat.NCW), 16, 16)), "NCW");
        assertNull(LstmStage.of(altered(g, "lstm", l -> ((LSTM) ((LastTimeStep) l).getUnderlying()).setGateActivationFn(new ActivationHardSigmoid()),
                16, 8)), "hard sigmoid gates");
        assertNull(LstmStage.of(altered(g, "lstm", l -> ((LSTM) ((LastTimeStep) l).getUnderlying()).setRnnDataFormat(RNNFormat.NCW), 16, 8)), "NCW");
        // a preprocessor before the layer
        HeapStageSource s = source(g, "conv1d", true, 32, 4);
        LayerVertex withPreprocessor = (LayerVertex) s.vertex().clone();
        withPreprocessor.setPreProcessor(new org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor());
        assertNull(ChannelsLastConv1DStage.of(new HeapStageSource(s.name(), withPreprocessor, s.layer(), s.runtime(), true, s.inputShape(), s.random())));
    }

    /** The source of a layer whose configuration {@code change} alters (a clone: the network keeps its own). */
    private static HeapStageSource altered(ComputationGraph g, String name, java.util.function.Consumer<org.deeplearning4j.nn.conf.layers.Layer> change,
                                           int... inputShape) {
        HeapStageSource s = source(g, name, true, inputShape);
        org.deeplearning4j.nn.conf.layers.Layer copy = s.layer().clone();
        change.accept(copy);
        return new HeapStageSource(name, s.vertex(), copy, s.runtime(), true, inputShape, s.random());
    }

    /**
     * Feeds the stage of {@code name} (from the float network {@code g}) and the engine's layer in the double network
     * {@code d} the same input and output gradient, and compares the output, the input gradient and each parameter's
     * gradient (the stage's parameters in its own layout: {@link #engineGradients}).
     */
    private static void compare(Function<HeapStageSource, HeapStage> family, ComputationGraph g, ComputationGraph d, String name, boolean learns,
                                int batch, int... inputShape) {
        HeapStage stage = family.apply(source(g, name, learns, inputShape));
        assertNotNull(stage, name + " has a stage");
        SplittableRandom r = new SplittableRandom(name.hashCode() + batch);
        long[] shape = new long[inputShape.length + 1];
        shape[0] = batch;
        for (int i = 0; i < inputShape.length; i++) shape[i + 1] = inputShape[i];
        float[] x = random(r, Math.toIntExact(product(shape)));
        float[] xKept = x.clone();

        org.deeplearning4j.nn.api.Layer engine = d.getLayer(name);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        engine.setInput(Nd4j.create(x, shape, 'c').castTo(DataType.DOUBLE), ws);
        INDArray expectedOut = engine.activate(true, ws);
        float[] out = stage.forward(x, batch);
        assertArrayEquals(xKept, x, 0f, name + ": the input is left as it is");
        assertArrayEquals(expectedOut.shape(), withBatch(batch, stage.outputShape()), name + " output shape");
        assertClose(values(expectedOut), out, name + " output");

        float[] e = random(r, out.length);
        Pair<Gradient, INDArray> expected = engine.backpropGradient(Nd4j.create(e, expectedOut.shape(), 'c').castTo(DataType.DOUBLE), ws);
        float[] dx = stage.backward(e.clone(), batch, true);
        assertClose(values(expected.getSecond()), dx, name + " input gradient");
        List<HeapParameter> params = stage.parameters();
        if (!learns) {
            assertTrue(params.isEmpty(), name + ": a frozen stage has no parameters");
            return;
        }
        List<float[]> grads = engineGradients(stage, expected.getFirst());
        assertEquals(grads.size(), params.size(), name + " parameters");
        for (int i = 0; i < grads.size(); i++) {
            assertTrue(maxAbs(grads.get(i)) > 1e-3, name + " parameter " + i + " has a real gradient");
            assertClose(grads.get(i), params.get(i).gradient(), name + " gradient of parameter " + i);
        }
        // without the input gradient: the same parameter gradients, nothing returned
        float[][] before = params.stream().map(p -> p.gradient().clone()).toArray(float[][]::new);
        stage.forward(x, batch);
        assertNull(stage.backward(e.clone(), batch, false));
        for (int i = 0; i < before.length; i++) assertArrayEquals(before[i], params.get(i).gradient(), 0f, name + " parameter " + i + " again");
    }

    /** The engine's gradients in the stage's parameters' layout: Conv1D's W and b; Dense's W and b; the LSTM's W above RW, and b. */
    private static List<float[]> engineGradients(HeapStage stage, Gradient g) {
        List<float[]> out = new ArrayList<>();
        if (stage instanceof LstmStage) {
            float[] w = values(g.getGradientFor("W")), rw = values(g.getGradientFor("RW"));
            float[] both = new float[w.length + rw.length];
            System.arraycopy(w, 0, both, 0, w.length);
            System.arraycopy(rw, 0, both, w.length, rw.length);
            out.add(both);
            out.add(values(g.getGradientFor("b")));
            return out;
        }
        if (g.getGradientFor("W") != null) out.add(values(g.getGradientFor("W")));
        if (g.getGradientFor("b") != null) out.add(values(g.getGradientFor("b")));
        return out;
    }

    private static long[] withBatch(int batch, int[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = batch;
        for (int i = 0; i < shape.length; i++) s[i + 1] = shape[i];
        return s;
    }

    private static long product(long[] shape) {
        long p = 1;
        for (long s : shape) p *= s;
        return p;
    }

    private static float[] values(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return v;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) m = Math.max(m, Math.abs(f));
        return m;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertNotNull(actual, what);
        assertEquals(expected.length, actual.length, what + " length");
        double scale = Math.max(1e-3, maxAbs(expected)), worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            if (diff > worst) {
                worst = diff;
                at = i;
            }
        }
        int where = at;
        double w = worst;
        assertTrue(worst <= TOLERANCE * scale, () -> what + ": largest difference " + w + " at " + where + " (" + expected[where] + " against "
                + actual[where] + "), scale " + scale);
    }
}
