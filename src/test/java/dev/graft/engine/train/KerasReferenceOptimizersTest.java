package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.format.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * graft's optimizers against real Keras 3.15.1's own {@code apply_gradients}: the same variables, the
 * same three steps of gradients, the variables after every step (src/test/resources/keras-reference,
 * made by bench/keras_reference.py in the Keras oracle). Keras's clipping and weight decay, then the
 * update rule, as graft's training runs them.
 */
class KerasReferenceOptimizersTest {
    static final JsonNode REF = read();

    static JsonNode read() {
        try {
            return Json.parse(Files.readString(Path.of("src/test/resources/keras-reference/optimizers.json")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<JsonNode> cases() {
        return StreamSupport.stream(REF.get("cases").spliterator(), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void threeStepsAsKerasTakesThem(JsonNode c) {
        Map<String, String> args = new LinkedHashMap<>();
        c.get("args").fields().forEachRemaining(e -> args.put(e.getKey(), e.getValue().asText()));
        OptimizerSettings settings = OptimizerSettings.resolve(OptimizerKind.parse(c.get("optimizer").asText()), null, null, args, "test");
        KerasUpdater config = KerasUpdater.of(settings);
        List<INDArray> vars = new ArrayList<>();
        List<GradientUpdater> updaters = new ArrayList<>();
        for (JsonNode v : REF.get("initial")) {
            INDArray var = Nd4j.create(doubles(v)).castTo(DataType.FLOAT);
            vars.add(var);
            long state = config.stateSize(var.length());
            updaters.add(config.instantiate(state == 0 ? null : Nd4j.zeros(DataType.FLOAT, 1, state), true));
        }
        for (int step = 0; step < 3; step++) {
            List<INDArray> grads = new ArrayList<>();
            for (JsonNode g : REF.get("gradients").get(step)) grads.add(Nd4j.create(doubles(g)).castTo(DataType.FLOAT));
            KerasGradientHooks.clip(settings, grads, 1);
            KerasGradientHooks.decay(settings, vars);
            for (int k = 0; k < vars.size(); k++) {
                INDArray update = grads.get(k).reshape(1, grads.get(k).length()).dup();
                updaters.get(k).applyUpdater(update, step, 0);
                vars.get(k).subi(update.reshape(vars.get(k).length()));
            }
            for (int k = 0; k < vars.size(); k++) {
                double[] want = doubles(c.get("after").get(step).get(k));
                double[] got = vars.get(k).castTo(DataType.DOUBLE).toDoubleVector();
                double[] before = doubles(step == 0 ? REF.get("initial").get(k) : c.get("after").get(step - 1).get(k));
                double scale = 0, stepSize = 0, err = 0;
                for (int i = 0; i < want.length; i++) {
                    scale = Math.max(scale, Math.abs(want[i]));
                    stepSize = Math.max(stepSize, Math.abs(want[i] - before[i]));
                    err = Math.max(err, Math.abs(got[i] - want[i]));
                }
                assertTrue(err <= 1e-6 * scale, c.get("optimizer") + " " + c.get("args") + " step " + (step + 1) + " variable " + k
                        + ": max |graft - keras| " + err + " for values up to " + scale + " (Keras's step up to " + stepSize + ")");
            }
        }
    }

    /** The same steps by the optimizers graft's plain-Java training step computes on heap arrays ({@link KerasUpdaterStep.Floats}). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void threeStepsOnHeapArraysAsKerasTakesThem(JsonNode c) {
        Map<String, String> args = new LinkedHashMap<>();
        c.get("args").fields().forEachRemaining(e -> args.put(e.getKey(), e.getValue().asText()));
        OptimizerSettings settings = OptimizerSettings.resolve(OptimizerKind.parse(c.get("optimizer").asText()), null, null, args, "test");
        KerasUpdater config = KerasUpdater.of(settings);
        org.junit.jupiter.api.Assumptions.assumeTrue(KerasUpdaterStep.Floats.computes(config), "computed by the engine's step only");
        List<INDArray> vars = new ArrayList<>();
        List<KerasUpdaterStep.Floats> updaters = new ArrayList<>();
        for (JsonNode v : REF.get("initial")) {
            INDArray var = Nd4j.create(doubles(v)).castTo(DataType.FLOAT);
            vars.add(var);
            updaters.add(new KerasUpdaterStep.Floats(config, (int) var.length()));
        }
        for (int step = 0; step < 3; step++) {
            List<INDArray> grads = new ArrayList<>();
            for (JsonNode g : REF.get("gradients").get(step)) grads.add(Nd4j.create(doubles(g)).castTo(DataType.FLOAT));
            KerasGradientHooks.clip(settings, grads, 1);
            KerasGradientHooks.decay(settings, vars);
            for (int k = 0; k < vars.size(); k++) {
                float[] update = grads.get(k).dup('c').data().asFloat();
                updaters.get(k).update(update, step);
                vars.get(k).subi(Nd4j.create(update, vars.get(k).shape(), 'c'));
            }
            for (int k = 0; k < vars.size(); k++) {
                double[] want = doubles(c.get("after").get(step).get(k));
                double[] got = vars.get(k).castTo(DataType.DOUBLE).toDoubleVector();
                double scale = 0, err = 0;
                for (int i = 0; i < want.length; i++) {
                    scale = Math.max(scale, Math.abs(want[i]));
                    err = Math.max(err, Math.abs(got[i] - want[i]));
                }
                assertTrue(err <= 1e-6 * scale, c.get("optimizer") + " " + c.get("args") + " step " + (step + 1) + " variable " + k
                        + ": max |graft - keras| " + err + " for values up to " + scale);
            }
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).asDouble();
        return d;
    }
}
