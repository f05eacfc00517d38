package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.Fixtures;
import dev.graft.format.ModelFiles;
import dev.graft.format.dl4j.Dl4jNetworks;
import dev.graft.format.dl4j.Dl4jZipWriter;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Keras 2.2.0 model, Masking(mask_value=2.0) → LSTM(32) returning its last step, input (None, 10, 42):
 * the Masking layer reads the model's input, which DL4J's stock import of Masking could not run (see
 * {@link dev.graft.engine.keras.KerasMaskingImport}). Checked through {@link EngineModel#predict} (what
 * {@code graft predict} runs) against Keras's equations computed here in plain Java from the weights graft reads:
 * a step whose features all equal the mask value leaves h and c unchanged, and the output is the state after the
 * last unmasked step.
 */
class MaskingLstmTest {
    private static final String FIXTURE = "keras/models/examples__masking__masking_two_lstm.h5";
    private static final int STEPS = 10;
    private static final int FEATURES = 42;

    @Test
    void matchesKerasWithoutMaskedSteps() {
        ModelGraph model = ModelFiles.read(Fixtures.file(FIXTURE));
        Reference ref = new Reference(model);
        Random rnd = new Random(11);
        float[][][] x = new float[4][STEPS][FEATURES];
        for (float[][] row : x) fill(row, 0, STEPS, rnd);
        // Some features equal to the mask value, never a whole step: nothing is masked.
        x[1][3][0] = (float) ref.maskValue;
        x[2][9][5] = (float) ref.maskValue;
        check(model, ref, x);
    }

    @Test
    void matchesKerasWithFullyMaskedSteps() {
        ModelGraph model = ModelFiles.read(Fixtures.file(FIXTURE));
        Reference ref = new Reference(model);
        Random rnd = new Random(12);
        float[][][] x = new float[6][STEPS][FEATURES];
        for (float[][] row : x) fill(row, 0, STEPS, rnd);
        mask(x[0], 7, STEPS, ref);         // tail
        mask(x[1], 1, STEPS, ref);         // all but the first step
        mask(x[2], 0, 4, ref);             // head
        mask(x[3], 3, 5, ref);             // inside
        mask(x[3], 8, STEPS, ref);         // and tail
        mask(x[4], 0, STEPS, ref);         // everything: the initial (zero) state
        x[5][9][0] = (float) ref.maskValue; // unmasked, for comparison

        double[][] expected = check(model, ref, x);
        // The masking is what the reference says it is: ignoring it changes the tail-masked row's output.
        double[] unmasked = ref.run(x[0], false);
        assertTrue(maxDiff(expected[0], unmasked) > 1e-3, "masked steps should have changed the output");
        assertEquals(0.0, Arrays.stream(expected[4]).map(Math::abs).max().orElseThrow(), 0.0);
    }

    /** The network graft built keeps DL4J classes only: it survives a DL4J zip, outputs bit for bit. */
    @Test
    void survivesADl4jZip(@TempDir Path dir) {
        ModelGraph model = ModelFiles.read(Fixtures.file(FIXTURE));
        Reference ref = new Reference(model);
        float[][][] x = new float[2][STEPS][FEATURES];
        Random rnd = new Random(13);
        for (float[][] row : x) fill(row, 0, STEPS, rnd);
        mask(x[0], 6, STEPS, ref);
        ComputationGraph net = KerasEngine.build(model);
        INDArray in = Nd4j.create(x);
        INDArray before = net.output(false, in)[0];
        Path zip = dir.resolve("masking.zip");
        Dl4jZipWriter.write(net, zip);
        ComputationGraph restored = Dl4jNetworks.restore(zip);
        assertEquals(net.getConfiguration().toJson(), restored.getConfiguration().toJson());
        assertEquals(before, restored.output(false, in)[0]);
    }

    private static double[][] check(ModelGraph model, Reference ref, float[][][] x) {
        int batch = x.length;
        float[] flat = new float[batch * STEPS * FEATURES];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < STEPS; t++) System.arraycopy(x[b][t], 0, flat, (b * STEPS + t) * FEATURES, FEATURES);
        }
        HostArray[] out = EngineModel.ofKeras(model).predict(HostArray.ofFloats(new long[]{batch, STEPS, FEATURES}, flat));
        assertEquals(1, out.length);
        assertArrayEquals(new long[]{batch, ref.units}, out[0].shape());
        double[][] expected = new double[batch][];
        double max = 0;
        for (int b = 0; b < batch; b++) {
            expected[b] = ref.run(x[b], true);
            for (int j = 0; j < ref.units; j++) max = Math.max(max, Math.abs(out[0].getDouble((long) b * ref.units + j) - expected[b][j]));
        }
        System.out.printf("masking_two_lstm: max |graft - reference| = %.3g over %d samples%n", max, batch);
        assertTrue(max < 1e-5, "max abs difference to the reference " + max);
        return expected;
    }

    private static void fill(float[][] row, int from, int to, Random rnd) {
        for (int t = from; t < to; t++) for (int f = 0; f < FEATURES; f++) row[t][f] = (float) (rnd.nextDouble() * 2 - 1);
    }

    private static void mask(float[][] row, int from, int to, Reference ref) {
        for (int t = from; t < to; t++) Arrays.fill(row[t], (float) ref.maskValue);
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    /** Keras 2.2.0's LSTM after Masking, from the file's weights and config (gate order i, f, c, o). */
    static final class Reference {
        final double maskValue;
        final int units;
        private final double[][] kernel, recurrent;
        private final double[] bias;
        private final String activation, recurrentActivation;

        Reference(ModelGraph m) {
            Layer masking = only(m, "Masking");
            Layer lstm = only(m, "LSTM");
            ObjectNode c = lstm.config();
            assertEquals("2.2.0", m.source().producerVersion(), "the reference is Keras 2's (hard_sigmoid)");
            assertTrue(!c.path("return_sequences").asBoolean() && !c.path("go_backwards").asBoolean()
                    && c.path("use_bias").asBoolean(true), "reference written for a forward last-step LSTM with bias");
            maskValue = masking.config().path("mask_value").asDouble(0.0);
            units = c.path("units").asInt();
            activation = c.path("activation").asText();
            recurrentActivation = c.path("recurrent_activation").asText();
            kernel = matrix(weight(lstm, "kernel"));
            recurrent = matrix(weight(lstm, "recurrent_kernel"));
            bias = vector(weight(lstm, "bias"));
            assertEquals(4 * units, bias.length);
        }

        /** The output for one sample {@code [steps][features]}; with {@code masking} false, every step counts. */
        double[] run(float[][] x, boolean masking) {
            double[] h = new double[units], c = new double[units];
            for (float[] step : x) {
                boolean masked = true;
                for (float v : step) masked &= v == (float) maskValue;
                if (masking && masked) continue;   // the state is carried over unchanged
                double[] z = bias.clone();
                for (int j = 0; j < 4 * units; j++) {
                    for (int f = 0; f < step.length; f++) z[j] += step[f] * kernel[f][j];
                    for (int f = 0; f < units; f++) z[j] += h[f] * recurrent[f][j];
                }
                double[] h2 = new double[units], c2 = new double[units];
                for (int j = 0; j < units; j++) {
                    double i = apply(recurrentActivation, z[j]);
                    double fg = apply(recurrentActivation, z[units + j]);
                    double o = apply(recurrentActivation, z[3 * units + j]);
                    c2[j] = fg * c[j] + i * apply(activation, z[2 * units + j]);
                    h2[j] = o * apply(activation, c2[j]);
                }
                h = h2;
                c = c2;
            }
            return h;
        }

        private static double apply(String name, double v) {
            switch (name) {
                case "hard_sigmoid": return Math.max(0, Math.min(1, 0.2 * v + 0.5));   // Keras 2
                case "sigmoid": return 1 / (1 + Math.exp(-v));
                case "tanh": return Math.tanh(v);
                default: throw new AssertionError("reference has no activation " + name);
            }
        }

        private static Layer only(ModelGraph m, String className) {
            List<Layer> found = new ArrayList<>();
            for (Layer l : m.layers()) if (l.className().equals(className)) found.add(l);
            assertEquals(1, found.size(), "layers of class " + className);
            return found.get(0);
        }

        private static HostArray weight(Layer l, String role) {
            for (Weight w : l.weights()) if (w.role().equals(role)) return w.read();
            throw new AssertionError("no " + role + " in " + l.name());
        }

        private static double[][] matrix(HostArray a) {
            long[] s = a.shape();
            double[][] m = new double[(int) s[0]][(int) s[1]];
            for (int r = 0; r < s[0]; r++) for (int c = 0; c < s[1]; c++) m[r][c] = a.getDouble(r * s[1] + c);
            return m;
        }

        private static double[] vector(HostArray a) {
            double[] v = new double[(int) a.size()];
            for (int i = 0; i < v.length; i++) v[i] = a.getDouble(i);
            return v;
        }
    }
}
