package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.graft.Fixtures;
import dev.graft.GraftException;
import dev.graft.format.Json;
import dev.graft.format.ModelFiles;
import dev.graft.format.hdf5.H5File;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Keras 3 layer zoo ({@code keras3-zoo}, 235 cases saved by Keras 3.15.1 as .keras and .h5 with
 * the predictions Keras computed): every file either reproduces Keras's predictions or is refused
 * with one line naming the layer and the reason. A run that completes with different numbers, or
 * fails with anything but a refusal, fails this test. The counts are printed at the end.
 */
class KerasZooTest {
    /** Recurrent, attention and composite models accumulate float32 rounding over steps and heads. */
    private static final Set<String> LOOSE = Set.of("LSTM", "GRU", "SimpleRNN", "Bidirectional", "StackedRNN", "ConvLSTM1D",
            "ConvLSTM2D", "TimeDistributed", "MultiHeadAttention", "Attention", "AdditiveAttention", "GroupQueryAttention",
            "TransformerBlock");
    /**
     * Stored outputs computed by Keras's torch backend where it differs from TensorFlow's (the zoo's README):
     * graft computes TensorFlow's definition, so these are checked against it elsewhere, not against the file.
     */
    private static final Set<String> TORCH_BACKEND_SPECIFIC = Set.of("averagepool2d_3_s2_same", "resizing_bicubic");

    private static final Map<String, String> RESULTS = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Path io : Fixtures.files("keras3-zoo", p -> p.toString().endsWith("_inputs_and_outputs.h5"))) {
            String name = io.getFileName().toString().replace("_inputs_and_outputs.h5", "");
            for (String ext : List.of(".keras", ".h5")) {
                Path model = io.resolveSibling(name + ext);
                if (Files.exists(model)) out.add(Arguments.of(name + ext, model, io));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKerasOrRefuses(String name, Path model, Path io) {
        StoredPredictions stored = StoredPredictions.read(io);
        String layerClass = layerClass(io);
        double tol = LOOSE.contains(layerClass) || layerClass.startsWith("Composite") ? 1e-4 : 1e-5;
        String caseName = name.substring(0, name.lastIndexOf('.'));
        if (TORCH_BACKEND_SPECIFIC.contains(caseName)) {
            HostArray tf = caseName.equals("resizing_bicubic") ? BicubicReference.tensorFlow(stored.inputs().get(0), 5, 5)
                    : TensorFlowAveragePooling.same3x3Stride2(stored.inputs().get(0));
            stored = new StoredPredictions(stored.inputNames(), stored.inputs(), stored.outputNames(), List.of(tf));
        }
        HostArray[] got;
        dev.graft.model.ModelGraph graph;
        try {
            graph = ModelFiles.read(model);
        } catch (GraftException e) {
            // Not a layer's problem: the file itself (one line naming it, as for any unreadable file).
            RESULTS.put(name, "refused: " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "a refusal is one line: " + e.getMessage());
            return;
        }
        try {
            EngineModel engine = EngineModel.ofKeras(graph);
            got = engine.predict(stored.inputs().toArray(HostArray[]::new));
        } catch (GraftException e) {
            String line = e.getMessage();
            RESULTS.put(name, "refused: " + line);
            // computable means it computes: what the engine refuses, inspect marks as not computable
            assertFalse(ComputableMeansComputesTest.inspectCallsComputable(graph), "inspect calls it computable, but: " + line);
            assertFalse(line.contains("\n"), "a refusal is one line: " + line);
            assertTrue(line.matches("(?s).*layer '[^'?]+'.*"), "a refusal names the layer: " + line);
            return;
        } catch (RuntimeException | Error e) {
            RESULTS.put(name, "INTERNAL: " + e);
            throw e;
        }
        assertEquals(stored.outputs().size(), got.length, "outputs");
        for (int o = 0; o < got.length; o++) {
            HostArray want = stored.outputs().get(o);
            if (!Arrays.equals(want.shape(), got[o].shape())) {
                RESULTS.put(name, "WRONG: shape " + Arrays.toString(got[o].shape()) + " vs " + Arrays.toString(want.shape()));
                fail("output " + o + " has shape " + Arrays.toString(got[o].shape()) + ", Keras " + Arrays.toString(want.shape()));
            }
            double worst = 0;
            for (long i = 0; i < want.size(); i++) {
                double d = Math.abs(want.getDouble(i) - got[o].getDouble(i));
                if (!(d <= worst)) worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
            if (worst > tol) {
                RESULTS.put(name, "WRONG: max abs difference " + worst);
                fail("output " + o + ": max abs difference " + worst + " > " + tol);
            }
        }
        RESULTS.put(name, "matched");
    }

    @AfterAll
    static void report() {
        Map<String, Integer> counts = new TreeMap<>();
        StringBuilder detail = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(RESULTS).entrySet()) {
            String kind = e.getValue().split(":")[0];
            counts.merge(kind, 1, Integer::sum);
            if (!kind.equals("matched")) detail.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        System.out.println("keras3-zoo: " + counts + "\n" + detail);
    }

    private static String layerClass(Path io) {
        try (H5File h = H5File.openReadOnly(io)) {
            return Json.parse(h.stringAttribute("case")).path("layer_class").asText("");
        }
    }
}
