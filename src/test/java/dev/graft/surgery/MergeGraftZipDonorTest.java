package dev.graft.surgery;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import dev.graft.engine.EngineModels;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A {@code .zip} graft wrote holds graft's own engine layers (a glu, Attention and AdditiveAttention vertices, a Dense on
 * steps as a 1-d convolution); read back as a merge donor it translates to the Keras layers they compute, weights bit for
 * bit. Round trip: two Keras models (keras-reference/zip-donors, bench/keras_zip_donor_models.py) converted to zips, merged
 * zip with zip, zip with .keras and .keras with zip: each hybrid computes what Keras computes for the chained models.
 */
class MergeGraftZipDonorTest {
    @TempDir
    Path dir;

    @Test
    void zipsGraftWroteMergeAsTheirKerasModels() throws Exception {
        Path head = reference("glu_head.keras");
        Path tail = reference("attention_tail.keras");
        Path headZip = convert(head, "head.zip");
        Path tailZip = convert(tail, "tail.zip");
        StoredPredictions stored = StoredPredictions.read(reference("chained_inputs_and_outputs.h5"));
        for (Path[] pair : new Path[][] {{headZip, tailZip, dir.resolve("zz.h5")}, {headZip, tail, dir.resolve("zk.h5")},
                {head, tailZip, dir.resolve("kz.zip")}}) {
            Cli r = Cli.run("merge", pair[0].toString(), pair[1].toString(), "-o", pair[2].toString(), "--quiet");
            assertEquals(0, r.exitCode(), r.err());
            HostArray y = EngineModels.load(pair[2]).predict(stored.inputs().get(0))[0];
            assertClose(stored.outputs().get(0), y, 1e-5);
        }
        // the hybrid's weights are the Keras donors', bit for bit
        ModelGraph hybrid = ModelFiles.read(dir.resolve("zz.h5"));
        int compared = 0;
        for (Path donor : new Path[] {head, tail}) {
            for (Layer l : ModelFiles.read(donor).layers()) {
                for (Weight w : l.weights()) {
                    Weight h = hybrid.layer(l.name()).weights().stream().filter(x -> part(x).equals(part(w))).findFirst().orElseThrow();
                    assertArrayEquals(w.shape(), h.shape(), l.name() + "/" + w.role());
                    assertArrayEquals(w.read().toFloatArray(), h.read().toFloatArray(), 0f, l.name() + "/" + w.role());
                    compared++;
                }
            }
        }
        // adapt cuts such a zip as it cuts the Keras model it came from
        Path fromZip = dir.resolve("features_zip.h5");
        Path fromKeras = dir.resolve("features_keras.h5");
        for (Path[] a : new Path[][] {{tailZip, fromZip}, {tail, fromKeras}}) {
            Cli r = Cli.run("adapt", a[0].toString(), "--until", "pool", "-o", a[1].toString(), "--quiet");
            assertEquals(0, r.exitCode(), r.err());
        }
        HostArray x = EngineModels.load(headZip).predict(stored.inputs().get(0))[0];
        HostArray features = EngineModels.load(fromKeras).predict(x)[0];
        assertEquals(2, features.rank());
        assertClose(features, EngineModels.load(fromZip).predict(x)[0], 1e-6);
        assertEquals(8, compared, "proj kernel/bias, concat_att scale/concat_score_weight, additive scale, dot_att scale, score kernel/bias");
    }

    /**
     * Keras layers graft's engine computes in its own or channels-last classes, through a .zip and back to .h5: each
     * computes what Keras stored, as the same Keras class, weights bit for bit.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"conv1d_causal_dil2, Conv1D", "layernorm_default, LayerNormalization", "layernorm_center_off, LayerNormalization",
            "layernorm_rms, LayerNormalization", "rmsnorm_default, RMSNormalization", "unitnorm_last, UnitNormalization",
            "mha_self, MultiHeadAttention", "mha_cross_value_dim, MultiHeadAttention", "gru_reset_before, GRU", "simplernn_backwards, SimpleRNN",
            "prelu_conv_shared3, PReLU", "batchnorm_after_conv, BatchNormalization"})
    void aZipOfGraftLayersReadsBackAsKeras(String zoo, String kerasClass) {
        Path keras = Fixtures.file("keras3-zoo/" + zoo + ".keras");
        Path zip = convert(keras, "conv.zip");
        Path back = dir.resolve("back.h5");
        Cli r = Cli.run("convert", zip.toString(), "-o", back.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        StoredPredictions stored = StoredPredictions.read(Fixtures.file("keras3-zoo/" + zoo + "_inputs_and_outputs.h5"));
        double tol = kerasClass.contains("Attention") ? 1e-4 : 1e-5; // the tolerance for attention
        assertClose(stored.outputs().get(0), EngineModels.load(back).predict(stored.inputs().toArray(HostArray[]::new))[0], tol);
        Layer original = ModelFiles.read(keras).layers().stream().filter(l -> kerasClass.equals(l.className())).findFirst().orElseThrow();
        Layer read = ModelFiles.read(back).layer(original.name());
        assertEquals(kerasClass, read.className());
        assertEquals(original.weights().size(), read.weights().size());
        for (Weight w : original.weights()) {
            Weight h = read.weights().stream().filter(x -> part(x).equals(part(w))).findFirst().orElseThrow();
            assertArrayEquals(w.shape(), h.shape());
            assertArrayEquals(w.read().toFloatArray(), h.read().toFloatArray(), 0f);
        }
    }

    @Test
    void aGraftLayerWithoutKerasTranslationIsRefusedByName() {
        Path gru = convert(Fixtures.file("keras3-zoo/bidi_gru_sum_seq.keras"), "gru.zip");
        Path out = dir.resolve("m.h5");
        Cli r = Cli.run("merge", gru.toString(), "samples/example1_second.h5", "-o", out.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().matches("(?s).*layer '[^']+' \\(DL4J KerasBidirectionalGruLayer\\) has no Keras translation: it is graft's own"
                + " engine layer KerasBidirectionalGruLayer, which graft does not translate back to Keras.*"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));
    }

    private Path convert(Path model, String zip) {
        Path out = dir.resolve(zip);
        Cli r = Cli.run("convert", model.toString(), "-o", out.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    /** A weight's name within its layer ({@code query/kernel}, {@code gamma}), as Keras's files and graft's readers spell it. */
    private static String part(Weight w) {
        String n = w.name().replaceAll(":\\d+$", "");
        return n.substring(n.indexOf('/') + 1);
    }

    private static Path reference(String file) {
        return Path.of("src/test/resources/keras-reference/zip-donors", file);
    }
}
