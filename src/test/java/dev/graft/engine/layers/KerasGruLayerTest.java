package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasGruLayerTest {

    private static final double TOL = 1e-6;

    // A tiny case worked out by hand: input_dim 2, units 1, two steps, tanh / sigmoid.
    private static final double[][] W = {{0.5, -0.3, 0.8}, {0.1, 0.2, -0.4}};   // columns z, r, h
    private static final double[][] U = {{0.7, -0.6, 0.9}};
    private static final double[][][] X = {{{1.0, 2.0}, {-1.0, 0.5}}};

    /*
     * reset_after = true, bias rows b_in = [0.1, 0, -0.1], b_rec = [0.05, 0.2, 0.3]
     * step 1 (h = 0): x·W + b_in = [0.7+0.1, 0.1+0, 0.0-0.1] = [0.8, 0.1, -0.1]; h·U + b_rec = [0.05, 0.2, 0.3]
     *   z = σ(0.85) = 0.700567142474   r = σ(0.3) = 0.574442516812
     *   hh = tanh(-0.1 + r·0.3) = tanh(0.072332755) = 0.072206869505
     *   h1 = (1 − z)·hh = 0.021621109269
     * step 2: x·W + b_in = [-0.45+0.1, 0.4, -1.0-0.1] = [-0.35, 0.4, -1.1]
     *   h1·U + b_rec = [0.065134776, 0.187027334, 0.319458998]
     *   z = σ(-0.284865224) = 0.429261407498   r = σ(0.587027334) = 0.642682787876
     *   hh = tanh(-1.1 + r·0.319458998) = -0.713702099435
     *   h2 = z·h1 + (1 − z)·hh = -0.398056223901
     */
    private static final double[][] BIAS_AFTER = {{0.1, 0.0, -0.1}, {0.05, 0.2, 0.3}};
    private static final double[] H_AFTER = {0.021621109269, -0.398056223901};

    /*
     * reset_after = false, bias [0.1, 0, -0.1] (Keras shape (3,))
     * step 1 (h = 0): z = σ(0.8) = 0.689974481128, r = σ(0.1), hh = tanh(-0.1) = -0.099667994625
     *   h1 = (1 − z)·hh = -0.030899621749
     * step 2: z = σ(-0.35 + h1·0.7) = 0.408147278856   r = σ(0.4 + h1·(-0.6)) = 0.603133777634
     *   hh = tanh(-1.1 + (r·h1)·0.9) = -0.806443513187
     *   h2 = z·h1 + (1 − z)·hh = -0.489907384263
     */
    private static final double[][] BIAS_BEFORE = {{0.1, 0.0, -0.1}};
    private static final double[] H_BEFORE = {-0.030899621749, -0.489907384263};

    private static KerasGruLayer.Builder tiny(boolean resetAfter) {
        return new KerasGruLayer.Builder().nIn(2).units(1).resetAfter(resetAfter);
    }

    @Test
    void handComputedResetAfterAllSteps() {
        MultiLayerNetwork net = GruNets.single(tiny(true).returnSequences(true).build(), W, U, BIAS_AFTER);
        INDArray out = net.output(Nd4j.create(X));
        assertArrayEquals(new long[]{1, 2, 1}, out.shape());
        assertEquals(H_AFTER[0], out.getDouble(0, 0, 0), TOL);
        assertEquals(H_AFTER[1], out.getDouble(0, 1, 0), TOL);
    }

    @Test
    void handComputedResetAfterLastStep() {
        MultiLayerNetwork net = GruNets.single(tiny(true).build(), W, U, BIAS_AFTER);
        INDArray out = net.output(Nd4j.create(X));
        assertArrayEquals(new long[]{1, 1}, out.shape());
        assertEquals(H_AFTER[1], out.getDouble(0, 0), TOL);
    }

    @Test
    void handComputedResetBefore() {
        MultiLayerNetwork net = GruNets.single(tiny(false).returnSequences(true).build(), W, U, BIAS_BEFORE);
        INDArray out = net.output(Nd4j.create(X));
        assertEquals(H_BEFORE[0], out.getDouble(0, 0, 0), TOL);
        assertEquals(H_BEFORE[1], out.getDouble(0, 1, 0), TOL);
    }

    @Test
    void goBackwardsReadsFromTheEndAndReturnsProcessingOrder() {
        // Backwards over [x1, x2] is forwards over [x2, x1]; Keras returns the states in that processing order.
        double[][][] reversed = {{X[0][1], X[0][0]}};
        MultiLayerNetwork back = GruNets.single(tiny(true).returnSequences(true).goBackwards(true).build(), W, U, BIAS_AFTER);
        MultiLayerNetwork fwd = GruNets.single(tiny(true).returnSequences(true).build(), W, U, BIAS_AFTER);
        INDArray b = back.output(Nd4j.create(X));
        INDArray f = fwd.output(Nd4j.create(reversed));
        assertEquals(0.0, b.sub(f).amaxNumber().doubleValue(), 1e-12);
        assertTrue(Math.abs(b.getDouble(0, 1, 0) - H_AFTER[1]) > 0.01, "backwards must differ from forwards here");
    }

    @Test
    void maskedStepsKeepTheStateAsKerasDoes() {
        // Steps whose features all equal the mask value (0) are skipped: the state carries over, and the step
        // outputs the previous output (tf.keras, Keras 3), or zeros with zero_output_for_mask.
        double[][][] x = {{{0.0, 0.0}, X[0][0], {0.0, 0.0}, X[0][1]}};
        MultiLayerNetwork net = GruNets.single(tiny(true).returnSequences(true).maskValue(0.0).build(), W, U, BIAS_AFTER);
        INDArray out = net.output(Nd4j.create(x));
        double[] expected = {0.0, H_AFTER[0], H_AFTER[0], H_AFTER[1]};
        for (int t = 0; t < 4; t++) assertEquals(expected[t], out.getDouble(0, t, 0), TOL, "step " + t);

        MultiLayerNetwork zeros = GruNets.single(tiny(true).returnSequences(true).maskValue(0.0).zeroOutputForMask(true).build(),
                W, U, BIAS_AFTER);
        INDArray z = zeros.output(Nd4j.create(x));
        double[] expectedZeros = {0.0, H_AFTER[0], 0.0, H_AFTER[1]};
        for (int t = 0; t < 4; t++) assertEquals(expectedZeros[t], z.getDouble(0, t, 0), TOL, "step " + t);

        MultiLayerNetwork last = GruNets.single(tiny(true).maskValue(0.0).build(), W, U, BIAS_AFTER);
        assertEquals(H_AFTER[1], last.output(Nd4j.create(x)).getDouble(0, 0), TOL);
        // Without the mask the zero steps are computed like any other and the result differs.
        MultiLayerNetwork unmasked = GruNets.single(tiny(true).build(), W, U, BIAS_AFTER);
        assertTrue(Math.abs(unmasked.output(Nd4j.create(x)).getDouble(0, 0) - H_AFTER[1]) > 0.01);
    }

    static Stream<Arguments> variants() {
        List<Arguments> list = new ArrayList<>();
        GruActivation[] gates = {GruActivation.SIGMOID, GruActivation.HARD_SIGMOID_KERAS2, GruActivation.HARD_SIGMOID_KERAS3};
        GruActivation[] cands = {GruActivation.TANH, GruActivation.LINEAR, GruActivation.RELU};
        int i = 0;
        for (boolean resetAfter : new boolean[]{true, false}) {
            for (GruActivation gate : gates) {
                for (GruActivation cand : cands) {
                    // vary the remaining switches across the grid so every combination of them appears
                    boolean seq = (i & 1) == 0;
                    boolean back = (i & 2) == 0;
                    boolean bias = (i % 5) != 0;
                    list.add(Arguments.of(resetAfter, gate, cand, seq, back, bias));
                    i++;
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "reset_after={0} gate={1} act={2} seq={3} back={4} bias={5}")
    @MethodSource("variants")
    void matchesScalarReference(boolean resetAfter, GruActivation gate, GruActivation cand,
                                boolean seq, boolean back, boolean bias) {
        Random rnd = new Random(42);
        int nIn = 3, units = 2, steps = 4, batch = 2;
        double[][] w = GruNets.random(rnd, nIn, 3 * units, 1.5);
        double[][] u = GruNets.random(rnd, units, 3 * units, 1.5);
        double[][] b = bias ? GruNets.random(rnd, resetAfter ? 2 : 1, 3 * units, 1.0) : null;
        double[][][] x = GruNets.random(rnd, batch, steps, nIn, 2.0);

        KerasGruLayer layer = new KerasGruLayer.Builder().nIn(nIn).units(units).resetAfter(resetAfter)
                .useBias(bias).activation(cand).recurrentActivation(gate)
                .returnSequences(seq).goBackwards(back).build();
        INDArray out = GruNets.single(layer, w, u, b).output(GruNets.nwc(x));
        double[][][] ref = ReferenceGru.run(x, w, u, b, resetAfter, scalar(cand), scalar(gate), seq, back);
        assertArrayEquals(seq ? new long[]{batch, steps, units} : new long[]{batch, units}, out.shape());
        assertTrue(GruNets.maxAbsDiff(out, ref, seq) < TOL, "max abs diff " + GruNets.maxAbsDiff(out, ref, seq));
    }

    @Test
    void hardSigmoidFlavoursDiffer() {
        // The two Keras definitions agree at 0 but not at 1.5 (0.8 vs 0.75): the layer must not mix them up.
        Random rnd = new Random(7);
        double[][] w = GruNets.random(rnd, 2, 6, 2.0);
        double[][] u = GruNets.random(rnd, 2, 6, 2.0);
        double[][][] x = GruNets.random(rnd, 1, 3, 2, 2.0);
        KerasGruLayer k2 = new KerasGruLayer.Builder().nIn(2).units(2).useBias(false)
                .recurrentActivation(GruActivation.HARD_SIGMOID_KERAS2).build();
        KerasGruLayer k3 = new KerasGruLayer.Builder().nIn(2).units(2).useBias(false)
                .recurrentActivation(GruActivation.HARD_SIGMOID_KERAS3).build();
        INDArray o2 = GruNets.single(k2, w, u, null).output(GruNets.nwc(x));
        INDArray o3 = GruNets.single(k3, w, u, null).output(GruNets.nwc(x));
        double[][][] r2 = ReferenceGru.run(x, w, u, null, true, ReferenceGru.TANH, ReferenceGru.HARD_SIGMOID_K2, false, false);
        double[][][] r3 = ReferenceGru.run(x, w, u, null, true, ReferenceGru.TANH, ReferenceGru.HARD_SIGMOID_K3, false, false);
        assertTrue(GruNets.maxAbsDiff(o2, r2, false) < TOL);
        assertTrue(GruNets.maxAbsDiff(o3, r3, false) < TOL);
        assertTrue(GruNets.maxAbsDiff(o2, r3, false) > 1e-3, "flavours must give different results on this input");
    }

    @Test
    void ncwLayoutGivesTheSameNumbersTransposed() {
        Random rnd = new Random(3);
        double[][] w = GruNets.random(rnd, 3, 6, 1.0);
        double[][] u = GruNets.random(rnd, 2, 6, 1.0);
        double[][] b = GruNets.random(rnd, 2, 6, 1.0);
        double[][][] x = GruNets.random(rnd, 2, 5, 3, 1.0);
        KerasGruLayer ncw = new KerasGruLayer.Builder().nIn(3).units(2).returnSequences(true)
                .dataFormat(RNNFormat.NCW).build();
        INDArray out = GruNets.single(ncw, w, u, b).output(GruNets.nwc(x).permute(0, 2, 1).dup());
        assertArrayEquals(new long[]{2, 2, 5}, out.shape());
        double[][][] ref = ReferenceGru.run(x, w, u, b, true, ReferenceGru.TANH, ReferenceGru.SIGMOID, true, false);
        assertTrue(GruNets.maxAbsDiff(out.permute(0, 2, 1), ref, true) < TOL);
    }

    @Test
    void anotherSequenceLengthRebuildsTheGraph() {
        Random rnd = new Random(5);
        double[][] w = GruNets.random(rnd, 2, 6, 1.0);
        double[][] u = GruNets.random(rnd, 2, 6, 1.0);
        double[][] b = GruNets.random(rnd, 2, 6, 1.0);
        MultiLayerNetwork net = GruNets.single(new KerasGruLayer.Builder().nIn(2).units(2).build(), w, u, b);
        for (int steps : new int[]{3, 6, 2}) {
            double[][][] x = GruNets.random(rnd, 2, steps, 2, 1.0);
            double[][][] ref = ReferenceGru.run(x, w, u, b, true, ReferenceGru.TANH, ReferenceGru.SIGMOID, false, false);
            assertTrue(GruNets.maxAbsDiff(net.output(GruNets.nwc(x)), ref, false) < TOL, "steps " + steps);
        }
    }

    @Test
    void wrongFeatureCountIsAClearError() {
        MultiLayerNetwork net = GruNets.single(tiny(true).build(), W, U, BIAS_AFTER);
        Exception e = assertThrows(Exception.class, () -> net.output(Nd4j.rand(1, 4, 3)));
        assertTrue(String.valueOf(e.getMessage()).contains("features"), e.getMessage());
    }

    private static DoubleUnaryOperator scalar(GruActivation a) {
        switch (a) {
            case TANH: return ReferenceGru.TANH;
            case SIGMOID: return ReferenceGru.SIGMOID;
            case HARD_SIGMOID_KERAS2: return ReferenceGru.HARD_SIGMOID_K2;
            case HARD_SIGMOID_KERAS3: return ReferenceGru.HARD_SIGMOID_K3;
            case LINEAR: return ReferenceGru.LINEAR;
            case RELU: return ReferenceGru.RELU;
            default: throw new IllegalArgumentException(a.name());
        }
    }
}
