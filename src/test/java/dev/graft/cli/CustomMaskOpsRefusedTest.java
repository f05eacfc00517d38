package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.data.DataFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Functional Keras 3 models whose {@code mask=} the user computed with Keras operations that do not recompute a Masking or
 * mask_zero Embedding layer's own mask ({@code keras-reference/custom-mask-ops}, saved by real Keras 3.15.1 with
 * {@code bench/keras_custom_mask_models.py}): a NotEqual against another value than the Masking layer's, given to an LSTM, and
 * a mask no layer computes given to an Attention layer, and the Masking layer's own mask given to an LSTM after a Conv1D (which
 * drops Keras's mask, so graft traces none there). Computing them without that mask would be a silent wrong number, so
 * graft marks the operation not computable and refuses to predict, naming it, from both files. The Masking layer's own mask
 * given to an LSTM after a Dense (which keeps it) is the mask graft traces: computed as Keras does.
 */
class CustomMaskOpsRefusedTest {
    private static final Path REFERENCE = Path.of("src/test/resources/keras-reference/custom-mask-ops");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fn_custom_mask_masking_lstm,not_equal", "fn_custom_mask_attention,not_equal", "fn_own_mask_conv_lstm,not_equal"})
    void aMaskTheUserComputedIsRefusedByName(String model, String opPrefix) {
        HostArray x = StoredPredictions.read(REFERENCE.resolve(model + "_inputs_and_outputs.h5")).inputs().get(0);
        Path xs = dir.resolve("x.npy");
        DataFiles.write(xs, x);
        for (String ext : new String[] {".keras", ".h5"}) {
            Path file = REFERENCE.resolve(model + ext);
            Cli inspect = Cli.run("inspect", "--json", file.toString());
            assertEquals(0, inspect.exitCode(), inspect.err());
            assertFalse(inspect.json().path("computable").asBoolean(), file + " computable");
            boolean named = false;
            for (JsonNode l : inspect.json().path("layers")) {
                if (l.path("name").asText().startsWith(opPrefix)) {
                    named = true;
                    assertFalse(l.path("computable").asBoolean());
                    assertTrue(l.path("not_computable_reason").asText().startsWith("is a Keras 3 operation ('NotEqual')"), l.toString());
                }
            }
            assertTrue(named, "the NotEqual operation listed in " + file);
            Path out = dir.resolve("p.npy");
            Cli r = Cli.run("predict", file.toString(), "--input", xs.toString(), "-o", out.toString());
            assertEquals(1, r.exitCode(), r.err());
            assertTrue(r.err().startsWith("graft: " + file + ": layer '" + opPrefix), r.err());
            assertTrue(r.err().contains("is a Keras 3 operation ('NotEqual')"), r.err());
            assertEquals(1, r.err().split("\n").length, r.err());
            assertFalse(Files.exists(out));
        }
    }

    @org.junit.jupiter.api.Test
    void theMaskingLayersOwnMaskThroughADenseIsComputedAsKerasDoes() {
        StoredPredictions stored = StoredPredictions.read(REFERENCE.resolve("fn_own_mask_dense_lstm_inputs_and_outputs.h5"));
        for (String ext : new String[] {".keras", ".h5"}) {
            HostArray[] y = dev.graft.engine.EngineModel.ofKeras(dev.graft.format.ModelFiles.read(REFERENCE.resolve("fn_own_mask_dense_lstm" + ext)))
                    .predict(stored.inputs().toArray(HostArray[]::new));
            dev.graft.testutil.ArrayAssertions.assertClose(stored.outputs().get(0), y[0], 1e-4);
        }
    }
}
