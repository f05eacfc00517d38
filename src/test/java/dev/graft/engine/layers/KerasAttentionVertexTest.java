package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * graft's Attention / AdditiveAttention vertex trains like any DL4J vertex: its gradients (the scale and concat weight,
 * and the query, value and key inputs through the Dense layers feeding them) match finite differences.
 */
class KerasAttentionVertexTest {
    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    @ParameterizedTest(name = "{0}, scale={1}, causal={2}, key={3}")
    @CsvSource({"DOT,true,false,false", "DOT,false,true,true", "CONCAT,true,false,true", "CONCAT,false,true,false", "ADDITIVE,true,true,true",
            "ADDITIVE,false,false,false"})
    void gradientsMatchFiniteDifferences(KerasAttentionVertex.Kind kind, boolean scale, boolean causal, boolean key) {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        KerasAttentionVertex attention = new KerasAttentionVertex(kind, scale, causal, key);
        attention.setFeatures(3);
        // Dense layers in front of query, value and key, so the gradient the vertex passes to each input is checked too.
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new NoOp())
                .graphBuilder();
        if (key) {
            b.addInputs("q", "v", "k").setInputTypes(InputType.recurrent(2, 3, RNNFormat.NWC), InputType.recurrent(2, 4, RNNFormat.NWC),
                    InputType.recurrent(2, 4, RNNFormat.NWC));
        } else {
            b.addInputs("q", "v").setInputTypes(InputType.recurrent(2, 3, RNNFormat.NWC), InputType.recurrent(2, 4, RNNFormat.NWC));
        }
        b.addLayer("qd", perStep(2, 3), "q").addLayer("vd", perStep(2, key ? 4 : 3), "v");
        if (key) b.addLayer("kd", perStep(2, 3), "k").addVertex("attention", attention, "qd", "vd", "kd");
        else b.addVertex("attention", attention, "qd", "vd");
        long valueFeatures = key ? 4 : 3;   // without a key the value is the key: its features are the query's
        attention.setValueFeatures(valueFeatures);
        b.addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(valueFeatures).nOut(2).activation(Activation.IDENTITY)
                .dataFormat(RNNFormat.NWC).build(), "attention").setOutputs("out");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        Random r = new Random(4);
        for (INDArray p : g.getVertex("attention").paramTable(false).values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, 0.5 + r.nextDouble());
        INDArray q = Nd4j.rand(DataType.DOUBLE, 2, 3, 2).subi(0.5);
        INDArray v = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5);
        INDArray k = Nd4j.rand(DataType.DOUBLE, 2, 4, 2).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3, 2);
        INDArray[] inputs = key ? new INDArray[] {q, v, k} : new INDArray[] {q, v};
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(inputs)
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check " + kind + ", scale=" + scale + ", causal=" + causal + ", key=" + key);
    }

    /**
     * With Keras masks on the query (the output zeroed at masked steps) and the value (masked value steps out of the
     * softmax): the gradients through the Dense layers in front still match. The masks arrive as their sources' outputs
     * (a masked step: every feature 0 here, -1 for the value). No query step has every key masked: ND4J's softmax in
     * double precision (what gradient checks need) gives NaN for a row of -1e9 where its float one spreads it evenly,
     * as Keras does; such rows are checked in float against Keras ({@code KerasAttentionMaskModelsTest}) and trained
     * ({@code MaskedAttentionTrainingTest}).
     */
    @ParameterizedTest(name = "{0}, causal={1}")
    @CsvSource({"DOT,false", "DOT,true", "ADDITIVE,true", "CONCAT,false"})
    void maskedGradientsMatchFiniteDifferences(KerasAttentionVertex.Kind kind, boolean causal) {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        KerasAttentionVertex attention = new KerasAttentionVertex(kind, true, causal, false);
        attention.setFeatures(3);
        attention.setValueFeatures(3);
        attention.setHasQueryMask(true);
        attention.setHasValueMask(true);
        attention.setValueMaskValue(-1);
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3).updater(new NoOp())
                .graphBuilder()
                .addInputs("q", "v", "qs", "vs")
                .setInputTypes(InputType.recurrent(2, 3, RNNFormat.NWC), InputType.recurrent(2, 4, RNNFormat.NWC),
                        InputType.recurrent(2, 3, RNNFormat.NWC), InputType.recurrent(2, 4, RNNFormat.NWC))
                .addLayer("qd", perStep(2, 3), "q").addLayer("vd", perStep(2, 3), "v")
                .addVertex("attention", attention, "qd", "vd", "qs", "vs")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(RNNFormat.NWC).build(), "attention").setOutputs("out");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        Random r = new Random(4);
        for (INDArray p : g.getVertex("attention").paramTable(false).values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, 0.5 + r.nextDouble());
        INDArray q = Nd4j.rand(DataType.DOUBLE, 3, 3, 2).subi(0.5);
        INDArray v = Nd4j.rand(DataType.DOUBLE, 3, 4, 2).subi(0.5);
        INDArray qs = Nd4j.rand(DataType.DOUBLE, 3, 3, 2).addi(0.1);
        INDArray vs = Nd4j.rand(DataType.DOUBLE, 3, 4, 2).addi(0.1);
        qs.get(point(0), point(1), all()).assign(0);
        qs.get(point(2), point(0), all()).assign(0);
        vs.get(point(0), point(2), all()).assign(-1);
        vs.get(point(1), point(3), all()).assign(-1);
        vs.get(point(2), point(1), all()).assign(-1);
        vs.get(point(2), point(2), all()).assign(-1);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 3, 3, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {q, v, qs, vs})
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check with masks " + kind + ", causal=" + causal);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex point(long i) {
        return org.nd4j.linalg.indexing.NDArrayIndex.point(i);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex all() {
        return org.nd4j.linalg.indexing.NDArrayIndex.all();
    }

    private static TimeDistributed perStep(int in, int out) {
        return new TimeDistributed(new DenseLayer.Builder().nIn(in).nOut(out).activation(Activation.TANH).build(), RNNFormat.NWC);
    }
}
