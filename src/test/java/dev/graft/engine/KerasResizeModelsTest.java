package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graft.Fixtures;
import dev.graft.data.NpyReader;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models real Keras 3.15.1 saved with its predictions ({@code keras-reference/resize}, made by
 * {@code bench/keras_resize_models.py}) with padding, cropping, upsampling and resizing arguments the keras3-zoo does not
 * have: asymmetric amounts per axis on sequences and volumes, channels-first 1-d, 2-d and 3-d layers, bilinear
 * UpSampling2D by unequal factors, Resizing cropped or padded to the target's aspect ratio; graft reproduces every output
 * from the {@code .keras} and the {@code .h5} file.
 */
class KerasResizeModelsTest {
    @ParameterizedTest
    @ValueSource(strings = {"sequences.h5", "sequences.keras", "volumes.h5", "volumes.keras", "images.h5", "images.keras",
            "resizing.h5", "resizing.keras"})
    void reproducesKerasPredictions(String file) throws Exception {
        Path model = folder().resolve(file);
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        HostArray[] y = EngineModel.ofKeras(ModelFiles.read(model)).predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(stored.outputs().size(), y.length);
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], 1e-5);
    }

    /**
     * The Conv3D -> SpatialDropout3D -> Cropping3D -> MaxPooling3D -> Conv3D chain (a tf.keras 2.2.4 corpus file):
     * Keras 3's numbers for the same layers and weights; the second Cropping3D of its twin tfkeras__cnn3d_22, which would
     * leave nothing of a 1x1x1 volume (Keras returns an empty array), is refused by inspect and predict alike.
     */
    @Test
    void theConv3DChainMatchesKeras() throws Exception {
        HostArray x = NpyReader.read(folder().resolve("tfkeras__cnn3d_16_input.npy"));
        HostArray want = NpyReader.read(folder().resolve("tfkeras__cnn3d_16_keras.npy"));
        HostArray[] y = EngineModel.ofKeras(ModelFiles.read(Fixtures.file("keras/models/tfkeras__cnn3d_16.h5"))).predict(x);
        assertClose(want, y[0], 1e-5);
        dev.graft.model.ModelGraph empty = ModelFiles.read(Fixtures.file("keras/models/tfkeras__cnn3d_22.h5"));
        assertFalse(ComputableMeansComputesTest.inspectCallsComputable(empty));
        EngineException e = assertThrows(EngineException.class, () -> EngineModel.ofKeras(empty));
        assertEquals("layer 'cropping3d_15' crops 2 from spatial axis 1 of (None, 1, 1, 1, 4), which leaves nothing; graft computes no empty"
                + " arrays; graft cannot compute this model", e.getMessage());
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasResizeModelsTest.class.getResource("/keras-reference/resize").toURI());
    }
}
