package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.Fixtures;
import dev.graft.format.Json;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import dev.graft.testutil.StoredPredictions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A GRU with {@code return_state=True} (DL4J's import and graft's GRU refused it: "unsupported return_state=True"):
 * its state is its last output, so a layer reading the state computes on exactly what Keras stored as the GRU's
 * output. Checked on the zoo's gru_default (Keras 3.15.1), with its GRU returning its state into a linear Activation.
 */
class GruReturnStateTest {
    @Test
    void theStateOfAGruIsItsLastOutput() {
        StoredPredictions stored = StoredPredictions.read(Fixtures.file("keras3-zoo/gru_default_inputs_and_outputs.h5"));
        ModelGraph model = withStateRead(ModelFiles.read(Fixtures.file("keras3-zoo/gru_default.keras")), false);
        assertEquals(null, Computability.whyNot(model.layer(gru(model).name()), model, dev.graft.shape.GraphShapes.infer(model)));
        HostArray got = EngineModel.ofKeras(model).predict(stored.inputs().get(0))[0];
        assertClose(stored.outputs().get(0), got, 1e-5);
    }

    @Test
    void aGruReturningSequencesAndItsStateIsRefused() {
        ModelGraph model = withStateRead(ModelFiles.read(Fixtures.file("keras3-zoo/gru_default.keras")), true);
        EngineException e = assertThrows(EngineException.class, () -> EngineModel.ofKeras(model));
        assertTrue(e.getMessage().startsWith("layer 'gru' (GRU): argument return_state=true is not computed by graft"), e.getMessage());
    }

    private static Layer gru(ModelGraph model) {
        return model.layers().stream().filter(l -> "GRU".equals(l.className())).findFirst().orElseThrow();
    }

    /** The model with its GRU returning its state, read by a linear Activation that becomes the model's output. */
    private static ModelGraph withStateRead(ModelGraph model, boolean sequences) {
        Layer gru = gru(model);
        ObjectNode c = gru.config().deepCopy();
        c.put("return_state", true);
        if (sequences) c.put("return_sequences", true);
        ObjectNode id = Json.object();
        id.put("name", "state");
        id.put("activation", "linear");
        List<Layer> layers = new ArrayList<>();
        for (Layer l : model.layers()) layers.add(l == gru ? l.withConfig(c) : l);
        layers.add(new Layer("state", "Activation", id, List.of(new LayerCall(List.of(new TensorRef(gru.name(), 0, 1)), Json.object())),
                List.of(), null));
        return model.withLayers(layers, model.inputs(), List.of(TensorRef.of("state")));
    }
}
