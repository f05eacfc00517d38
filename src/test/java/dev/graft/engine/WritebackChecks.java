package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.format.ModelFiles;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import dev.graft.shape.GraphShapes;
import dev.graft.surgery.Flattener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The write-back round trip the tests share: build the engine network, change the parameters of
 * some layers by a known pattern (as training would), write the model back to Keras, read that
 * file, build it again, and compare.
 */
final class WritebackChecks {
    private WritebackChecks() {
    }

    /** What a round trip produced, for further checks. */
    record Result(ModelGraph written, ModelGraph reread, ComputationGraph perturbed, ComputationGraph rebuilt, double worstPrediction) {
    }

    /** Names of the layers of the flat model that hold weights. */
    static Set<String> weightedLayers(ModelGraph model) {
        Set<String> names = new TreeSet<>();
        for (Layer l : Flattener.flatten(model).layers()) if (!l.weights().isEmpty()) names.add(l.name());
        return names;
    }

    /**
     * Adds a distinct, non-zero offset to every element of the named layers' engine parameters
     * (positive, so a variance stays a variance).
     */
    static void perturb(ComputationGraph graph, Set<String> layers) {
        perturb(graph, layers, (layer, param) -> true);
    }

    /** {@link #perturb(ComputationGraph, Set)} for the parameters {@code which} accepts (layer name, DL4J parameter name). */
    static void perturb(ComputationGraph graph, Set<String> layers, java.util.function.BiPredicate<String, String> which) {
        long seed = 1;
        for (String name : layers) {
            Map<String, INDArray> params = KerasWriteback.paramsOf(graph, name);
            assertNotNull(params, "no parameters for " + name);
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                if (!which.test(name, e.getKey())) continue;
                INDArray p = e.getValue();
                long n = p.length();
                float[] delta = new float[Math.toIntExact(n)];
                SplittableRandom r = new SplittableRandom(seed++);
                for (int i = 0; i < delta.length; i++) delta[i] = 0.01f + 0.02f * (float) r.nextDouble();
                p.addi(Nd4j.create(delta, p.shape(), 'c').castTo(p.dataType()));
            }
        }
    }

    /** Every parameter of the network, flattened, as exact bits. */
    static float[] allParams(ComputationGraph g) {
        return g.params().dup('c').castTo(DataType.FLOAT).data().asFloat();
    }

    static Result roundTrip(ModelGraph model, Set<String> changed, Path dir, List<INDArray> inputs) throws IOException {
        ComputationGraph g = KerasEngine.buildForTraining(model);
        perturb(g, changed);
        return roundTrip(model, g, changed, dir, inputs);
    }

    /** The round trip for a network whose parameters the caller changed already. */
    static Result roundTrip(ModelGraph model, ComputationGraph g, Set<String> changed, Path dir, List<INDArray> inputs) throws IOException {
        float[] before = allParams(KerasEngine.buildForTraining(model));
        float[] perturbed = allParams(g);
        assertTrue(!Arrays.equals(before, perturbed) || changed.isEmpty(), "the perturbation changed nothing");

        ModelGraph written = KerasWriteback.apply(model, g, changed);
        assertUntouchedObjects(model, written, changed);
        Path file = dir.resolve("trained-" + System.nanoTime() + ".h5");
        KerasH5Writer.write(written, file, kerasVersionFor(model));
        ModelGraph reread = ModelFiles.read(file);

        ComputationGraph rebuilt = KerasEngine.buildForTraining(reread);
        // (a) the network built from the written file holds exactly the trained parameters
        float[] after = allParams(rebuilt);
        assertEquals(perturbed.length, after.length, "parameter count");
        for (int i = 0; i < after.length; i++) {
            if (Float.floatToIntBits(after[i]) != Float.floatToIntBits(perturbed[i])) {
                throw new AssertionError("parameter element " + i + " is " + after[i] + " after the round trip, trained " + perturbed[i]);
            }
        }
        // (b) and computes what the trained network computed
        List<INDArray> xs = inputs != null ? inputs : randomInputs(model, 3, 42);
        INDArray[] x = xs.toArray(new INDArray[0]);
        // Copies: DL4J's activation layers work in place on a network input in inference (Rescaling, Normalization).
        INDArray[] expected = g.output(false, Arrays.stream(x).map(INDArray::dup).toArray(INDArray[]::new));
        INDArray[] actual = rebuilt.output(false, Arrays.stream(x).map(INDArray::dup).toArray(INDArray[]::new));
        double worst = 0;
        for (int o = 0; o < expected.length; o++) {
            assertArrayEquals(expected[o].shape(), actual[o].shape(), "output shape");
            worst = Math.max(worst, expected[o].castTo(DataType.DOUBLE).sub(actual[o].castTo(DataType.DOUBLE)).amaxNumber().doubleValue());
        }
        assertTrue(worst <= 1e-6, "predictions differ by " + worst);
        // (c) layers that were not trained are copied bit for bit into the file
        assertUnchangedWeightsIdentical(model, reread, changed);
        assertChangedWeightsKeepTheirForm(model, reread, changed);
        return new Result(written, reread, g, rebuilt, worst);
    }

    /**
     * The version to write a model's file as: a Keras 1 configuration only means what it says to a
     * reader told that Keras 1 wrote it (as {@link KerasEngine} does it).
     */
    static String kerasVersionFor(ModelGraph model) {
        boolean keras1 = model.source() != null && model.source().kerasMajor() == 1;
        return keras1 ? model.source().producerVersion() : KerasH5Writer.versionFor(model);
    }

    /** apply() hands back the very Weight objects of every layer it was not asked to change. */
    static void assertUntouchedObjects(ModelGraph original, ModelGraph written, Set<String> changed) {
        List<Layer> a = Flattener.flatten(original).layers(), b = Flattener.flatten(written).layers();
        assertEquals(a.stream().map(Layer::name).toList(), b.stream().map(Layer::name).toList(), "layer names and order");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).config(), b.get(i).config(), "config of " + a.get(i).name());
            if (changed.contains(a.get(i).name())) continue;
            for (int j = 0; j < a.get(i).weights().size(); j++) {
                assertSame(a.get(i).weights().get(j), b.get(i).weights().get(j), "weight object of untrained layer " + a.get(i).name());
            }
        }
    }

    static void assertUnchangedWeightsIdentical(ModelGraph original, ModelGraph reread, Set<String> changed) {
        for (Layer l : Flattener.flatten(original).layers()) {
            if (changed.contains(l.name())) continue;
            Layer r = reread.layer(l.name());
            assertNotNull(r, "layer " + l.name() + " missing from the written file");
            assertEquals(l.weights().size(), r.weights().size(), "weights of " + l.name());
            for (int j = 0; j < l.weights().size(); j++) {
                assertTrue(l.weights().get(j).read().bitEquals(r.weights().get(j).read()),
                        "untrained weight " + l.weights().get(j).name() + " changed in the written file");
            }
        }
    }

    static void assertChangedWeightsKeepTheirForm(ModelGraph original, ModelGraph reread, Set<String> changed) {
        for (String name : changed) {
            Layer l = Flattener.flatten(original).layer(name);
            Layer r = reread.layer(name);
            assertEquals(l.weights().size(), r.weights().size(), "weights of " + name);
            for (int j = 0; j < l.weights().size(); j++) {
                Weight a = l.weights().get(j), b = r.weights().get(j);
                assertEquals(a.role(), b.role(), "role of weight " + j + " of " + name);
                assertArrayEquals(a.shape(), b.shape(), "shape of " + a.name());
                assertEquals(a.dtype(), b.dtype(), "dtype of " + a.name());
                assertTrue(!a.read().bitEquals(b.read()), "trained weight " + a.name() + " holds its original values");
            }
        }
    }

    /**
     * Random inputs for every model input: small integers for inputs that feed an Embedding (indices
     * below its vocabulary), uniform values in [-1, 1) otherwise. Unknown dimensions become 16.
     */
    static List<INDArray> randomInputs(ModelGraph model, int batch, long seed) {
        ModelGraph flat = Flattener.flatten(model);
        GraphShapes shapes = GraphShapes.infer(flat);
        SplittableRandom r = new SplittableRandom(seed);
        List<INDArray> out = new ArrayList<>();
        for (TensorRef in : flat.outputs().isEmpty() ? List.<TensorRef>of() : flat.inputs()) {
            Shape s = shapes.shape(in);
            long[] dims = new long[s.rank()];
            dims[0] = batch;
            for (int i = 1; i < dims.length; i++) dims[i] = s.dim(i) == null ? 16 : s.dim(i);
            long vocab = embeddingVocabulary(flat, in.layer());
            float[] v = new float[Math.toIntExact(Arrays.stream(dims).reduce(1, (a, b) -> a * b))];
            for (int i = 0; i < v.length; i++) v[i] = vocab > 0 ? r.nextInt((int) Math.min(vocab, 50)) : (float) (r.nextDouble() * 2 - 1);
            out.add(Nd4j.create(v, dims, 'c'));
        }
        return out;
    }

    private static long embeddingVocabulary(ModelGraph flat, String inputLayer) {
        for (Layer l : flat.layers()) {
            if (!"Embedding".equals(l.className())) continue;
            for (var call : l.calls()) {
                for (TensorRef t : call.inputs()) if (t.layer().equals(inputLayer)) return l.config().path("input_dim").asLong();
            }
        }
        return -1;
    }
}
