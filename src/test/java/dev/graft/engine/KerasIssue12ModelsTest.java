package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.format.ModelFiles;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.format.keras.KerasZipWriter;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.testutil.StoredPredictions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models real Keras 3.15.1 saved with its predictions ({@code keras-reference/issue12}, made by
 * {@code bench/keras_issue12_attention.py}), with argument values the keras3-zoo lacks: {@code glu} on Dense, Conv1D,
 * Conv2D and as an Activation; MultiHeadAttention given a key (by keyword and positionally), an attention mask and
 * the causal mask together, with {@code value_dim} and {@code output_shape}; GroupedQueryAttention with a key, a mask,
 * three query heads per key/value head and no bias, and causal; EinsumDense with equations with and without ellipses,
 * contracted and shared axes, biases over some output axes only, and activations (glu included). graft reproduces them from the {@code .keras} and the
 * {@code .h5} file, and from the files graft writes of them.
 */
class KerasIssue12ModelsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"dense_glu.keras", "dense_glu.h5", "conv1d_glu.keras", "conv1d_glu.h5", "conv2d_glu.keras", "conv2d_glu.h5",
            "mha_key_mask_causal.keras", "mha_key_mask_causal.h5", "mha_positional_key.keras", "mha_positional_key.h5",
            "gqa_cross_mask.keras", "gqa_cross_mask.h5", "gqa_causal.keras", "gqa_causal.h5", "gqa_dense.keras", "gqa_dense.h5",
            "einsum_seq_relu.keras", "einsum_seq_relu.h5", "einsum_left_ellipsis_gelu.keras", "einsum_left_ellipsis_gelu.h5",
            "einsum_steps_bias_d.keras", "einsum_steps_bias_d.h5", "einsum_two_contracted.keras", "einsum_two_contracted.h5",
            "einsum_shared_axis.keras", "einsum_shared_axis.h5", "einsum_right_ellipsis.keras", "einsum_right_ellipsis.h5",
            "einsum_vector_glu.keras", "einsum_vector_glu.h5"})
    void reproducesKerasPredictions(String file) throws Exception {
        assertReproduces(ModelFiles.read(folder().resolve(file)), file);
    }

    /** graft writes the key and the attention mask back as keyword arguments (not a third positional tensor, a key to Keras). */
    @ParameterizedTest
    @ValueSource(strings = {"mha_key_mask_causal.keras", "gqa_cross_mask.h5", "conv1d_glu.keras", "einsum_shared_axis.keras"})
    void filesGraftWritesComputeTheSame(String file) throws Exception {
        ModelGraph model = ModelFiles.read(folder().resolve(file));
        for (String ext : new String[] {".keras", ".h5"}) {
            Path out = tmp.resolve("rewritten" + ext);
            if (ext.equals(".keras")) KerasZipWriter.write(model, out);
            else KerasH5Writer.write(model, out);
            assertReproduces(ModelFiles.read(out), file);
        }
    }

    private static void assertReproduces(ModelGraph model, String file) throws Exception {
        StoredPredictions stored = StoredPredictions.read(folder().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
        HostArray[] y = EngineModel.ofKeras(model).predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(stored.outputs().size(), y.length);
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], 1e-4);
    }

    static Path folder() throws URISyntaxException {
        return Paths.get(KerasIssue12ModelsTest.class.getResource("/keras-reference/issue12").toURI());
    }
}
