package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.engine.layers.ChannelsLastConv1DRuntime;
import dev.graft.engine.layers.ChannelsLastSubsampling1DRuntime;
import dev.graft.engine.train.LossKind;
import dev.graft.engine.train.TrainableGraph;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Channels-last Conv1D and MaxPooling1D train on the heap in float (Conv2D's training step and max pooling on
 * {@code (batch, steps, 1, channels)}); the engine's own NCW layers compute the same network in double (the heap paths
 * take float only), and their backward passes pass DL4J's numerical gradient check ({@link SequenceLayersTest}). Both
 * must agree to float rounding: the loss, every parameter's gradient, and the weights after a few SGD steps.
 */
class SequenceHeapTrainingTest {
    @TempDir
    Path dir;

    @AfterEach
    void restorePrecision() {
        DataTypeUtil.setDTypeForContext(DataType.FLOAT);
    }

    /** The time-series hybrid's front (Conv1D same with ReLU, MaxPooling1D valid), then a dilated Conv1D without bias and overlapping windows. */
    static Conv1DStacks stack() {
        return new Conv1DStacks(31, 12L, 3L)
                .conv1d("conv_same", "channels_last", 3, 5, 3, 1, 1, "same", "relu", true)     // (12, 5)
                .pool1d("max_valid", "MaxPooling1D", 2, 2, "valid")                           // (6, 5)
                .conv1d("conv_dilated", "channels_last", 5, 4, 2, 1, 2, "valid", "linear", false) // (4, 4)
                .pool1d("max_overlap", "MaxPooling1D", 3, 1, "valid")                         // (2, 4)
                .flatten("flat")
                .dense("head", 8, 2, "linear");
    }

    @Test
    void heapStepsTrainAsTheEngine() throws Exception {
        ModelGraph model = stack().writtenAndRead(dir);
        Set<String> all = Set.of("conv_same", "conv_dilated", "head");
        ComputationGraph heap = TrainableGraph.prepare(KerasEngine.buildForTraining(model), new HashSet<>(all), new Sgd(0.05), LossKind.MEAN_SQUARED_ERROR, 1);
        Nd4j.getRandom().setSeed(5);
        INDArray[] xs = new INDArray[4], ys = new INDArray[4];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Nd4j.rand(DataType.FLOAT, 4 + i % 2, 12, 3).subi(0.5).muli(2);
            ys[i] = Nd4j.rand(DataType.FLOAT, 4 + i % 2, 2);
        }
        heap.setInputs(xs[0]);
        heap.setLabels(ys[0]);
        heap.feedForward(true, false, false);
        for (String conv : new String[] {"conv_same", "conv_dilated"}) {
            assertTrue(assertInstanceOf(ChannelsLastConv1DRuntime.class, heap.getLayer(conv)).keepsHeapTrainingStep(), conv + " on the heap");
        }
        for (String pool : new String[] {"max_valid", "max_overlap"}) {
            assertTrue(assertInstanceOf(ChannelsLastSubsampling1DRuntime.class, heap.getLayer(pool)).keepsHeapTrainingStep(), pool + " on the heap");
        }
        heap.computeGradientAndScore();
        INDArray heapGradient = heap.gradient().gradient().dup();
        double heapScore = heap.score();
        for (int i = 0; i < xs.length; i++) heap.fit(new MultiDataSet(xs[i], ys[i]));

        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
        ComputationGraph engine = TrainableGraph.prepare(KerasEngine.buildForTraining(model).convertDataType(DataType.DOUBLE), new HashSet<>(all),
                new Sgd(0.05), LossKind.MEAN_SQUARED_ERROR, 1);
        engine.setInputs(xs[0].castTo(DataType.DOUBLE));
        engine.setLabels(ys[0].castTo(DataType.DOUBLE));
        engine.feedForward(true, false, false);
        assertTrue(!((ChannelsLastConv1DRuntime) engine.getLayer("conv_same")).keepsHeapTrainingStep(), "double is the engine's");
        engine.computeGradientAndScore();
        INDArray engineGradient = engine.gradient().gradient().castTo(DataType.FLOAT);
        double engineScore = engine.score();
        for (int i = 0; i < xs.length; i++) engine.fit(new MultiDataSet(xs[i].castTo(DataType.DOUBLE), ys[i].castTo(DataType.DOUBLE)));

        assertTrue(Math.abs(heapScore - engineScore) < 1e-5, () -> "loss " + heapScore + " against " + engineScore);
        assertTrue(engineGradient.amaxNumber().doubleValue() > 0.01, "a real gradient");
        assertTrue(engineGradient.equalsWithEps(heapGradient, 1e-5),
                () -> "gradients, largest difference " + engineGradient.sub(heapGradient).amaxNumber());
        INDArray engineParams = engine.params().castTo(DataType.FLOAT);
        INDArray heapParams = heap.params();
        assertTrue(engineParams.equalsWithEps(heapParams, 1e-5), () -> "weights after 4 steps, largest difference " + engineParams.sub(heapParams).amaxNumber());
    }
}
