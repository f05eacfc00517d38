package dev.graft.engine.layers;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What Keras's {@code Normalization} computes on {@code (batch, features)}, as a DL4J activation:
 * {@code (x - mean) / std} per feature, or {@code mean + x * std} with {@code invert}, where {@code std} is
 * {@code max(sqrt(variance), 1e-7)} (Keras's {@code backend.epsilon()}). One value stands for every feature. The
 * statistics are constants, not parameters: Keras does not train them either. In place, like DL4J's own activations
 * (in inference DL4J's activation layer hands over its input itself, so a network input is overwritten).
 */
public class FeatureNormalizationActivation extends BaseActivationFunction {
    /** Keras's {@code backend.epsilon()}, the smallest standard deviation Normalization divides by. */
    public static final double EPSILON = 1e-7;

    private double[] mean = {0};
    private double[] std = {1};
    private boolean invert;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected FeatureNormalizationActivation() {
    }

    /** @param variance per feature (or one for all), as Keras stores it */
    public FeatureNormalizationActivation(double[] mean, double[] variance, boolean invert) {
        this.mean = mean.clone();
        this.std = new double[variance.length];
        for (int i = 0; i < variance.length; i++) std[i] = Math.max(Math.sqrt(variance[i]), EPSILON);
        this.invert = invert;
    }

    public double[] getMean() { return mean; }
    public void setMean(double[] mean) { this.mean = mean; }
    public double[] getStd() { return std; }
    public void setStd(double[] std) { this.std = std; }
    public boolean isInvert() { return invert; }
    public void setInvert(boolean invert) { this.invert = invert; }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        INDArray m = row(mean, in), s = row(std, in);
        return invert ? in.muliRowVector(s).addiRowVector(m) : in.subiRowVector(m).diviRowVector(s);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray s = row(std, in);
        in.assign(invert ? epsilon.mulRowVector(s) : epsilon.divRowVector(s));
        return new Pair<>(in, null);
    }

    /** The statistic as a row over the features of {@code in}, which must be {@code (batch, features)}. */
    private static INDArray row(double[] values, INDArray in) {
        if (in.rank() != 2) {
            throw new IllegalStateException("Normalization computes (batch, features) only, got shape " + Arrays.toString(in.shape()));
        }
        long features = in.size(1);
        if (values.length != 1 && values.length != features) {
            throw new IllegalStateException("Normalization has " + values.length + " statistics for " + features + " features");
        }
        double[] r = values.length == features ? values : filled(values[0], features);
        return Nd4j.createFromArray(r).castTo(in.dataType()).reshape(1, features);
    }

    private static double[] filled(double v, long n) {
        double[] r = new double[Math.toIntExact(n)];
        Arrays.fill(r, v);
        return r;
    }

    @Override
    public String toString() {
        return "feature_normalization(" + (invert ? "invert, " : "") + mean.length + " features)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureNormalizationActivation f && f.invert == invert && Arrays.equals(f.mean, mean) && Arrays.equals(f.std, std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std) + (invert ? 1 : 0);
    }
}
