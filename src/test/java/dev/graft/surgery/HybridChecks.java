package dev.graft.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.engine.KerasEngine;
import dev.graft.engine.Tensors;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Checks shared by the merge tests: run a model on the engine, apply a bridge by hand, and
 * compare a hybrid with the composition of its separately loaded donors.
 */
final class HybridChecks {
    private HybridChecks() {
    }

    /** Uniform random input of the given per-sample shape, batch first. */
    static HostArray randomInput(long batch, long[] sampleShape, long seed) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = batch;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(HostArray.size(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return HostArray.ofFloats(shape, v);
    }

    static HostArray predict(ModelGraph model, HostArray x) {
        ComputationGraph g = KerasEngine.build(model);
        return Tensors.fromNd4j(g.output(false, Tensors.toNd4j(x, DataType.FLOAT))[0]);
    }

    static HostArray predict(Path model, HostArray x) {
        return predict(ModelFiles.read(model), x);
    }

    /** Keras's Dense on the last axis, computed here independently of the engine. */
    static HostArray dense(HostArray x, Weight kernel, Weight bias, String activation) {
        float[] in = x.toFloatArray();
        float[] k = kernel.read().toFloatArray();
        float[] b = bias.read().toFloatArray();
        long[] ks = kernel.shape(); // (in, units), or (1, in, units) for a per-step Dense written as Conv1D
        int n = (int) ks[ks.length - 2], u = (int) ks[ks.length - 1];
        int rows = in.length / n;
        float[] out = new float[rows * u];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < u; j++) {
                double s = b[j];
                for (int i = 0; i < n; i++) s += (double) in[r * n + i] * k[i * u + j];
                out[r * u + j] = (float) activation(s, activation);
            }
        }
        long[] shape = x.shape();
        shape[shape.length - 1] = u;
        return HostArray.ofFloats(shape, out);
    }

    private static double activation(double s, String a) {
        switch (a) {
            case "relu": return Math.max(0, s);
            case "tanh": return Math.tanh(s);
            case "sigmoid": return 1 / (1 + Math.exp(-s));
            case "linear": return s;
            default: throw new IllegalArgumentException(a);
        }
    }

    /** Keras's Reshape: the same row-major values per sample. */
    static HostArray reshape(HostArray x, long... sampleShape) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = x.shape()[0];
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return x.reshape(shape);
    }

    /** Every weight of every donor layer is in the hybrid, under its (possibly new) name, bit for bit. */
    static void assertDonorWeightsIdentical(ModelGraph donor, Map<String, String> renames, ModelGraph hybrid) {
        for (Layer l : dev.graft.surgery.Flattener.flatten(donor).layers()) {
            if (l.weights().isEmpty()) continue;
            Layer h = hybrid.layer(renames.getOrDefault(l.name(), l.name()));
            assertTrue(h != null, "layer " + l.name() + " missing from the hybrid");
            List<Weight> a = l.weights(), b = h.weights();
            assertEquals(a.size(), b.size(), "weights of " + l.name());
            for (int i = 0; i < a.size(); i++) {
                assertTrue(a.get(i).read().bitEquals(b.get(i).read()), "weight " + a.get(i).name() + " of " + l.name() + " changed");
            }
        }
    }
}
