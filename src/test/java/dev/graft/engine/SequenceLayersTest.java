package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.engine.layers.ChannelsLastConv1DLayer;
import dev.graft.engine.layers.ChannelsLastSubsampling1DLayer;
import dev.graft.engine.layers.KerasReshapePreprocessor;
import dev.graft.engine.layers.SequenceFlattenPreprocessor;
import dev.graft.engine.layers.SequenceTimeDistributed;
import dev.graft.engine.train.LossKind;
import dev.graft.engine.train.TrainableGraph;
import dev.graft.format.ModelFiles;
import dev.graft.format.dl4j.Dl4jZipWriter;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Keras's sequence layers whose DL4J channels-last runtimes cannot backpropagate (DL4J 1.0.0-M2.1):
 * Dense on every step (and the identical kernel-size-1 Conv1D), Conv1D, MaxPooling1D and
 * AveragePooling1D. On the engine they compute what Keras computes (an independent reference in plain
 * loops) and their backward passes are right (DL4J's numerical gradient check, double precision, every
 * layer trainable so that each gradient reaches the first layer through all the others).
 */
class SequenceLayersTest {
    static final double TOL = 1e-5;

    @TempDir
    Path dir;

    @AfterEach
    void restorePrecision() {
        DataTypeUtil.setDTypeForContext(DataType.FLOAT);
    }

    /** Dense on a sequence, a kernel-size-1 Conv1D (merge's per-step bridge) in both paddings, Dense on the flattened result. */
    static Conv1DStacks perStep() {
        return new Conv1DStacks(11, 5L, 3L)
                .dense("per_step", 3, 4, "tanh")                                             // (5, 4)
                .conv1d("k1_valid", "channels_last", 4, 3, 1, 1, 1, "valid", "sigmoid", true)   // (5, 3)
                .conv1d("k1_same", "channels_last", 3, 2, 1, 1, 2, "same", "linear", false)    // (5, 2)
                .flatten("flat")
                .dense("head", 10, 2, "linear");
    }

    /** General Conv1D (strided, dilated, causal) and both 1-d poolings, valid and same. */
    static Conv1DStacks convAndPooling() {
        return new Conv1DStacks(12, 11L, 3L)
                .conv1d("conv_same", "channels_last", 3, 4, 3, 1, 1, "same", "tanh", true)        // (11, 4)
                .pool1d("max_valid", "MaxPooling1D", 2, 2, "valid")                              // (5, 4)
                .conv1d("conv_causal", "channels_last", 4, 3, 2, 1, 2, "causal", "tanh", true)    // (5, 3)
                .pool1d("avg_same", "AveragePooling1D", 3, 2, "same")                            // (3, 3)
                .conv1d("conv_strided", "channels_last", 3, 2, 2, 2, 1, "same", "linear", true)  // (2, 2)
                .pool1d("max_same", "MaxPooling1D", 2, 1, "same")                                // (2, 2)
                .flatten("flat")
                .dense("head", 4, 2, "linear");
    }

    /** Reshapes between sequences of other step and feature counts, and to a vector. */
    static Conv1DStacks reshapes() {
        return new Conv1DStacks(14, 6L, 2L)
                .conv1d("conv", "channels_last", 2, 4, 2, 1, 1, "same", "tanh", true)   // (6, 4)
                .reshape("to_8x3", 8, 3)
                .dense("per_step", 3, 2, "tanh")                                       // (8, 2)
                .reshape("to_vector", 16)
                .dense("head", 16, 2, "linear");
    }

    @Test
    void perStepDenseIsTimeDistributedAndComputesAsKeras() throws Exception {
        Conv1DStacks m = perStep();
        ComputationGraph net = KerasEngine.buildForTraining(m.writtenAndRead(dir));
        for (String name : new String[] {"per_step", "k1_valid", "k1_same"}) {
            SequenceTimeDistributed td = assertInstanceOf(SequenceTimeDistributed.class, layerConf(net, name), name);
            assertInstanceOf(DenseLayer.class, td.getUnderlying(), name);
        }
        assertComputesAsKeras(net, m);
    }

    @Test
    void conv1dAndPoolingComputeThroughNcwAsKeras() throws Exception {
        Conv1DStacks m = convAndPooling();
        ComputationGraph net = KerasEngine.buildForTraining(m.writtenAndRead(dir));
        for (String name : new String[] {"conv_same", "conv_causal", "conv_strided"}) {
            assertInstanceOf(ChannelsLastConv1DLayer.class, layerConf(net, name), name);
        }
        for (String name : new String[] {"max_valid", "avg_same", "max_same"}) {
            assertInstanceOf(ChannelsLastSubsampling1DLayer.class, layerConf(net, name), name);
        }
        assertComputesAsKeras(net, m);
    }

    /** Both poolings, valid and same, pool sizes below, at and above the stride, odd and even step counts. */
    @Test
    void everyPoolingComputesAsKeras() throws Exception {
        int seed = 20;
        for (String cls : new String[] {"MaxPooling1D", "AveragePooling1D"}) {
            for (String padding : new String[] {"valid", "same"}) {
                for (int[] poolStride : new int[][] {{2, 2}, {3, 2}, {2, 1}, {3, 1}, {3, 3}, {2, 3}}) {
                    for (long steps : new long[] {5, 6}) {
                        Conv1DStacks m = new Conv1DStacks(seed, steps, 2L).pool1d("pool", cls, poolStride[0], poolStride[1], padding);
                        Path d = Files.createDirectories(dir.resolve("m" + seed++));
                        ComputationGraph net = KerasEngine.buildForTraining(m.writtenAndRead(d));
                        assertInstanceOf(ChannelsLastSubsampling1DLayer.class, layerConf(net, "pool"));
                        assertComputesAsKeras(net, m, cls + " " + padding + " pool " + poolStride[0] + " stride " + poolStride[1]
                                + " on " + steps + " steps");
                    }
                }
            }
        }
    }

    /** A per-step Dense as the network's output (DL4J's own TimeDistributed fails there in output()). */
    @Test
    void perStepDenseAsTheOutput() throws Exception {
        Conv1DStacks m = new Conv1DStacks(13, 6L, 3L)
                .conv1d("conv", "channels_last", 3, 4, 2, 1, 1, "same", "relu", true)
                .dense("per_step_out", 4, 2, "sigmoid");
        assertComputesAsKeras(KerasEngine.buildForTraining(m.writtenAndRead(dir)), m);
    }

    /**
     * Keras's Reshape computes as Keras, also on another number of rows than the network last
     * trained on (DL4J's reshape takes the batch size of the last fit), and backpropagates.
     */
    @Test
    void reshapesComputeAsKerasAfterTrainingAndBackpropagate() throws Exception {
        Conv1DStacks m = reshapes();
        ComputationGraph net = KerasEngine.buildForTraining(m.writtenAndRead(dir));
        assertComputesAsKeras(net, m);
        // learning rate 0: the step runs (and DL4J's reshape remembers its batch size) but changes nothing
        ComputationGraph g = TrainableGraph.prepare(net, Set.of("conv", "per_step", "head"), new Sgd(0), LossKind.MEAN_SQUARED_ERROR, 1);
        g.fit(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {Nd4j.rand(DataType.FLOAT, 2, 6, 2)},
                new INDArray[] {Nd4j.rand(DataType.FLOAT, 2, 2)}));
        assertComputesAsKeras(g, m);   // 3 rows after a batch of 2
        assertTrue(gradientsMatch(m, 6, 2), "gradient check through Reshape of sequences");
    }

    /**
     * The engine's own layers and preprocessors survive a DL4J zip (what {@code merge -o x.zip} and
     * {@code train -o x.zip} write): DL4J restores them as the same classes computing the same numbers,
     * and graft reads the zip back.
     */
    @Test
    void dl4jZipRoundTrip() throws Exception {
        Set<Class<?>> preprocessors = new HashSet<>();
        for (Conv1DStacks m : List.of(perStep(), convAndPooling(), reshapes())) {
            Path d = Files.createTempDirectory(dir, "zip");
            ComputationGraph net = KerasEngine.buildForTraining(m.writtenAndRead(d));
            Path zip = d.resolve("model.zip");
            Dl4jZipWriter.write(net, zip);
            ComputationGraph back = ModelSerializer.restoreComputationGraph(zip.toFile(), false);
            for (var v : net.getConfiguration().getVertices().entrySet()) {
                var restored = back.getConfiguration().getVertices().get(v.getKey());
                assertEquals(v.getValue().getClass(), restored.getClass(), v.getKey());
                if (v.getValue() instanceof LayerVertex lv) {
                    LayerVertex rv = (LayerVertex) restored;
                    assertEquals(lv.getLayerConf().getLayer().getClass(), rv.getLayerConf().getLayer().getClass(), v.getKey());
                    assertEquals(lv.getPreProcessor() == null ? null : lv.getPreProcessor().getClass(),
                            rv.getPreProcessor() == null ? null : rv.getPreProcessor().getClass(), v.getKey());
                }
                if (v.getValue() instanceof PreprocessorVertex pv) {
                    preprocessors.add(pv.getPreProcessor().getClass());
                    assertEquals(pv.getPreProcessor().getClass(), ((PreprocessorVertex) restored).getPreProcessor().getClass(), v.getKey());
                }
            }
            assertComputesAsKeras(back, m);
            ModelGraph read = ModelFiles.read(zip);
            assertEquals(net.numParams(), read.layers().stream().mapToLong(dev.graft.model.Layer::parameterCount).sum());
        }
        assertEquals(Set.of(SequenceFlattenPreprocessor.class, KerasReshapePreprocessor.class), preprocessors);
    }

    @Test
    void gradientsThroughPerStepDense() throws Exception {
        assertTrue(gradientsMatch(perStep(), 5, 3), "gradient check through per-step Dense and kernel-size-1 Conv1D");
    }

    @Test
    void gradientsThroughConv1dAndPooling() throws Exception {
        assertTrue(gradientsMatch(convAndPooling(), 11, 3), "gradient check through Conv1D, MaxPooling1D and AveragePooling1D");
    }

    private static void assertComputesAsKeras(ComputationGraph net, Conv1DStacks m) {
        assertComputesAsKeras(net, m, "");
    }

    private static void assertComputesAsKeras(ComputationGraph net, Conv1DStacks m, String what) {
        HostArray x = m.input(3, -1);
        HostArray expected = m.reference(x);
        HostArray y = Tensors.fromNd4j(net.output(false, Tensors.toNd4j(x, DataType.FLOAT))[0]);
        assertArrayEquals(expected.shape(), y.shape(), what + ": output shape");
        double err = ReferenceKeras.maxAbsDiff(expected, y);
        assertTrue(err <= TOL, what + ": max abs error " + err);
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layerConf(ComputationGraph net, String name) {
        return ((LayerVertex) net.getConfiguration().getVertices().get(name)).getLayerConf().getLayer();
    }

    /**
     * The model on the engine, in double precision, prepared for training as {@code graft train}
     * prepares it (every layer trainable, loss on the output), checked against finite differences.
     * See SpliceGradientTest for why ND4J's default type is set rather than read.
     */
    private boolean gradientsMatch(Conv1DStacks m, long steps, long features) throws Exception {
        ComputationGraph net = KerasEngine.buildForTraining(m.writtenAndRead(dir));
        Nd4j.getExecutioner();
        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
        ComputationGraph doubled = net.convertDataType(DataType.DOUBLE);
        Set<String> all = new HashSet<>();
        for (var e : doubled.getConfiguration().getVertices().entrySet()) if (e.getValue().numParams(false) > 0) all.add(e.getKey());
        ComputationGraph g = TrainableGraph.prepare(doubled, all, new NoOp(), LossKind.MEAN_SQUARED_ERROR, 1);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, steps, features).subi(0.5).muli(2);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 3, 2);
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {x})
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                // DL4J's Keras import gives every layer a Dropout that keeps everything: deterministic anyway
                .callEachIter(n -> Nd4j.getRandom().setSeed(1))
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
    }
}
