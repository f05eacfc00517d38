package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.Fixtures;
import dev.graft.format.FormatSniffer;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelFormat;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two Keras 3 archives an earlier graft misread: {@code relu_max_conv.keras} stores its weights file
 * (uncompressed) so that the HDF5 signature sits at offset 2048 of the archive, where HDF5 allows a
 * user block, and was taken for a weights-only HDF5 file; {@code gru_reset_before.keras} failed with
 * "no dataset /layers/gru/cell/vars/1". Both must read as archives and give Keras's stored predictions.
 */
class ZooArchiveReadingTest {
    @ParameterizedTest
    @ValueSource(strings = {"relu_max_conv", "gru_reset_before", "gru_reset_before_seq_tanh_sig"})
    void readsAsArchiveWithKerasPredictions(String name) {
        Path file = Fixtures.file("keras3-zoo/" + name + ".keras");
        assertEquals(ModelFormat.KERAS_ZIP, FormatSniffer.detect(file));
        StoredPredictions io = StoredPredictions.read(Fixtures.file("keras3-zoo/" + name + "_inputs_and_outputs.h5"));
        HostArray[] got = EngineModel.ofKeras(ModelFiles.read(file)).predict(io.inputs().toArray(HostArray[]::new));
        assertClose(io.outputs().get(0), got[0], 1e-5);
    }
}
