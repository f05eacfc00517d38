package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
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

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasResizeModelsTest.class.getResource("/keras-reference/resize").toURI());
    }
}
