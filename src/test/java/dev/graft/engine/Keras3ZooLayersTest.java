package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Keras 3 zoo cases of the layers and activations graft computes with its own engine code (issue 12) reproduce
 * the predictions Keras stored, from the case's {@code .keras} and its {@code .h5} alike; the cases graft does not
 * compute are refused with one line naming the layer. Cases are picked from the zoo's MANIFEST.tsv by name prefix.
 */
class Keras3ZooLayersTest {
    /** Zoo cases computed, by name prefix, with their tolerance. */
    private static final Map<String, Double> COMPUTED = Map.ofEntries(
            Map.entry("activation_", 1e-5),
            Map.entry("dense_act_", 1e-5),
            Map.entry("rescaling_", 1e-5),
            Map.entry("identity", 1e-5),
            Map.entry("layernorm_", 1e-5),
            Map.entry("rmsnorm_", 1e-5),
            Map.entry("mha_", 1e-4),
            Map.entry("transformer_", 1e-4),
            Map.entry("unitnorm_", 1e-5),
            Map.entry("centercrop_", 1e-5),
            Map.entry("minimum_", 1e-5),
            Map.entry("normalization_", 1e-5),
            Map.entry("attention_", 1e-4),
            Map.entry("additive_", 1e-4),
            Map.entry("bidi_", 1e-4),
            Map.entry("td_", 1e-4));
    /** Zoo cases refused, with what the refusal says. */
    private static final Map<String, String> REFUSED = Map.of(
            "activation_glu", "layer 'activation' uses activation 'glu', which graft does not compute",
            "mha_attention_mask", "layer 'multi_head_attention' (MultiHeadAttention) takes 3 tensors (a key or an attention_mask besides query and value)",
            "mha_self_dropout_scores", "layer 'multi_head_attention' (MultiHeadAttention) is called with return_attention_scores=True",
            "attention_scores", "layer 'attention' (Attention) is called with return_attention_scores=True",
            "bidi_lstm_backward_layer", "layer 'bidirectional' (Bidirectional): argument backward_layer=");

    static Stream<Arguments> computed() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String name : caseNames()) {
            if (REFUSED.containsKey(name)) continue;
            for (Map.Entry<String, Double> e : COMPUTED.entrySet()) {
                if (!name.startsWith(e.getKey())) continue;
                for (String ext : List.of(".keras", ".h5")) {
                    Path model = zoo().resolve(name + ext);
                    if (Files.exists(model)) out.add(Arguments.of(name + ext, model, e.getValue()));
                }
            }
        }
        return out.stream();
    }

    static Stream<Arguments> refused() {
        return REFUSED.entrySet().stream().flatMap(e -> Stream.of(".keras", ".h5")
                .map(ext -> zoo().resolve(e.getKey() + ext)).filter(Files::exists)
                .map(p -> Arguments.of(p.getFileName().toString(), p, REFUSED.get(e.getKey()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("computed")
    void reproducesKerasPredictions(String name, Path model, double tolerance) {
        String stem = name.substring(0, name.lastIndexOf('.'));
        StoredPredictions stored = StoredPredictions.read(zoo().resolve(stem + "_inputs_and_outputs.h5"));
        EngineModel engine = EngineModel.ofKeras(ModelFiles.read(model));
        HostArray[] y = engine.predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(stored.outputs().size(), y.length);
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], tolerance);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWhatItDoesNotCompute(String name, Path model, String why) {
        EngineException e = assertThrows(EngineException.class, () -> EngineModel.ofKeras(ModelFiles.read(model)));
        assertTrue(e.getMessage().startsWith(why), e.getMessage());
    }

    /** Keras's MultiHeadAttention applies a mask made upstream (here a Masking layer) without being asked: refused, not ignored. */
    @org.junit.jupiter.api.Test
    void attentionAfterAMaskIsRefused() {
        dev.graft.model.ModelGraph block = ModelFiles.read(zoo().resolve("transformer_postnorm_relu.keras"));
        com.fasterxml.jackson.databind.node.ObjectNode mc = dev.graft.format.Json.object();
        mc.put("name", "masking");
        mc.put("mask_value", 0.0);
        dev.graft.model.Layer masking = new dev.graft.model.Layer("masking", "Masking", mc,
                List.of(new dev.graft.model.LayerCall(List.of(dev.graft.model.TensorRef.of("x")), dev.graft.format.Json.object())), List.of(), null);
        List<dev.graft.model.Layer> layers = new ArrayList<>();
        for (dev.graft.model.Layer l : block.layers()) {
            if (l.className().equals("MultiHeadAttention")) {
                layers.add(masking);
                dev.graft.model.TensorRef m = dev.graft.model.TensorRef.of("masking");
                l = new dev.graft.model.Layer(l.name(), l.className(), l.config(),
                        List.of(new dev.graft.model.LayerCall(List.of(m, m), l.calls().get(0).kwargs())), l.weights(), null);
            }
            layers.add(l);
        }
        dev.graft.model.ModelGraph masked = block.withLayers(layers, block.inputs(), block.outputs());
        EngineException e = assertThrows(EngineException.class, () -> EngineModel.ofKeras(masked));
        assertEquals("layer 'multi_head_attention' (MultiHeadAttention) would apply the Keras mask this model makes (Masking, or an Embedding "
                + "with mask_zero), which graft's MultiHeadAttention does not; graft cannot compute this model", e.getMessage());
    }

    private static Path zoo() {
        return Fixtures.file("keras3-zoo");
    }

    private static List<String> caseNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(zoo().resolve("MANIFEST.tsv"))) {
            String name = line.split("\t")[0];
            if (!name.equals("name")) names.add(name);
        }
        return names;
    }
}
