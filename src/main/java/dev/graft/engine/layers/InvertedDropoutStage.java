package dev.graft.engine.layers;

import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;

/**
 * Keras's Dropout as DL4J's Keras import builds it (a {@link DropoutLayer} whose {@link Dropout} keeps each value with
 * probability p, the Keras rate's complement) as a {@link HeapStage}: inverted dropout as libnd4j's
 * {@code DropOutInverted} computes it, each value kept with probability p and then multiplied by {@code 1/p} (in float),
 * the others zero, and the backward pass the same mask on the gradient. The mask is drawn from the training run's random
 * numbers ({@link HeapStageSource#random()}), so which values drop differs from the engine's draws; the distribution is
 * the same. p = 1 keeps everything and passes the values on unchanged. A dropout schedule, another kind of dropout, a
 * preprocessor on the layer or anything else on it returns null from {@link #of}.
 */
public final class InvertedDropoutStage implements HeapStage {
    private final int[] shape;
    /** Values per sample. */
    private final int values;
    private final double keep;
    private final float scale;
    private final SplittableRandom random;
    private float[] output;
    /** Per value, the factor its forward pass applied: 1/p or 0. */
    private float[] mask;

    private InvertedDropoutStage(int[] shape, double keep, SplittableRandom random) {
        this.shape = shape.clone();
        int v = 1;
        for (int d : shape) v *= d;
        this.values = v;
        this.keep = keep;
        this.scale = 1f / (float) keep;
        this.random = random;
    }

    /** The stage of a dropout layer, else null. */
    public static HeapStage of(HeapStageSource source) {
        if (!(source.layer() instanceof DropoutLayer conf) || !HeapStageChecks.plainVertex(source.vertex())) return null;
        if (source.inputShape() == null || source.inputShape().length == 0) return null;
        if (conf.getIDropout() == null) return new InvertedDropoutStage(source.inputShape(), 1.0, null);
        if (conf.getIDropout().getClass() != Dropout.class) return null;
        Dropout d = (Dropout) conf.getIDropout();
        if (d.getPSchedule() != null || !(d.getP() > 0 && d.getP() <= 1) || d.getP() < 1 && source.random() == null) return null;
        return new InvertedDropoutStage(source.inputShape(), d.getP(), source.random());
    }

    @Override
    public int[] outputShape() {
        return shape.clone();
    }

    @Override
    public float[] forward(float[] input, int rows) {
        if (keep == 1.0) return input;
        int n = rows * values;
        if (output == null || output.length != n) {
            output = new float[n];
            mask = new float[n];
        }
        // nextDouble() < keep, without its branch (taken at random, it cost 10 ns a value): nextDouble() is the top 53
        // bits of nextLong() times 2^-53, so the same draws keep the same values
        long below = (long) Math.ceil(keep * 0x1p53);
        for (int i = 0; i < n; i++) {
            float m = scale * (float) (((random.nextLong() >>> 11) - below) >>> 63);
            mask[i] = m;
            output[i] = input[i] * m;
        }
        return output;
    }

    /** Keras's Dropout passes everything on in inference. */
    @Override
    public float[] infer(float[] input, int rows) {
        return input;
    }

    @Override
    public float[] backward(float[] outputGradient, int rows, boolean inputGradient) {
        if (!inputGradient) return null;
        if (keep == 1.0) return outputGradient;
        for (int i = 0, n = rows * values; i < n; i++) outputGradient[i] *= mask[i];
        return outputGradient;
    }

    @Override
    public List<HeapParameter> parameters() {
        return List.of();
    }

    @Override
    public void copyToEngine() {
    }
}
