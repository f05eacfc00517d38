package dev.graft.samples;

import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import dev.graft.surgery.KerasLayerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code ts_classifier}: the time-series extractor with its own classification head
 * (Flatten + Dense(1, sigmoid)) trained on the time-series task: a classifier "trained for
 * something else" whose head {@code adapt} cuts off. The head is trained here by plain logistic
 * regression (full-batch gradient descent in double precision on features computed in Java), so
 * the same code gives the same bytes on every machine, without the engine.
 */
final class TsClassifier {
    static final int STEPS = 32;
    static final int CHANNELS = 4;
    static final int FILTERS = 16;
    static final int POOLED = STEPS / 2;
    static final int FEATURES = POOLED * FILTERS;
    private static final int ITERATIONS = 400;
    private static final double LEARNING_RATE = 0.5;

    private TsClassifier() {
    }

    /** The classifier, its conv layer the extractor's, its head trained on (x, y). */
    static ModelGraph train(ModelGraph extractor, HostArray x, HostArray y) {
        Layer conv = extractor.layer("conv1d");
        float[] kernel = conv.weights().get(0).read().toFloatArray();
        float[] bias = conv.weights().get(1).read().toFloatArray();
        int n = Math.toIntExact(x.shape()[0]);
        double[][] features = features(x.toFloatArray(), n, kernel, bias);
        float[] labels = y.toFloatArray();
        double[] w = new double[FEATURES];
        double b = 0;
        for (int it = 0; it < ITERATIONS; it++) {
            double[] gw = new double[FEATURES];
            double gb = 0;
            for (int i = 0; i < n; i++) {
                double z = b;
                for (int j = 0; j < FEATURES; j++) z += w[j] * features[i][j];
                double err = 1 / (1 + Math.exp(-z)) - labels[i];
                for (int j = 0; j < FEATURES; j++) gw[j] += err * features[i][j];
                gb += err;
            }
            for (int j = 0; j < FEATURES; j++) w[j] -= LEARNING_RATE * gw[j] / n;
            b -= LEARNING_RATE * gb / n;
        }
        int correct = 0;
        for (int i = 0; i < n; i++) {
            double z = b;
            for (int j = 0; j < FEATURES; j++) z += w[j] * features[i][j];
            if ((z >= 0 ? 1f : 0f) == labels[i]) correct++;
        }
        System.err.printf("ts_classifier: training accuracy %.3f on %d samples%n", correct / (double) n, n);

        SplittableRandom unused = new SplittableRandom(11);
        Layer in = extractor.layer("input");
        Layer pool = extractor.layer("max_pooling1d");
        Layer flatten = KerasLayerFactory.flatten("flatten", TensorRef.of(pool.name()));
        Layer dense = KerasLayerFactory.dense("dense", 1, "sigmoid", FEATURES, TensorRef.of(flatten.name()), unused);
        float[] wf = new float[FEATURES];
        for (int j = 0; j < FEATURES; j++) wf[j] = (float) w[j];
        dense = dense.withWeights(List.of(
                Weight.inMemory("dense/kernel:0", HostArray.ofFloats(new long[] {FEATURES, 1}, wf), true),
                Weight.inMemory("dense/bias:0", HostArray.ofFloats(new long[] {1}, new float[] {(float) b}), true)));
        List<Layer> layers = new ArrayList<>(List.of(in, conv, pool, flatten, dense));
        return new ModelGraph("ts_classifier", "Model", layers, extractor.inputs(), List.of(TensorRef.of(dense.name())),
                SampleModels.classifierTraining(), null, extractor.source());
    }

    /** Conv1D(16, 3, same, relu) then MaxPooling1D(2), flattened row-major: what the classifier's head reads. */
    static double[][] features(float[] x, int n, float[] kernel, float[] bias) {
        double[][] out = new double[n][FEATURES];
        double[] conv = new double[STEPS * FILTERS];
        for (int i = 0; i < n; i++) {
            int base = i * STEPS * CHANNELS;
            for (int t = 0; t < STEPS; t++) {
                for (int f = 0; f < FILTERS; f++) {
                    double s = bias[f];
                    for (int k = 0; k < 3; k++) {
                        int src = t + k - 1;
                        if (src < 0 || src >= STEPS) continue;
                        for (int c = 0; c < CHANNELS; c++) s += x[base + src * CHANNELS + c] * (double) kernel[(k * CHANNELS + c) * FILTERS + f];
                    }
                    conv[t * FILTERS + f] = Math.max(0, s);
                }
            }
            for (int p = 0; p < POOLED; p++) {
                for (int f = 0; f < FILTERS; f++) out[i][p * FILTERS + f] = Math.max(conv[2 * p * FILTERS + f], conv[(2 * p + 1) * FILTERS + f]);
            }
        }
        return out;
    }
}
