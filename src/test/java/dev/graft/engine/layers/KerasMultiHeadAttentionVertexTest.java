package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** graft's MultiHeadAttention vertex trains like any DL4J vertex: its gradients (parameters and inputs) are right. */
class KerasMultiHeadAttentionVertexTest {
    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    /** Cross-attention (query from one input, value from another) through a Dense on each, with and without the causal mask. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientsMatchFiniteDifferences(boolean causal) {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        KerasMultiHeadAttentionVertex mha = new KerasMultiHeadAttentionVertex(2, 3, 2, true, causal, false);
        mha.setQueryDim(4);
        mha.setValueInDim(5);
        mha.setOutputDim(4);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new NoOp())
                .graphBuilder()
                .addInputs("q", "v")
                .setInputTypes(InputType.recurrent(4, 3, RNNFormat.NWC), InputType.recurrent(5, 4, RNNFormat.NWC))
                .addVertex("mha", mha, "q", "v")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build(), "mha")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Random r = new Random(4);
        for (INDArray p : g.getVertex("mha").paramTable(false).values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, r.nextGaussian() * 0.7);
        INDArray q = Nd4j.rand(DataType.DOUBLE, 2, 3, 4).subi(0.5);
        INDArray v = Nd4j.rand(DataType.DOUBLE, 2, 4, 5).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {q, v})
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check, causal=" + causal);
    }

    /**
     * GroupedQueryAttention's form (4 query heads sharing 2 key/value heads) with a separate key tensor and an attention
     * mask, alone and with the causal mask: the parameter gradients match finite differences.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void groupedHeadsWithKeyAndMaskGradientsMatchFiniteDifferences(boolean causal) {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        KerasMultiHeadAttentionVertex mha = new KerasMultiHeadAttentionVertex(4, 2, 2, true, causal, true);
        mha.setKvHeads(2);
        mha.setHasMask(true);
        mha.setQueryDim(4);
        mha.setValueInDim(5);
        mha.setKeyInDim(3);
        mha.setOutputDim(4);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new NoOp())
                .graphBuilder()
                .addInputs("q", "v", "k", "m")
                .setInputTypes(InputType.recurrent(4, 3, RNNFormat.NWC), InputType.recurrent(5, 4, RNNFormat.NWC),
                        InputType.recurrent(3, 4, RNNFormat.NWC), InputType.recurrent(4, 3, RNNFormat.NWC))
                .addVertex("mha", mha, "q", "v", "k", "m")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build(), "mha")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Random r = new Random(5);
        for (INDArray p : g.getVertex("mha").paramTable(false).values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, r.nextGaussian() * 0.7);
        INDArray q = Nd4j.rand(DataType.DOUBLE, 2, 3, 4).subi(0.5);
        INDArray v = Nd4j.rand(DataType.DOUBLE, 2, 4, 5).subi(0.5);
        INDArray k = Nd4j.rand(DataType.DOUBLE, 2, 4, 3).subi(0.5);
        // every query step keeps its first key step (so no row is all masked), the others at random
        INDArray m = Nd4j.rand(DataType.DOUBLE, 2, 3, 4).gt(0.4).castTo(DataType.DOUBLE);
        m.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(1);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {q, v, k, m})
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check, causal=" + causal);
    }

    /**
     * Keras masks on the query, value and key (given as their sources' outputs; a masked step's features all 0), with the
     * causal mask (and the zeroing of masked probabilities of Keras 3's explicit softmax): the parameter gradients match
     * finite differences. The query's mask masks no step here: a masked query step has every key masked, and ND4J's
     * softmax in double precision (what gradient checks need) gives NaN for such a row, where its float one spreads it
     * evenly as Keras does; those rows are checked in float against Keras ({@code KerasAttentionMaskModelsTest}) and
     * trained ({@code MaskedAttentionTrainingTest}).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void kerasMasksGradientsMatchFiniteDifferences(boolean explicitSoftmax) {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        KerasMultiHeadAttentionVertex mha = new KerasMultiHeadAttentionVertex(2, 2, 3, true, true, true);
        mha.setKerasMasks(new boolean[] {true, true, true});
        mha.setExplicitSoftmax(explicitSoftmax);
        mha.setQueryDim(4);
        mha.setValueInDim(5);
        mha.setKeyInDim(3);
        mha.setOutputDim(4);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new NoOp())
                .graphBuilder()
                .addInputs("q", "v", "k")
                .setInputTypes(InputType.recurrent(4, 3, RNNFormat.NWC), InputType.recurrent(5, 4, RNNFormat.NWC), InputType.recurrent(3, 4, RNNFormat.NWC))
                .addVertex("mha", mha, "q", "v", "k", "q", "v", "k")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build(), "mha")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Random r = new Random(6);
        for (INDArray p : g.getVertex("mha").paramTable(false).values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, r.nextGaussian() * 0.7);
        INDArray q = Nd4j.rand(DataType.DOUBLE, 2, 3, 4).addi(0.1);
        INDArray v = Nd4j.rand(DataType.DOUBLE, 2, 4, 5).addi(0.1);
        INDArray k = Nd4j.rand(DataType.DOUBLE, 2, 4, 3).addi(0.1);
        v.get(point(0), point(2), all()).assign(0);
        k.get(point(1), point(1), all()).assign(0);
        k.get(point(1), point(3), all()).assign(0);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {q, v, k})
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check with Keras masks, explicitSoftmax=" + explicitSoftmax);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex point(long i) {
        return org.nd4j.linalg.indexing.NDArrayIndex.point(i);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex all() {
        return org.nd4j.linalg.indexing.NDArrayIndex.all();
    }
}
