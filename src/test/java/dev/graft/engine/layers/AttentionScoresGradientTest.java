package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Attention layers returning their scores train: with a loss on the attended output and one on the scores (each taken
 * from the packed vertex by an {@link AttentionPartVertex}), the gradients of the parameters and of the inputs (through
 * Dense layers in front) match finite differences, for MultiHeadAttention (with a mask, its masked positions zeroed after
 * the softmax as Keras's explicit softmax does, and causal) and for Attention/AdditiveAttention.
 */
class AttentionScoresGradientTest {
    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    @ParameterizedTest(name = "causal={0}")
    @ValueSource(booleans = {false, true})
    void multiHeadScoresAndOutputGradientsMatchFiniteDifferences(boolean causal) {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        KerasMultiHeadAttentionVertex mha = new KerasMultiHeadAttentionVertex(2, 2, 3, true, causal, false);
        mha.setHasMask(true);
        mha.setReturnScores(true);
        mha.setExplicitSoftmax(true);
        mha.setQueryDim(3);
        mha.setValueInDim(3);
        mha.setOutputDim(4);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new NoOp())
                // as graft trains SameDiff networks (SameDiffTrainingWorkspaces): DL4J M2.1's workspaces hand a SameDiff vertex stale memory
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
                .graphBuilder()
                .addInputs("q", "v", "m")
                .setInputTypes(InputType.recurrent(2, 3, RNNFormat.NWC), InputType.recurrent(2, 4, RNNFormat.NWC), InputType.recurrent(4, 3, RNNFormat.NWC))
                .addLayer("qd", perStep(2, 3), "q")
                .addLayer("vd", perStep(2, 3), "v")
                .addVertex("mha__attention", mha, "qd", "vd", "m")
                .addVertex("mha", new AttentionPartVertex(AttentionPartVertex.Part.OUTPUT, 4, 0), "mha__attention")
                .addVertex("mha__scores", new AttentionPartVertex(AttentionPartVertex.Part.SCORES, 4, 2), "mha__attention")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build(), "mha")
                // the scores [B, 2 heads, 3, 4], flattened into a Dense output
                .addVertex("rows", new ReshapeVertex('c', new int[] {-1, 24}, null), "mha__scores")
                .addLayer("scores_loss", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(24).nOut(2)
                        .activation(Activation.IDENTITY).build(), "rows")
                .setOutputs("out", "scores_loss")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Random r = new Random(6);
        for (INDArray p : g.getVertex("mha__attention").paramTable(false).values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, r.nextGaussian() * 0.7);
        INDArray q = Nd4j.rand(DataType.DOUBLE, 2, 3, 2).subi(0.5);
        INDArray v = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5);
        INDArray m = Nd4j.rand(DataType.DOUBLE, 2, 3, 4).gt(0.4).castTo(DataType.DOUBLE);
        // every query step keeps its first key step: ND4J's double softmax of a row of -1e9 only is 0/0 (float32, which the
        // engine computes in, is checked against Keras's numbers with such a row in KerasAttentionScoresModelsTest)
        m.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)).assign(1);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3, 2);
        INDArray s = Nd4j.rand(DataType.DOUBLE, 2, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {q, v, m})
                .labels(new INDArray[] {y, s}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.ALL));
        assertTrue(ok, "gradient check, causal=" + causal);
    }

    @ParameterizedTest(name = "{0}, causal={1}")
    @CsvSource({"DOT,false", "CONCAT,true", "ADDITIVE,true"})
    void attentionScoresAndOutputGradientsMatchFiniteDifferences(KerasAttentionVertex.Kind kind, boolean causal) {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        KerasAttentionVertex attention = new KerasAttentionVertex(kind, true, causal, false);
        attention.setFeatures(3);
        attention.setValueFeatures(3);
        attention.setReturnScores(true);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new NoOp())
                .graphBuilder()
                .addInputs("q", "v")
                .setInputTypes(InputType.recurrent(2, 3, RNNFormat.NWC), InputType.recurrent(2, 4, RNNFormat.NWC))
                .addLayer("qd", perStep(2, 3), "q")
                .addLayer("vd", perStep(2, 3), "v")
                .addVertex("att__attention", attention, "qd", "vd")
                .addVertex("att", new AttentionPartVertex(AttentionPartVertex.Part.OUTPUT, 3, 0), "att__attention")
                .addVertex("att__scores", new AttentionPartVertex(AttentionPartVertex.Part.SCORES, 3, 0), "att__attention")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build(), "att")
                .addLayer("scores_out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build(), "att__scores")
                .setOutputs("out", "scores_out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Random r = new Random(4);
        for (INDArray p : g.getVertex("att__attention").paramTable(false).values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, 0.5 + r.nextDouble());
        INDArray q = Nd4j.rand(DataType.DOUBLE, 2, 3, 2).subi(0.5);
        INDArray v = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3, 2);
        INDArray s = Nd4j.rand(DataType.DOUBLE, 2, 3, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {q, v})
                .labels(new INDArray[] {y, s}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check " + kind + ", causal=" + causal);
    }

    private static TimeDistributed perStep(int in, int out) {
        return new TimeDistributed(new DenseLayer.Builder().nIn(in).nOut(out).activation(Activation.TANH).build(), RNNFormat.NWC);
    }
}
