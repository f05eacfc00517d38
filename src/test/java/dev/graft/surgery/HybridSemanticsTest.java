package dev.graft.surgery;

import static dev.graft.surgery.HybridChecks.randomInput;
import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import dev.graft.engine.EngineModels;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid holding a Keras 3 donor's {@code hard_sigmoid} (Keras 3's relu6(x+3)/6) computes and writes that definition,
 * not Keras 2's clip(0.2x+0.5) that a hybrid file otherwise means (it computed Keras 2's, 0.08 off on this LSTM).
 */
class HybridSemanticsTest {
    private static final Path FIRST = Fixtures.file("keras3-zoo/spatialdropout1d.keras");   // (5, 3) -> (5, 3)
    private static final Path MASKED_MHA = Path.of("src/test/resources/keras-reference/attention-mask/mha_dropout_masked.keras");
    private static final Path LSTM = Fixtures.file("keras3-zoo/lstm_hard_sigmoid.keras");   // (5, 3) -> (5, 4), Keras 3 hard_sigmoid

    @TempDir
    Path dir;

    @Test
    void aKeras3HardSigmoidDonorKeepsItsDefinitionInEveryOutputFormat() {
        HostArray x = randomInput(6, new long[] {5, 3}, 7);
        HostArray chained = EngineModels.load(LSTM).predict(EngineModels.load(FIRST).predict(x)[0])[0];
        for (String name : List.of("h.h5", "h.keras", "h.zip")) {
            Path out = dir.resolve(name);
            Cli r = Cli.run("merge", FIRST.toString(), LSTM.toString(), "-o", out.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertClose(chained, EngineModels.load(out).predict(x)[0], 1e-5);
        }
        assertEquals(3, ModelFiles.read(dir.resolve("h.h5")).source().kerasMajor(), "the .h5 says the Keras its hard_sigmoid means");
    }

    @Test
    void donorsMeaningBothDefinitionsAreRefused() {
        ModelGraph keras3 = ModelFiles.read(LSTM);
        ModelGraph keras2 = asKeras2(keras3);
        MergeException e = assertThrows(MergeException.class,
                () -> HybridSemantics.sourceOf(List.of(keras2, keras3), List.of("a.h5", "b.keras")));
        assertEquals("layer 'lstm' of a.h5 uses Keras 1/2's hard_sigmoid (clip(0.2x+0.5)) and layer 'lstm' of b.keras Keras 3's"
                + " hard_sigmoid (relu6(x+3)/6): one model file cannot mean both", e.getMessage());
        assertEquals(2, HybridSemantics.sourceOf(List.of(keras2, ModelFiles.read(FIRST)), List.of("a", "b")).kerasMajor());
    }

    @Test
    void aKeras3ExplicitSoftmaxDonorKeepsKeras3InTheHybridFile() {
        // Keras 3 computes this MultiHeadAttention (dropout 0.3) with its explicit softmax: a query step its mask hides
        // entirely gets zeros, where the Keras 2 a hybrid file otherwise says spreads evenly
        Path out = dir.resolve("mha.h5");
        Cli r = Cli.run("merge", MASKED_MHA.toString(), FIRST.toString(), "--bridge", "dense:3", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        SourceInfo written = ModelFiles.read(out).source();
        assertEquals(3, written.kerasMajor(), "the .h5 says the Keras its attention softmax means");
        assertEquals(3, HybridSemantics.sourceOf(List.of(ModelFiles.read(FIRST), ModelFiles.read(MASKED_MHA)), List.of("a", "b")).kerasMajor());
    }

    @Test
    void aKeras2HardSigmoidAndAKeras3ExplicitSoftmaxCannotShareAFile() {
        ModelGraph keras2 = asKeras2(ModelFiles.read(LSTM));
        MergeException e = assertThrows(MergeException.class,
                () -> HybridSemantics.sourceOf(List.of(ModelFiles.read(MASKED_MHA), keras2), List.of("a.keras", "b.h5")));
        assertEquals("layer 'lstm' of b.h5 uses Keras 1/2's hard_sigmoid (clip(0.2x+0.5)) and layer 'mha' of a.keras Keras 3's"
                + " explicit attention softmax (a query step its masks hide entirely gets zeros): one model file cannot mean both",
                e.getMessage());
    }

    @Test
    void withoutHardSigmoidAHybridSaysGraft() throws Exception {
        Path out = dir.resolve("plain.h5");
        Cli r = Cli.run("merge", FIRST.toString(), FIRST.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(out));
        assertEquals("graft", ModelFiles.read(out).source().producer());
        assertFalse(ModelFiles.read(out).source().kerasMajor() >= 3);
    }

    /** The model as if Keras 2.15 had written it (its hard_sigmoid then means Keras 2's). */
    private static ModelGraph asKeras2(ModelGraph model) {
        SourceInfo s = model.source();
        return model.withIdentity(model.name(), model.modelClass(),
                new SourceInfo(s.path(), ModelFormat.KERAS_H5, "keras", "2.15.0", null, s.sizeBytes()));
    }
}
