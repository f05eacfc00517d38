package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution and normalisation arguments the keras3-zoo does not try, one layer per model, saved by real Keras 3.15.1
 * with its predictions ({@code keras-reference/convolution}, made by {@code bench/keras_convolution_models.py}):
 * channels-first Conv2D with a softmax over its last axis, transposed convolutions with output padding, strides longer
 * than the kernel, dilation and 3-d strides, SeparableConv1D/2D with every argument, a grouped channels-first Conv3D, a
 * channels-first DepthwiseConv2D, and BatchNormalization over axes other than the last. graft reproduces each from its
 * {@code .keras} and its {@code .h5} file to 1e-5.
 */
class KerasConvolutionReferenceTest {
    static Stream<String> models() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(folder())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> (n.endsWith(".keras") || n.endsWith(".h5")) && !n.endsWith("_inputs_and_outputs.h5"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void reproducesKerasPredictions(String file) throws Exception {
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        HostArray[] y = EngineModel.ofKeras(ModelFiles.read(folder().resolve(file))).predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(1, y.length);
        assertClose(stored.outputs().get(0), y[0], 1e-5);
    }

    /** A real tf.keras model (the fixtures' tfkeras__cnn2d_41.h5) with channels-first DepthwiseConv2D layers among channels-last ones. */
    @org.junit.jupiter.api.Test
    void aTfKerasModelWithChannelsFirstDepthwiseLayersComputesWhatKerasDoes() throws Exception {
        StoredPredictions stored = StoredPredictions.read(folder().resolve("tfkeras__cnn2d_41_inputs_and_outputs.h5"));
        HostArray[] y = EngineModel.ofKeras(ModelFiles.read(dev.graft.Fixtures.file("keras/models/tfkeras__cnn2d_41.h5")))
                .predict(stored.inputs().toArray(HostArray[]::new));
        assertClose(stored.outputs().get(0), y[0], 1e-5);
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasConvolutionReferenceTest.class.getResource("/keras-reference/convolution").toURI());
    }
}
