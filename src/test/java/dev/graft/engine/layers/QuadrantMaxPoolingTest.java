package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The max pooling stage's vectorised 2 x 2 pooling ({@link QuadrantMaxPooling}) against {@link ChannelsLastMaxPooling2D}'s
 * scalar one (itself checked against DL4J's {@code maxpool2d} and its backward pass): the same maxima, and every gradient
 * sent to the same position, on data coarse enough that most windows hold their maximum twice or more (ReLU outputs:
 * half zeros), on images whose last row and column no window covers, and on batches holding infinities or NaN, which
 * the quadrants leave to the stage's scalar search.
 */
class QuadrantMaxPoolingTest {
    private static final ChannelsLastMaxPooling2D SCALAR = ChannelsLastMaxPooling2D.of(new SubsamplingLayer.Builder(PoolingType.MAX)
            .kernelSize(2, 2).stride(2, 2).convolutionMode(ConvolutionMode.Truncate).build());

    @ParameterizedTest(name = "{0}x{1}x{2}, {3} samples, special values: {4}")
    @CsvSource({
            "26, 26, 32, 4, none",
            "11, 11, 64, 3, none",
            "5, 8, 3, 2, none",
            "6, 6, 4, 3, infinity",
            "6, 7, 4, 3, nan",
            "6, 6, 4, 3, infinite-gradient"})
    void routesEveryGradientAsTheScalarPoolingDoes(int h, int w, int c, int rows, String special) {
        SplittableRandom random = new SplittableRandom(h * 1000 + w * 10 + c);
        float[] x = new float[rows * h * w * c];
        for (int i = 0; i < x.length; i++) x[i] = Math.max(0f, Math.round((random.nextDouble() - 0.5) * 6) / 4f);
        int oh = h / 2, ow = w / 2, n = rows * oh * ow * c;
        float[] dy = new float[n];
        for (int i = 0; i < n; i++) dy[i] = (float) (random.nextDouble() - 0.5);
        if (special.equals("infinity")) x[7] = x[7 + c] = Float.POSITIVE_INFINITY;
        if (special.equals("nan")) x[3 * c + 1] = Float.NaN;
        if (special.equals("infinite-gradient")) dy[5] = Float.NEGATIVE_INFINITY;

        float[] expectedY = new float[n];
        int[] sources = new int[n];
        SCALAR.pool(x, expectedY, sources, rows, h, w, c, oh, ow);
        float[] expectedDx = new float[x.length];
        for (int q = 0; q < n; q++) expectedDx[sources[q]] += dy[q];

        float[] quadrants = new QuadrantMaxPooling(h, w, c).forward(x, rows);
        if (special.equals("infinity") || special.equals("nan")) assertNull(quadrants, "a non-finite maximum: left to the scalar pooling");
        else assertArrayEquals(expectedY, quadrants, "the maxima in quadrants");
        ChannelsLastMaxPooling2DStage pooling = new ChannelsLastMaxPooling2DStage(SCALAR, h, w, c, new int[] {oh, ow}, new int[] {oh, ow, c});
        for (int pass = 0; pass < 2; pass++) {       // buffers reused from batch to batch
            float[] y = pooling.forward(x, rows);
            assertArrayEquals(expectedY, y, "the maxima");
            float[] dx = pooling.backward(dy.clone(), rows, true);
            assertEquals(expectedDx.length, dx.length);
            for (int i = 0; i < dx.length; i++) {
                // +0 and -0 alike: a position the gradient does not reach gets a zero of either sign
                if (!(expectedDx[i] == dx[i] || Float.isNaN(expectedDx[i]) && Float.isNaN(dx[i]))) {
                    throw new AssertionError("gradient at " + i + ": " + dx[i] + ", the scalar pooling's " + expectedDx[i]);
                }
            }
        }
        int reached = 0;
        for (float v : expectedDx) if (v != 0f) reached++;
        assertTrue(reached > n / 2, "a real gradient: " + reached + " of " + x.length + " positions");
    }
}
