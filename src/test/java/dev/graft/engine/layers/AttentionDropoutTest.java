package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.ModelGraph;
import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Keras's MultiHeadAttention {@code dropout}: in training, the attention weights (after the softmax) times one
 * keep-or-drop factor each (0 or 1/(1 - rate)) before they weight the values; the scores returned are the weights before
 * it; the backward pass uses the forward pass's factors; inference is unaffected.
 */
class AttentionDropoutTest {
    private DataType savedDefault;

    @AfterEach
    void restore() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    /** A network's gradients through the attention with a fixed random mask match finite differences. */
    @Test
    void gradientsThroughTheDroppedWeightsMatchFiniteDifferencesWithTheMaskFixed() {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraph g = network(0.3);
        AttentionDropoutVertexRuntime v = assertInstanceOf(AttentionDropoutVertexRuntime.class, g.getVertex("mha"));
        INDArray factors = Nd4j.rand(DataType.DOUBLE, 2, 2 * 3 * 4).gt(0.3).castTo(DataType.DOUBLE).muli(1 / 0.7);
        v.fixFactors(factors);
        INDArray q = Nd4j.rand(DataType.DOUBLE, 2, 3, 2).subi(0.5);
        INDArray val = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {q, val})
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check with the mask fixed");
        // the factors multiply the weights before the values: all ones computes what inference computes, all zeros leaves
        // the output projection's bias
        v.fixFactors(Nd4j.ones(DataType.DOUBLE, 2, 24));
        INDArray trained = g.feedForward(new INDArray[] {q, val}, true, false).get("mha").dup();
        INDArray inferred = g.feedForward(new INDArray[] {q, val}, false, false).get("mha").dup();
        assertTrue(trained.equalsWithEps(inferred, 1e-12), "ones: the inference output");
        v.fixFactors(Nd4j.zeros(DataType.DOUBLE, 2, 24));
        INDArray zeroed = g.feedForward(new INDArray[] {q, val}, true, false).get("mha").dup();
        INDArray bias = g.getVertex("mha").paramTable(false).get("outputBias");
        for (int n = 0; n < 2; n++) for (int t = 0; t < 3; t++) for (int f = 0; f < 4; f++) assertEquals(bias.getDouble(0, f), zeroed.getDouble(n, t, f), 1e-12);
    }

    /** The zoo's MultiHeadAttention(dropout=0.2) returning its scores: the factors drawn, and the scores unaffected. */
    @Test
    void theZooModelDrawsFactorsPerWeightAndReturnsTheScoresBeforeThem() {
        ModelGraph graph = ModelFiles.read(Fixtures.file("keras3-zoo/mha_self_dropout_scores.keras"));
        EngineModel engine = EngineModel.ofKerasForTraining(graph);
        String name = graph.layers().stream().filter(l -> l.className().equals("MultiHeadAttention")).findFirst().orElseThrow().name();
        String vertex = engine.graph().getConfiguration().getVertices().keySet().stream()
                .filter(k -> engine.graph().getConfiguration().getVertices().get(k) instanceof KerasMultiHeadAttentionVertex).findFirst().orElseThrow();
        KerasMultiHeadAttentionVertex conf = (KerasMultiHeadAttentionVertex) engine.graph().getConfiguration().getVertices().get(vertex);
        assertEquals(0.2, conf.getTrainingDropout(), 1e-12, name);
        AttentionDropoutVertexRuntime v = assertInstanceOf(AttentionDropoutVertexRuntime.class, engine.graph().getVertex(vertex));
        long[] shape = engine.inputs().get(0).kerasShape().dims().stream().mapToLong(d -> d == null ? 500 : d).toArray();
        INDArray x = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
        INDArray[] in = {engine.inputs().get(0).layout().fromKeras(x)};
        INDArray inferred = engine.graph().feedForward(in, false, false).get(vertex).dup();
        INDArray a = engine.graph().feedForward(in, true, false).get(vertex).dup();
        INDArray f1 = v.factors().dup();
        INDArray b = engine.graph().feedForward(in, true, false).get(vertex).dup();
        INDArray f2 = v.factors().dup();
        assertFalse(f1.equalsWithEps(f2, 0), "new factors per training pass");
        long kept = f1.neq(0).castTo(DataType.INT).sumNumber().longValue();
        assertEquals(0.8, (double) kept / f1.length(), 0.02, "share of the weights kept");
        assertEquals(f1.length() - kept, f1.eq(0).castTo(DataType.INT).sumNumber().longValue());
        assertEquals(kept * 1.25, f1.sumNumber().doubleValue(), 1e-2 * kept, "kept weights scaled by 1 / (1 - rate)");
        // the output packs the attention output (first features) and the scores (the rest): the scores are the
        // weights before the dropout, the output is not the inference output
        long features = a.size(2);
        long scores = f1.length() / shape[0] / a.size(1);
        INDArray outPart = a.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, features - scores));
        INDArray scorePart = a.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(features - scores, features));
        INDArray inferredScores = inferred.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(features - scores, features));
        assertTrue(scorePart.equalsWithEps(inferredScores, 1e-6), "the scores are the weights before the dropout");
        assertFalse(outPart.equalsWithEps(inferred.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, features - scores)), 1e-4), "the output takes the dropped weights");
        assertFalse(a.equalsWithEps(b, 1e-6));
        // inference after training: ones again
        assertTrue(engine.graph().feedForward(in, false, false).get(vertex).equalsWithEps(inferred, 1e-6));
    }

    private static ComputationGraph network(double rate) {
        KerasMultiHeadAttentionVertex mha = new KerasMultiHeadAttentionVertex(2, 2, 2, true, false, false);
        mha.setQueryDim(2);
        mha.setValueInDim(2);
        mha.setOutputDim(4);
        mha.setExplicitSoftmax(true);
        mha.setTrainingDropout(rate);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new NoOp())
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
                .graphBuilder()
                .addInputs("q", "v")
                .setInputTypes(InputType.recurrent(2, 3, RNNFormat.NWC), InputType.recurrent(2, 4, RNNFormat.NWC))
                .addVertex("mha", mha, "q", "v")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build(), "mha")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Random r = new Random(6);
        for (INDArray p : g.getVertex("mha").paramTable(false).values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, r.nextGaussian() * 0.7);
        return g;
    }
}
