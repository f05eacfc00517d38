package dev.graft.format.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.engine.EngineModel;
import dev.graft.engine.EngineModels;
import dev.graft.engine.Tensors;
import dev.graft.format.ModelFileException;
import dev.graft.model.HostArray;
import dev.graft.testutil.GeneratedInputs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every DL4J fixture graft reads, predicted by graft (its reading, the MultiLayerNetwork as a graph, its layouts) against
 * DL4J's own network restored from the same zip, on generated inputs: only regression_100b4 stores outputs
 * ({@code Dl4jStoredOutputsTest}), so the others are compared with what DL4J computes. The two CNNs no input satisfies
 * are refused ({@code Dl4jFlattens}); a zip that records no image size takes 28 x 28 x 3 images (its output layer's 2028
 * inputs).
 */
class Dl4jPredictAgreesWithDl4jTest {
    private static final double TOLERANCE = 1e-5;
    private static final Map<String, long[]> IMAGE_SIZE = Map.of("060_ModelSerializer_Regression_CNN_1.zip", new long[] {28, 28, 3});
    private static final List<String> REFUSED = List.of("050_ModelSerializer_Regression_CNN_1.zip", "080_ModelSerializer_Regression_CNN_1.zip");

    static Stream<Path> loadable() {
        return Dl4jFixtures.loadable();
    }

    @ParameterizedTest
    @MethodSource("loadable")
    void predictIsWhatDl4jComputes(Path file) {
        String name = file.getFileName().toString();
        EngineModel engine;
        try {
            engine = EngineModels.load(file);
        } catch (ModelFileException e) {
            assertTrue(REFUSED.contains(name), name + " refused: " + e.getMessage());
            return;
        }
        assertTrue(!REFUSED.contains(name), name + " computes");
        List<HostArray> x = GeneratedInputs.of(null, engine.inputShapes(), 3, 7, IMAGE_SIZE.get(name));
        assertNotNull(x, name + ": input shapes");
        HostArray[] ours = engine.predict(x.toArray(HostArray[]::new));

        RestoredNetwork restored = Dl4jRestorer.restore(file);
        INDArray[] in = new INDArray[x.size()];
        DataType type = restored.kind() == NetworkKind.MULTI_LAYER_NETWORK
                ? restored.multiLayer().getLayerWiseConfigurations().getDataType() : restored.graph().getConfiguration().getDataType();
        for (int i = 0; i < in.length; i++) in[i] = engine.inputs().get(i).layout().fromKeras(Tensors.toNd4j(x.get(i), type));
        INDArray[] theirs = restored.kind() == NetworkKind.MULTI_LAYER_NETWORK
                ? new INDArray[] {restored.multiLayer().output(in[0])} : restored.graph().output(in);
        assertEquals(theirs.length, ours.length, name + ": outputs");
        for (int o = 0; o < ours.length; o++) {
            INDArray expected = engine.outputs().get(o).layout().toKeras(theirs[o]).castTo(DataType.DOUBLE);
            INDArray actual = Tensors.toNd4j(ours[o], DataType.DOUBLE);
            assertArrayEquals(expected.shape(), actual.shape(), name + ": output " + o);
            double diff = actual.sub(expected).amaxNumber().doubleValue();
            double scale = Math.max(1, expected.amaxNumber().doubleValue());
            assertTrue(diff <= TOLERANCE * scale, name + ": output " + o + " max |difference| " + diff + " (largest value " + scale + ")");
        }
    }
}
