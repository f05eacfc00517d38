package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** TensorFlow's resize weights along one axis, worked out by hand from its kernels' definitions. */
class ResizeWeightsTest {
    private static void assertRows(double[][] want, double[][] got) {
        assertEquals(want.length, got.length);
        for (int o = 0; o < want.length; o++) {
            for (int i = 0; i < want[o].length; i++) assertEquals(want[o][i], got[o][i], 1e-6, "row " + o + ", input " + i);
        }
    }

    /**
     * resize_area: output o averages [o·s, (o+1)·s) with s = in/out. 4 -> 2 halves; 3 -> 2 (s = 1.5) weighs cell 1 half to each
     * side; 2 -> 3 (s = 2/3) copies the ends and averages the middle.
     */
    @Test
    void areaWeighsCellsByTheirShare() {
        assertRows(new double[][] {{0.5, 0.5, 0, 0}, {0, 0, 0.5, 0.5}}, ResizeWeights.area(4, 2));
        assertRows(new double[][] {{2.0 / 3, 1.0 / 3, 0}, {0, 1.0 / 3, 2.0 / 3}}, ResizeWeights.area(3, 2));
        assertRows(new double[][] {{1, 0}, {0.5, 0.5}, {0, 1}}, ResizeWeights.area(2, 3));
    }

    /**
     * resize_bicubic, half-pixel: 2 -> 4, output 0 samples at -0.25, taps -2..1 at distances 1.75, 0.75, 0.25, 1.25. Only
     * inputs 0 and 1 exist: Keys' weights (a = -0.5) 0.8671875 and -0.0703125, renormalised by their sum 0.796875 to 37/34
     * and -3/34 (the torch backend would clamp the taps instead). Resizing to the same size is the identity.
     */
    @Test
    void bicubicRenormalisesTheTapsInsideTheImage() {
        double[][] r = ResizeWeights.bicubic(2, 4);
        assertRows(new double[][] {{37.0 / 34, -3.0 / 34}}, new double[][] {r[0]});
        assertRows(new double[][] {{-3.0 / 34, 37.0 / 34}}, new double[][] {r[3]});
        assertRows(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, ResizeWeights.bicubic(3, 3));
        for (double[] row : ResizeWeights.bicubic(5, 3)) {
            double sum = 0;
            for (double w : row) sum += w;
            assertEquals(1, sum, 1e-6);
        }
    }
}
