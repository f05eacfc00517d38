package dev.graft.engine.keras;

import dev.graft.engine.layers.GruActivation;
import dev.graft.engine.layers.KerasGruLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An imported model with GRUs saves as a DL4J zip and comes back computing the same numbers. */
class KerasGruPersistenceTest {

    @BeforeAll
    static void registerGru() {
        KerasGruImport.register();
    }

    @Test
    void functionalModelRoundTripsThroughDl4jZip(@TempDir File dir) throws Exception {
        ComputationGraph net = KerasModelImport.importKerasModelAndWeights(
                KerasGruImportTest.resource("gru_functional_lstm.h5"), false);
        File zip = new File(dir, "model.zip");
        ModelSerializer.writeModel(net, zip, false);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(zip, false);

        KerasGruLayer gru = (KerasGruLayer) back.getLayer("gru").conf().getLayer();
        assertEquals(6, gru.getUnits());
        assertEquals(true, gru.isGoBackwards());
        assertEquals(true, gru.isResetAfter());

        Map<String, INDArray> e = KerasGruImportTest.expected("gru_functional_lstm_expected.h5", "x", "y");
        KerasGruImportTest.assertClose(e.get("y"), back.outputSingle(e.get("x")));
    }

    @Test
    void sequentialModelRoundTripsThroughDl4jZip(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = KerasModelImport.importKerasSequentialModelAndWeights(
                KerasGruImportTest.resource("gru_sequential_k3_hard.h5"), false);
        File zip = new File(dir, "model.zip");
        ModelSerializer.writeModel(net, zip, false);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(zip, false);

        KerasGruLayer gru = (KerasGruLayer) back.getLayer(0).conf().getLayer();
        assertEquals(GruActivation.HARD_SIGMOID_KERAS3, gru.getRecurrentActivation());
        Map<String, INDArray> e = KerasGruImportTest.expected("gru_sequential_k3_hard_expected.h5", "x", "y");
        KerasGruImportTest.assertClose(e.get("y"), back.output(e.get("x")));
    }
}
