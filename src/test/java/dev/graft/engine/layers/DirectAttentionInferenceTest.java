package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The attention vertices' inference without SameDiff ({@link DirectInferenceVertex}) gives the SameDiff graph's numbers
 * (the graph still computes a training pass: the two are compared on the same network and inputs), and declines the
 * settings it does not compute. Sequences are NWC, as the engine gives them (the SameDiff graph fails on NCW inputs).
 */
class DirectAttentionInferenceTest {
    private static ComputationGraph graph(SameDiffVertex vertex, long outFeatures, RNNFormat format, long[]... inputs) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(3).graphBuilder();
        String[] names = new String[inputs.length];
        InputType[] types = new InputType[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            names[i] = "in" + i;
            types[i] = InputType.recurrent(inputs[i][1], inputs[i][0], format);
        }
        b.addInputs(names).setInputTypes(types).addVertex("attention", vertex, names)
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(outFeatures).nOut(outFeatures)
                        .activation(Activation.IDENTITY).dataFormat(format).build(), "attention")
                .setOutputs("attention", "out");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        Random r = new Random(9);
        for (INDArray p : g.getVertex("attention").paramTable(false).values()) for (long i = 0; i < p.length(); i++) p.putScalar(i, 0.3 + r.nextGaussian() * 0.5);
        return g;
    }

    private static INDArray[] inputs(RNNFormat format, long[]... shapes) {
        INDArray[] x = new INDArray[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            long steps = shapes[i][0];
            long features = shapes[i][1];
            x[i] = (format == RNNFormat.NWC ? Nd4j.rand(DataType.FLOAT, 3, steps, features) : Nd4j.rand(DataType.FLOAT, 3, features, steps))
                    .subi(0.5).muli(2);
        }
        return x;
    }

    private static void assertDirectEqualsGraph(ComputationGraph g, SameDiffVertex vertex, INDArray[] x) {
        Map<String, INDArray> params = g.getVertex("attention").paramTable(false);
        INDArray direct = ((DirectInferenceVertex) vertex).inferDirectly(x, params);
        assertNotNull(direct, "computed directly");
        INDArray inferred = g.output(false, x)[0];
        INDArray graph = g.output(true, x)[0];   // a training pass: the SameDiff graph
        assertTrue(graph.equalsWithEps(direct, 1e-5), graph + " vs " + direct);
        assertTrue(graph.equalsWithEps(inferred, 1e-5), "the inference pass: " + graph + " vs " + inferred);
    }

    @ParameterizedTest(name = "{0}, scale={1}, causal={2}, key={3}, {4}")
    @CsvSource({"DOT,true,false,false,NWC", "DOT,false,true,true,NWC", "CONCAT,true,false,true,NWC", "CONCAT,false,true,false,NWC",
            "ADDITIVE,true,true,true,NWC", "ADDITIVE,false,false,false,NWC"})
    void attentionEqualsTheGraph(KerasAttentionVertex.Kind kind, boolean scale, boolean causal, boolean key, RNNFormat format) {
        KerasAttentionVertex attention = new KerasAttentionVertex(kind, scale, causal, key);
        attention.setFeatures(3);
        attention.setValueFeatures(key ? 5 : 3);
        attention.setQueryFormat(format);
        attention.setValueFormat(format);
        attention.setKeyFormat(format);
        long[][] shapes = key ? new long[][] {{4, 3}, {6, 5}, {6, 3}} : new long[][] {{4, 3}, {6, 3}};
        ComputationGraph g = graph(attention, key ? 5 : 3, format, shapes);
        assertDirectEqualsGraph(g, attention, inputs(format, shapes));
    }

    @ParameterizedTest(name = "heads={0}, kv heads={1}, causal={2}, key={3}, {4}")
    @CsvSource({"2,2,false,false,NWC", "2,2,true,false,NWC", "4,2,true,true,NWC", "3,1,false,true,NWC"})
    void multiHeadAttentionEqualsTheGraph(int heads, int kvHeads, boolean causal, boolean key, RNNFormat format) {
        KerasMultiHeadAttentionVertex mha = new KerasMultiHeadAttentionVertex(heads, 3, 2, true, causal, key);
        mha.setKvHeads(kvHeads);
        mha.setQueryDim(4);
        mha.setValueInDim(5);
        mha.setKeyInDim(key ? 6 : 0);
        mha.setOutputDim(4);
        mha.setQueryFormat(format);
        mha.setValueFormat(format);
        mha.setKeyFormat(format);
        long[][] shapes = key ? new long[][] {{5, 4}, {7, 5}, {7, 6}} : new long[][] {{5, 4}, {7, 5}};
        ComputationGraph g = graph(mha, 4, format, shapes);
        assertDirectEqualsGraph(g, mha, inputs(format, shapes));
    }

    /** An attention mask input is left to the SameDiff graph. */
    @Test
    void maskedMultiHeadAttentionStaysWithTheGraph() {
        KerasMultiHeadAttentionVertex mha = new KerasMultiHeadAttentionVertex(2, 3, 2, true, false, false);
        mha.setHasMask(true);
        mha.setQueryDim(4);
        mha.setValueInDim(5);
        mha.setOutputDim(4);
        long[][] shapes = {{5, 4}, {7, 5}, {5, 7}};
        ComputationGraph g = graph(mha, 4, RNNFormat.NWC, shapes);
        assertNull(mha.inferDirectly(inputs(RNNFormat.NWC, shapes), g.getVertex("attention").paramTable(false)));
    }

    /**
     * Every setting the direct path does not compute (Keras masks, attention_axes groups, scores packed, the explicit
     * softmax) makes the vertex differ from its directly computed copy: declined, given only the attended inputs.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"query mask", "value mask", "key mask", "groups", "scores", "explicit softmax"})
    void multiHeadAttentionSettingsBeyondTheDirectPathStayWithTheGraph(String setting) {
        KerasMultiHeadAttentionVertex mha = new KerasMultiHeadAttentionVertex(2, 3, 2, true, false, false);
        mha.setQueryDim(4);
        mha.setValueInDim(4);
        mha.setOutputDim(4);
        switch (setting) {
            case "query mask" -> mha.setKerasMasks(new boolean[] {true, false, false});
            case "value mask" -> mha.setKerasMasks(new boolean[] {false, true, false});
            case "key mask" -> mha.setKerasMasks(new boolean[] {false, false, true});
            case "groups" -> {
                mha.setQueryGroups(new int[] {0, 0, 1, 1});
                mha.setKeyGroups(new int[] {0, 0, 1, 1});
            }
            case "scores" -> mha.setReturnScores(true);
            default -> mha.setExplicitSoftmax(true);
        }
        assertNull(mha.inferDirectly(inputs(RNNFormat.NWC, new long[] {4, 4}, new long[] {4, 4}), Map.of()));
        KerasMultiHeadAttentionVertex copy = (KerasMultiHeadAttentionVertex) mha.clone();
        org.junit.jupiter.api.Assertions.assertEquals(mha, copy, "clone keeps " + setting);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"query mask", "value mask", "scores"})
    void attentionSettingsBeyondTheDirectPathStayWithTheGraph(String setting) {
        KerasAttentionVertex attention = new KerasAttentionVertex(KerasAttentionVertex.Kind.DOT, false, false, false);
        attention.setFeatures(3);
        attention.setValueFeatures(3);
        switch (setting) {
            case "query mask" -> attention.setHasQueryMask(true);
            case "value mask" -> attention.setHasValueMask(true);
            default -> attention.setReturnScores(true);
        }
        assertNull(attention.inferDirectly(inputs(RNNFormat.NWC, new long[] {4, 3}, new long[] {4, 3}), Map.of()));
        org.junit.jupiter.api.Assertions.assertEquals(attention, attention.clone(), "clone keeps " + setting);
    }
}
