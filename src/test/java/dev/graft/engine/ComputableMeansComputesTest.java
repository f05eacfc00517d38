package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.GraftException;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.shape.GraphShapes;
import dev.graft.testutil.GeneratedInputs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code computable} means it computes: every Keras model file in every fixture folder that {@code inspect} calls
 * computable (no layer with a reason not to be) builds on the engine and predicts random inputs of its declared
 * shapes (one sample, open dimensions set to 12). A model that fails there is listed with the failure; the test
 * fails when any does.
 */
class ComputableMeansComputesTest {
    /** The zoo is {@link KerasZooTest}'s: it checks there that whatever the engine refuses, inspect marks. */
    private static final List<String> FOLDERS = List.of("keras", "wild", "keras3-seed");

    /**
     * Known exceptions, each refused by the engine with the layer named but not foreseen by inspect: listed here so
     * that a new one fails the test (none today; the Keras 1 CNN keras__simple__cnn_tf_model was one until the engine
     * computed Keras 1 models as their Keras 2 upgrade).
     */
    private static final java.util.Set<String> KNOWN = java.util.Set.of();
    /** Large models cost seconds each to build and say nothing the small ones do not; the suite must stay fast. */
    private static final long MAX_PARAMETERS = 500_000;

    @Test
    void everyModelInspectCallsComputableComputes() {
        Map<String, String> failures = new TreeMap<>();
        int computable = 0;
        int refused = 0;
        int skipped = 0;
        for (String folder : FOLDERS) {
            for (Path file : Fixtures.files(folder, p -> Fixtures.isModel(p) && p.toString().matches(".*\\.(h5|hdf5|keras)$"))) {
                ModelGraph model;
                try {
                    model = ModelFiles.read(file);
                } catch (GraftException e) {
                    continue;
                }
                if (!inspectCallsComputable(model)) {
                    refused++;
                    continue;
                }
                String name = folder + "/" + file.getFileName();
                if (model.parameterCount() > MAX_PARAMETERS || KNOWN.contains(name)) {
                    skipped++;
                    continue;
                }
                computable++;
                try {
                    EngineModel engine = EngineModel.ofKeras(model);
                    List<HostArray> inputs = randomInputs(model, engine);
                    if (inputs == null) continue;
                    HostArray[] out = engine.predict(inputs.toArray(HostArray[]::new));
                    for (HostArray o : out) {
                        for (long i = 0; i < o.size(); i++) {
                            if (Double.isNaN(o.getDouble(i))) {
                                failures.put(name, "NaN in the output");
                                break;
                            }
                        }
                    }
                } catch (GraftException e) {
                    failures.put(name, e.getMessage());
                } catch (RuntimeException | Error e) {
                    failures.put(name, "internal: " + e);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        failures.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        System.out.println("computable means computes: " + computable + " computable and computed, " + refused + " refused, " + skipped
                + " skipped (large or known), " + failures.size() + " failed\n" + sb);
        assertTrue(computable > 100, "too few computable models: " + computable);
        assertTrue(failures.isEmpty(), failures.size() + " models inspect calls computable fail to compute:\n" + sb);
    }

    /** What inspect shows: a model is computable when no layer (nested ones included) has a reason not to be. */
    static boolean inspectCallsComputable(ModelGraph model) {
        GraphShapes shapes = GraphShapes.infer(model);
        // A model saved before it was built has no input shape to compute with (inspect shows the problem).
        for (Layer layer : model.layers()) if (layer.isInput() && shapes.problem(layer.name()) != null) return false;
        for (Layer layer : model.layers()) {
            if (Computability.whyNot(layer, model, shapes) != null) return false;
            if (layer.nested() != null && !inspectCallsComputable(layer.nested())) return false;
        }
        return true;
    }

    /** Random inputs for the model's declared input shapes (open dimensions 12), or null when one has no known per-sample shape. */
    private static List<HostArray> randomInputs(ModelGraph model, EngineModel engine) {
        return GeneratedInputs.of(model, engine.inputShapes(), 1, 12, null);
    }
}
