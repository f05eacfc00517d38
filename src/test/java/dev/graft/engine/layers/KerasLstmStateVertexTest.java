package dev.graft.engine.layers;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static dev.graft.engine.layers.GruNets.random;
import static dev.graft.engine.layers.LstmStateNets.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The LSTM state vertex computes Keras's LSTM: by hand on a one-unit example, and against a scalar reference. */
class KerasLstmStateVertexTest {

    private static final DoubleUnaryOperator TANH = Math::tanh;
    private static final DoubleUnaryOperator SIGMOID = v -> 1.0 / (1.0 + Math.exp(-v));
    private static final DoubleUnaryOperator HARD_K2 = v -> Math.max(0.0, Math.min(1.0, 0.2 * v + 0.5));
    private static final DoubleUnaryOperator HARD_K3 = v -> Math.max(0.0, Math.min(1.0, v / 6.0 + 0.5));
    private static final DoubleUnaryOperator RELU = v -> Math.max(0.0, v);

    // One feature, one unit; gate order i, f, c, o.
    private static final double[][] W = {{0.5, -0.3, 0.8, 0.2}};
    private static final double[][] U = {{0.1, 0.4, -0.6, 0.3}};
    private static final double[] B = {0.05, 1.0, -0.1, 0.2};

    /**
     * x = (1, −2), h0 = 0.3, c0 = −0.5. Step 1: z = x·W + h0·U + b = (0.58, 0.82, 0.52, 0.49), so
     * i = σ(0.58) = 0.641067, f = σ(0.82) = 0.694236, g = tanh(0.52) = 0.477700, o = σ(0.49) = 0.620106,
     * c1 = f·c0 + i·g = −0.0408803, h1 = o·tanh(c1) = −0.0253360. Step 2: z = (−0.952534, 1.589866, −1.684798,
     * −0.207601), c2 = 0.830597·c1 + 0.278376·(−0.933481) = −0.293813, h2 = 0.448285·tanh(c2) = −0.128049.
     */
    @Test
    void oneUnitByHandWithInitialStateAndReturnState() {
        ComputationGraph net = LstmStateNets.single(LstmStateNets.spec(1, true, true, true, false), 1, 2, W, U, B);
        INDArray x = Nd4j.create(new double[]{1.0, -2.0}, 1, 2, 1);
        INDArray[] out = net.output(false, x, Nd4j.create(new double[][]{{0.3}}), Nd4j.create(new double[][]{{-0.5}}));
        assertArrayEquals(new long[]{1, 2, 1}, out[0].shape());
        assertArrayEquals(new long[]{1, 1}, out[1].shape());
        assertArrayEquals(new long[]{1, 1}, out[2].shape());
        assertEquals(-0.025336001340784804, out[0].getDouble(0, 0, 0), 1e-12);
        assertEquals(-0.1280486649952646, out[0].getDouble(0, 1, 0), 1e-12);
        assertEquals(-0.1280486649952646, out[1].getDouble(0, 0), 1e-12);   // h = last output
        assertEquals(-0.29381347367356386, out[2].getDouble(0, 0), 1e-12);  // c
    }

    /** The same numbers without an initial state given: a state of zeros, i.e. z = x·W + b at step 1. */
    @Test
    void oneUnitByHandFromZeroStateReturningStateOnly() {
        ComputationGraph net = LstmStateNets.single(LstmStateNets.spec(1, false, true, false, false), 1, 1, W, U, B);
        INDArray[] out = net.output(false, Nd4j.create(new double[]{1.0}, 1, 1, 1));
        // z = (0.55, 0.7, 0.7, 0.4); c = σ(0.55)·tanh(0.7); h = σ(0.4)·tanh(c)
        double c = 0.6341355910108007 * 0.6043677771171636;
        double h = 0.598687660112452 * Math.tanh(c);
        assertArrayEquals(new long[]{1, 1}, out[0].shape());
        assertEquals(h, out[0].getDouble(0, 0), 1e-12);
        assertEquals(h, out[1].getDouble(0, 0), 1e-12);
        assertEquals(c, out[2].getDouble(0, 0), 1e-12);
    }

    @Test
    void initialStateOnlyGivesTheOutputDirectly() {
        ComputationGraph net = LstmStateNets.single(LstmStateNets.spec(1, false, false, true, false), 1, 2, W, U, B);
        INDArray[] out = net.output(false, Nd4j.create(new double[]{1.0, -2.0}, 1, 2, 1),
                Nd4j.create(new double[][]{{0.3}}), Nd4j.create(new double[][]{{-0.5}}));
        assertEquals(1, out.length);
        assertArrayEquals(new long[]{1, 1}, out[0].shape());
        assertEquals(-0.1280486649952646, out[0].getDouble(0, 0), 1e-12);
    }

    @Test
    void matchesTheReferenceInEveryConfiguration() {
        Random rnd = new Random(42);
        int nIn = 2, units = 3, steps = 5, batch = 3;
        GruActivation[][] acts = {
                {GruActivation.TANH, GruActivation.SIGMOID},
                {GruActivation.TANH, GruActivation.HARD_SIGMOID_KERAS2},
                {GruActivation.RELU, GruActivation.HARD_SIGMOID_KERAS3},
        };
        DoubleUnaryOperator[][] refActs = {{TANH, SIGMOID}, {TANH, HARD_K2}, {RELU, HARD_K3}};
        int cases = 0;
        for (int a = 0; a < acts.length; a++) {
            for (int flags = 0; flags < 16; flags++) {
                boolean seq = (flags & 1) != 0, state = (flags & 2) != 0, init = (flags & 4) != 0, back = (flags & 8) != 0;
                if (!state && !init) {
                    continue;   // a plain LSTM: DL4J's own layer computes it
                }
                boolean useBias = (flags + a) % 3 != 0;
                LstmSpec spec = new LstmSpec(units, useBias, acts[a][0], acts[a][1], seq, state, init, back, null,
                        LstmMaskedOutput.PREVIOUS);
                double[][] w = random(rnd, nIn, 4 * units, 1.0);
                double[][] u = random(rnd, units, 4 * units, 1.0);
                double[] b = useBias ? random(rnd, 1, 4 * units, 1.0)[0] : null;
                double[][][] x = random(rnd, batch, steps, nIn, 1.5);
                double[][] h0 = init ? random(rnd, batch, units, 1.0) : null;
                double[][] c0 = init ? random(rnd, batch, units, 1.0) : null;
                ReferenceLstm.Result ref = ReferenceLstm.run(x, w, u, b, h0, c0, null, ReferenceLstm.Masked.PREVIOUS,
                        refActs[a][0], refActs[a][1], seq, back);
                ComputationGraph net = LstmStateNets.single(spec, nIn, steps, w, u, b);
                INDArray[] out = init
                        ? net.output(false, Nd4j.create(x), Nd4j.create(h0), Nd4j.create(c0))
                        : net.output(false, Nd4j.create(x));
                String what = spec.toString();
                assertEquals(state ? 3 : 1, out.length, what);
                assertArrayEquals(seq ? new long[]{batch, steps, units} : new long[]{batch, units}, out[0].shape(), what);
                assertTrue(maxAbsDiff(out[0], ref.output(), seq) < 1e-12, what + " output");
                if (state) {
                    assertTrue(maxAbsDiff(out[1], ref.h()) < 1e-12, what + " h");
                    assertTrue(maxAbsDiff(out[2], ref.c()) < 1e-12, what + " c");
                }
                cases++;
            }
        }
        assertEquals(36, cases);
    }

    /** The graph is unrolled per step count: a later input with other steps must not reuse the first graph. */
    @Test
    void followsTheStepCountOfEachInput() {
        Random rnd = new Random(5);
        double[][] w = random(rnd, 1, 8, 1.0), u = random(rnd, 2, 8, 1.0);
        double[] b = random(rnd, 1, 8, 1.0)[0];
        LstmSpec spec = LstmStateNets.spec(2, true, true, false, false);
        ComputationGraph net = LstmStateNets.single(spec, 1, -1, w, u, b);
        for (int steps : new int[]{4, 7, 2}) {
            double[][][] x = random(rnd, 2, steps, 1, 1.0);
            ReferenceLstm.Result ref = ReferenceLstm.run(x, w, u, b, null, null, null, ReferenceLstm.Masked.PREVIOUS,
                    TANH, SIGMOID, true, false);
            INDArray[] out = net.output(false, Nd4j.create(x));
            assertArrayEquals(new long[]{2, steps, 2}, out[0].shape());
            assertTrue(maxAbsDiff(out[0], ref.output(), true) < 1e-12, steps + " steps");
            assertTrue(maxAbsDiff(out[2], ref.c()) < 1e-12, steps + " steps, c");
        }
    }

    /**
     * Steps whose features all equal the mask value leave the state unchanged; the output there is what the
     * Keras release gives (Keras 2.2's carried state, the previous output, or zeros).
     */
    @Test
    void masksStepsLikeKeras() {
        Random rnd = new Random(11);
        int nIn = 2, units = 3, steps = 6;
        double[][][] x = random(rnd, 3, steps, nIn, 1.0);
        // example 0: leading masked steps; 1: trailing; 2: one in the middle and the last
        int[][] maskedSteps = {{0, 1}, {4, 5}, {2, 5}};
        boolean[][] mask = new boolean[3][steps];
        for (int b = 0; b < 3; b++) {
            java.util.Arrays.fill(mask[b], true);
            for (int t : maskedSteps[b]) {
                mask[b][t] = false;
                x[b][t] = new double[nIn];
            }
        }
        double[][] w = random(rnd, nIn, 4 * units, 1.0), u = random(rnd, units, 4 * units, 1.0);
        double[] bias = random(rnd, 1, 4 * units, 1.0)[0];
        double[][] h0 = random(rnd, 3, units, 1.0), c0 = random(rnd, 3, units, 1.0);
        LstmMaskedOutput[] modes = LstmMaskedOutput.values();
        for (LstmMaskedOutput mode : modes) {
            for (boolean seq : new boolean[]{true, false}) {
                for (boolean back : new boolean[]{false, true}) {
                    LstmSpec spec = new LstmSpec(units, true, GruActivation.TANH, GruActivation.SIGMOID, seq, true, true,
                            back, 0.0, mode);
                    ReferenceLstm.Result ref = ReferenceLstm.run(x, w, u, bias, h0, c0, mask,
                            ReferenceLstm.Masked.valueOf(mode.name()), TANH, SIGMOID, seq, back);
                    INDArray[] out = LstmStateNets.single(spec, nIn, steps, w, u, bias)
                            .output(false, Nd4j.create(x), Nd4j.create(h0), Nd4j.create(c0));
                    String what = mode + (seq ? " sequences" : " last") + (back ? " backwards" : "");
                    assertTrue(maxAbsDiff(out[0], ref.output(), seq) < 1e-12, what + " output");
                    assertTrue(maxAbsDiff(out[1], ref.h()) < 1e-12, what + " h");
                    assertTrue(maxAbsDiff(out[2], ref.c()) < 1e-12, what + " c");
                }
            }
        }
    }

    /**
     * Long masked sequences in every mode, timed: SameDiff M2.1 walks a graph breadth-first without skipping
     * queued variables, so a step that reaches the previous one by two equally short paths costs 2^steps
     * (26 steps: minutes instead of a second).
     */
    @Test
    void longMaskedSequencesBuildInLinearTime() {
        Random rnd = new Random(13);
        int steps = 26;
        double[][][] x = random(rnd, 2, steps, 1, 1.0);
        boolean[][] mask = new boolean[2][steps];
        for (int t = 0; t < steps; t++) {
            mask[0][t] = t % 3 != 0;
            mask[1][t] = t >= 5;
            if (!mask[0][t]) x[0][t][0] = 0;
            if (!mask[1][t]) x[1][t][0] = 0;
        }
        double[][] w = random(rnd, 1, 8, 1.0), u = random(rnd, 2, 8, 1.0);
        double[] b = random(rnd, 1, 8, 1.0)[0];
        for (LstmMaskedOutput mode : LstmMaskedOutput.values()) {
            LstmSpec spec = new LstmSpec(2, true, GruActivation.TANH, GruActivation.SIGMOID, false, false, false,
                    false, 0.0, mode);
            ReferenceLstm.Result ref = ReferenceLstm.run(x, w, u, b, null, null, mask,
                    ReferenceLstm.Masked.valueOf(mode.name()), TANH, SIGMOID, false, false);
            INDArray[] out = org.junit.jupiter.api.Assertions.assertTimeout(java.time.Duration.ofSeconds(30),
                    () -> LstmStateNets.single(spec, 1, steps, w, u, b).output(false, Nd4j.create(x)), mode.name());
            assertTrue(maxAbsDiff(out[0], ref.output(), false) < 1e-12, mode.name());
        }
    }

    /** A sequence arriving channels first ([batch, features, steps], as DL4J's own layers may give it) is read as such. */
    @Test
    void readsChannelsFirstSequences() {
        Random rnd = new Random(21);
        int nIn = 2, units = 3, steps = 4;
        double[][][] x = random(rnd, 2, steps, nIn, 1.0);
        x[1][3] = new double[nIn];   // masked last step of example 1
        double[][] w = random(rnd, nIn, 4 * units, 1.0), u = random(rnd, units, 4 * units, 1.0);
        double[] b = random(rnd, 1, 4 * units, 1.0)[0];
        double[][] h0 = random(rnd, 2, units, 1.0), c0 = random(rnd, 2, units, 1.0);
        boolean[][] mask = {{true, true, true, true}, {true, true, true, false}};
        LstmSpec spec = new LstmSpec(units, true, GruActivation.TANH, GruActivation.SIGMOID, true, true, true, true, 0.0,
                LstmMaskedOutput.ZERO);
        ReferenceLstm.Result ref = ReferenceLstm.run(x, w, u, b, h0, c0, mask, ReferenceLstm.Masked.ZERO, TANH, SIGMOID,
                true, true);
        KerasLstmStateVertex v = new KerasLstmStateVertex(spec, nIn);
        v.setInputFormat(org.deeplearning4j.nn.conf.RNNFormat.NCW);
        java.util.Map<String, INDArray> values = new java.util.HashMap<>();
        values.put(KerasLstmStateVertex.KERNEL, Nd4j.create(w));
        values.put(KerasLstmStateVertex.RECURRENT_KERNEL, Nd4j.create(u));
        values.put(KerasLstmStateVertex.BIAS, Nd4j.create(new double[][]{b}));
        v.setInitialValues(values);
        ComputationGraph net = new ComputationGraph(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .dataType(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .graphBuilder()
                .addInputs("x", "h0", "c0")
                .addVertex("lstm", v, "x", "h0", "c0")
                .addVertex("out", new LstmStatePartVertex(LstmStatePartVertex.Part.OUTPUT, true), "lstm")
                .addVertex("c", new LstmStatePartVertex(LstmStatePartVertex.Part.C, true), "lstm")
                .setOutputs("out", "c")
                .build());
        net.init();
        INDArray[] out = net.output(false, Nd4j.create(x).permute(0, 2, 1).dup('c'), Nd4j.create(h0), Nd4j.create(c0));
        assertArrayEquals(new long[]{2, steps, units}, out[0].shape());   // Keras's NWC out
        assertTrue(maxAbsDiff(out[0], ref.output(), true) < 1e-12, "output");
        assertTrue(maxAbsDiff(out[1], ref.c()) < 1e-12, "c");
    }
}
