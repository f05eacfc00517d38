package dev.graft.engine.keras;

import dev.graft.engine.layers.GruActivation;
import dev.graft.engine.layers.KerasGruLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.net.URISyntaxException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imports the Keras-2-style files made by {@code make_gru_fixtures.py} (next to them in the test
 * resources) and compares with the outputs its independent numpy GRU/LSTM computed.
 */
class KerasGruImportTest {

    // float32 weights and activations through up to three recurrent layers
    private static final double TOL = 2e-5;

    @BeforeAll
    static void registerGru() {
        KerasGruImport.register();
        KerasGruImport.register(); // idempotent
    }

    @Test
    void sequentialEmbeddingGruDense() throws Exception {
        MultiLayerNetwork net = KerasModelImport.importKerasSequentialModelAndWeights(resource("gru_sequential_embedding.h5"), false);
        KerasGruLayer gru = (KerasGruLayer) net.getLayer(1).conf().getLayer();
        assertEquals(4, gru.getNIn());
        assertEquals(5, gru.getUnits());
        assertEquals(false, gru.isResetAfter());
        assertEquals(GruActivation.HARD_SIGMOID_KERAS2, gru.getRecurrentActivation());

        Map<String, INDArray> e = expected("gru_sequential_embedding_expected.h5", "x", "y");
        INDArray out = net.output(e.get("x"));   // token ids (batch, steps), as Keras takes them
        assertArrayEquals(new long[]{5, 3}, out.shape());
        assertClose(e.get("y"), out);
    }

    @Test
    void functionalLstmThenGruBackwardsThenGruWithoutBias() throws Exception {
        ComputationGraph net = KerasModelImport.importKerasModelAndWeights(resource("gru_functional_lstm.h5"), false);
        Map<String, INDArray> e = expected("gru_functional_lstm_expected.h5", "x", "y", "lstm", "gru");
        INDArray x = e.get("x");   // (batch, steps, features) exactly as Keras takes it: no permute
        assertArrayEquals(new long[]{4, 7, 3}, x.shape());

        INDArray out = net.outputSingle(x);
        assertArrayEquals(new long[]{4, 2}, out.shape());
        assertClose(e.get("y"), out);

        // Intermediate sequences come out as (batch, steps, units), Keras's layout, for LSTM and GRU alike
        Map<String, INDArray> acts = net.feedForward(x, false);
        assertArrayEquals(new long[]{4, 7, 4}, acts.get("lstm").shape());
        assertArrayEquals(new long[]{4, 7, 6}, acts.get("gru").shape());
        assertClose(e.get("lstm"), acts.get("lstm"));
        assertClose(e.get("gru"), acts.get("gru"));
    }

    @Test
    void keras3HardSigmoidMarkerSelectsKeras3Definition() throws Exception {
        MultiLayerNetwork net = KerasModelImport.importKerasSequentialModelAndWeights(resource("gru_sequential_k3_hard.h5"), false);
        KerasGruLayer gru = (KerasGruLayer) net.getLayer(0).conf().getLayer();
        assertEquals(GruActivation.HARD_SIGMOID_KERAS3, gru.getRecurrentActivation());

        Map<String, INDArray> e = expected("gru_sequential_k3_hard_expected.h5", "x", "y", "y_keras2_hard_sigmoid");
        INDArray out = net.output(e.get("x"));
        assertArrayEquals(new long[]{3, 5, 4}, out.shape());   // return_sequences: (batch, steps, units)
        assertClose(e.get("y"), out);
        // the file's numbers separate the two definitions, so this test would catch a mix-up
        assertTrue(e.get("y").sub(e.get("y_keras2_hard_sigmoid")).amaxNumber().doubleValue() > 1e-2);
    }

    static void assertClose(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = expected.castTo(actual.dataType()).sub(actual).amaxNumber().doubleValue();
        System.out.println("max abs diff " + diff + " over " + java.util.Arrays.toString(actual.shape()));
        assertTrue(diff < TOL, "max abs diff " + diff);
    }

    static String resource(String name) throws URISyntaxException {
        return new File(KerasGruImportTest.class.getResource(name).toURI()).getAbsolutePath();
    }

    static Map<String, INDArray> expected(String file, String... names) throws Exception {
        Hdf5Archive h5 = new Hdf5Archive(resource(file));
        try {
            Map<String, INDArray> out = new java.util.HashMap<>();
            for (String n : names) {
                out.put(n, h5.readDataSet(n));
            }
            return out;
        } finally {
            h5.close();
        }
    }
}
