package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.cli.Cli;
import dev.graft.format.FormatSniffer;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import dev.graft.shape.GraphShapes;
import dev.graft.surgery.Flattener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code graft adapt} cuts exactly: the adapted model's output equals the source model's tensor at
 * the cut, as the engine computes it on the whole source with every activation exposed
 * (the layer made one more output of the whole model), to 1e-6; kept weights are bit-identical; written files reopen in graft,
 * in DL4J's Keras importer and in {@code ModelSerializer} with the same predictions.
 */
class AdaptExactnessTest {
    @TempDir
    Path dir;

    /**
     * {@code engine}: the reference is the engine on the whole source with the cut layer as one more
     * output. {@code plain}: the kept chain computed in plain loops ({@link ReferenceKeras}), where the
     * engine cannot expose the tensor (DL4J applies a following activation layer in place over it,
     * and fails on a Dense inside a nested model made an output).
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        // Sequential (Keras 2.3.1): Dense then a ReLU layer, cut between them
        "keras/io/ReLU_0_model.h5, --drop-last, 1, dense, plain",
        // Functional with branches (tf.keras wide & deep): both branches up to the Add, and one branch alone
        "wild/ctr_residual_add_tf224tf.h5, --until, add, add, engine",
        "wild/ctr_residual_add_tf224tf.h5, --until, dense_2, dense_2, engine",
        // Two inputs; the cut needs only one of them
        "wild/parkinsons_hybrid_2in_concat_k38.h5, --until, dense_3, dense_3, engine",
        // Keras 3 .keras archive
        "wild/ecg_conv1d_bn_functional_k341.keras, --until, max_pooling1d_2, max_pooling1d_2, engine",
        // Nested models (Keras 3's functional hybrid of two Sequentials): a layer inside the first, and after it
        "keras3-seed/seed_ex3_hybrid_by_keras.keras, --until, sequential_4/dense_7, dense_7, plain",
        "keras3-seed/seed_ex3_hybrid_by_keras.keras, --drop-last, 2, dense_11, plain",
    })
    void kerasCutEqualsTheSourceTensor(String fixture, String option, String value, String cutLayer, String reference) throws Exception {
        Path source = Fixtures.file(fixture);
        Path out = dir.resolve("adapted.h5");
        Cli r = Cli.run("adapt", source.toString(), option, value, "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());

        ModelGraph flat = Flattener.flatten(ModelFiles.read(source));
        ModelGraph adapted = ModelFiles.read(out);
        assertEquals(List.of(TensorRef.of(cutLayer)), adapted.outputs());
        assertKeptWeightsIdentical(flat, adapted);

        Map<String, HostArray> inputs = randomInputs(flat, 8, 11);
        HostArray expected = reference.equals("engine") ? exposed(flat, inputs, cutLayer) : plainChain(adapted, inputs.values().iterator().next());
        HostArray[] adaptedInputs = adapted.inputs().stream().map(t -> inputs.get(t.layer())).toArray(HostArray[]::new);
        HostArray got = EngineModel.ofKeras(adapted).predict(adaptedInputs)[0];
        assertTrue(Reference.maxAbsDiff(expected, got) <= 1e-6, "adapted vs the source's tensor at " + cutLayer + ": " + Reference.maxAbsDiff(expected, got));

        // DL4J's own Keras importer reads the written file and computes the same.
        ComputationGraph imported = KerasModelImport.importKerasModelAndWeights(out.toString(), false);
        INDArray[] in = new INDArray[adaptedInputs.length];
        for (int i = 0; i < in.length; i++) in[i] = Tensors.toNd4j(adaptedInputs[i], imported.getConfiguration().getDataType());
        HostArray byImporter = Tensors.fromNd4j(imported.output(false, in)[0]);
        assertTrue(Reference.maxAbsDiff(got, byImporter) <= 1e-6, "graft vs DL4J's importer: " + Reference.maxAbsDiff(got, byImporter));
    }

    @Test
    void sampleClassifierCutEqualsAnIndependentReference() {
        Path out = dir.resolve("features.h5");
        Cli r = Cli.run("adapt", "samples/ts_classifier.h5", "--until", "max_pooling1d", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        ModelGraph source = ModelFiles.read(Path.of("samples/ts_classifier.h5"));
        HostArray x = Reference.random(5, 6, 32, 4);
        HostArray expected = ReferenceKeras.apply(source.layer("max_pooling1d"), ReferenceKeras.apply(source.layer("conv1d"), x));
        HostArray got = EngineModel.ofKeras(ModelFiles.read(out)).predict(x)[0];
        assertTrue(Reference.maxAbsDiff(expected, got) <= 1e-6, "adapted vs plain-loop Keras: " + Reference.maxAbsDiff(expected, got));
        assertKeptWeightsIdentical(source, ModelFiles.read(out));
        // The same cut as a DL4J zip restores with ModelSerializer and computes the same.
        Path zip = dir.resolve("features.zip");
        assertEquals(0, Cli.run("adapt", "samples/ts_classifier.h5", "--until", "max_pooling1d", "-o", zip.toString()).exitCode());
        HostArray fromZip = EngineModel.ofNative(restore(zip)).withInputShapes(List.of(Shape.batchOf(32, 4))).predict(x)[0];
        assertTrue(Reference.maxAbsDiff(expected, fromZip) <= 1e-6, "zip vs plain-loop Keras: " + Reference.maxAbsDiff(expected, fromZip));
    }

    @Test
    void fromALayerOnReadsANewInput() {
        Path out = dir.resolve("tail.h5");
        Cli r = Cli.run("adapt", "samples/example1_first.h5", "--from", "dense_1", "-o", out.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(out.toString(), r.json().path("output").asText());
        assertEquals("[null,64]", r.json().path("model").path("input_shape").toString());
        ModelGraph source = ModelFiles.read(Path.of("samples/example1_first.h5"));
        HostArray x = Reference.random(12, 6, 64);
        HostArray expected = ReferenceKeras.apply(source.layer("dense_1"), x);
        ModelGraph tail = ModelFiles.read(out);
        HostArray got = EngineModel.ofKeras(tail).predict(x)[0];
        assertTrue(Reference.maxAbsDiff(expected, got) <= 1e-6, "tail vs reference: " + Reference.maxAbsDiff(expected, got));
        assertKeptWeightsIdentical(source, tail);
    }

    @Test
    void frozenKeptLayersStayFrozenInAZip() {
        Path zip = dir.resolve("frozen.zip");
        Cli r = Cli.run("adapt", "samples/ts_classifier.h5", "--until", "max_pooling1d", "--head", "dense:8", "--freeze", "kept", "-o", zip.toString());
        assertEquals(0, r.exitCode(), r.err());
        ComputationGraph g = restore(zip);
        assertEquals("FrozenLayer", g.getVertex("conv1d").getLayer().getClass().getSimpleName());
        // The head (a Dense on every step, written as Conv1D(kernel_size=1)) stays trainable.
        assertTrue(!g.getVertex("head_dense").getLayer().getClass().getSimpleName().startsWith("Frozen"));
        HostArray x = Reference.random(8, 4, 32, 4);
        ModelGraph source = ModelFiles.read(Path.of("samples/ts_classifier.h5"));
        HostArray features = ReferenceKeras.apply(source.layer("max_pooling1d"), ReferenceKeras.apply(source.layer("conv1d"), x));
        ModelGraph planned = dev.graft.surgery.AdaptPlanner.plan(new dev.graft.surgery.AdaptRequest(
                new dev.graft.surgery.Donor(Path.of("samples/ts_classifier.h5"), source, "", new dev.graft.surgery.CutSpec("max_pooling1d", 0, null)),
                null, null, null, null, List.of(), dev.graft.surgery.BridgeSpec.parseHead("dense:8"), dev.graft.surgery.AdaptFreeze.parse("kept"),
                new dev.graft.surgery.TrainingSpec(null, null, null), 42, "test")).adapted();
        HostArray expected = ReferenceKeras.apply(planned.layer("head_dense"), features);
        HostArray got = EngineModel.ofNative(g).withInputShapes(List.of(Shape.batchOf(32, 4))).predict(x)[0];
        assertTrue(Reference.maxAbsDiff(expected, got) <= 1e-6, "frozen zip vs reference: " + Reference.maxAbsDiff(expected, got));
    }

    @ParameterizedTest(name = "{0} --until {1}")
    @CsvSource({
        "dl4j/integration_MLPMoon/Model_RANDOM_INIT_UNTRAINED.zip, layer0",          // MultiLayerNetwork
        "dl4j/regression_100b4/SyntheticBidirectionalRNNGraph_100b4.bin, pooling",   // ComputationGraph with branches
    })
    void dl4jCutEqualsTheSourceActivation(String fixture, String cutLayer) throws Exception {
        Path source = Fixtures.file(fixture);
        Path out = dir.resolve("adapted.zip");
        Cli r = Cli.run("adapt", source.toString(), "--until", cutLayer, "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(ModelFormat.DL4J_ZIP, FormatSniffer.detect(out));

        EngineModel full = EngineModels.load(source);
        EngineModel cut = EngineModels.load(out);
        INDArray[] in = new INDArray[full.inputs().size()];
        HostArray[] kerasIn = new HostArray[in.length];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < in.length; i++) {
            Shape s = full.inputs().get(i).kerasShape();
            List<Long> dims = new ArrayList<>(s.dims());
            dims.set(0, 4L);
            for (int d = 1; d < dims.size(); d++) if (dims.get(d) == null) dims.set(d, 7L);
            long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
            float[] v = new float[Math.toIntExact(HostArray.size(shape))];
            for (int k = 0; k < v.length; k++) v[k] = (float) (rng.nextDouble() * 2 - 1);
            kerasIn[i] = HostArray.ofFloats(shape, v);
            in[i] = full.inputs().get(i).layout().fromKeras(Tensors.toNd4j(kerasIn[i], full.graph().getConfiguration().getDataType()));
        }
        // Both cuts end in a vector (a dense layer, a global pooling): DL4J's layout is Keras's there.
        HostArray expected = Tensors.fromNd4j(exposed(full.graph(), cutLayer).output(false, in)[0]);
        HostArray got = cut.predict(kerasIn)[0];
        assertTrue(Reference.maxAbsDiff(expected, got) <= 1e-5, "cut vs the source's activation: " + Reference.maxAbsDiff(expected, got));
    }

    /** The source's activation at {@code layer}, computed by the engine on the whole source with every vertex exposed. */
    private static HostArray exposed(ModelGraph flat, Map<String, HostArray> inputs, String layer) {
        // The layer's activations as one more output of the whole model: feedForward's map is no
        // reference, since DL4J applies later activation layers in place over the arrays it returns.
        List<TensorRef> outputs = new ArrayList<>(List.of(TensorRef.of(layer)));
        outputs.addAll(flat.outputs());
        ComputationGraph g = KerasEngine.build(flat.withLayers(flat.layers(), flat.inputs(), outputs));
        List<String> names = g.getConfiguration().getNetworkInputs();
        INDArray[] in = new INDArray[names.size()];
        for (int i = 0; i < in.length; i++) {
            HostArray x = inputs.get(names.get(i));
            assertNotNull(x, "input " + names.get(i));
            in[i] = Tensors.toNd4j(x, g.getConfiguration().getDataType());
        }
        assertEquals(layer, g.getConfiguration().getNetworkOutputs().get(0));
        INDArray a = g.output(false, in)[0];
        assertNotNull(a, "the engine has no vertex '" + layer + "'");
        return Tensors.fromNd4j(a);
    }

    /** The adapted chain's layers computed one after the other in plain loops. */
    private static HostArray plainChain(ModelGraph adapted, HostArray x) {
        HostArray a = x;
        for (Layer l : adapted.layers()) if (!l.isInput()) a = ReferenceKeras.apply(l, a);
        return a;
    }

    /** The network with one more output, the given vertex, and the same parameters. */
    private static ComputationGraph exposed(ComputationGraph full, String vertex) {
        var conf = full.getConfiguration().clone();
        List<String> outputs = new ArrayList<>(List.of(vertex));
        outputs.addAll(conf.getNetworkOutputs());
        conf.setNetworkOutputs(outputs);
        ComputationGraph g = new ComputationGraph(conf);
        g.init(full.params().dup(), false);
        return g;
    }

    private static Map<String, HostArray> randomInputs(ModelGraph g, long batch, long seed) {
        GraphShapes shapes = GraphShapes.infer(g);
        Map<String, HostArray> out = new LinkedHashMap<>();
        for (TensorRef t : g.inputs()) out.put(t.layer(), Reference.random(seed++, concat(batch, shapes.shape(t))));
        return out;
    }

    private static long[] concat(long batch, Shape s) {
        long[] shape = new long[s.rank()];
        shape[0] = batch;
        for (int i = 1; i < s.rank(); i++) shape[i] = s.dim(i);
        return shape;
    }

    private static void assertKeptWeightsIdentical(ModelGraph source, ModelGraph adapted) {
        int compared = 0;
        for (Layer l : adapted.layers()) {
            Layer s = source.layer(l.name());
            if (s == null || l.weights().isEmpty()) continue;
            List<Weight> a = s.weights(), b = l.weights();
            assertEquals(a.size(), b.size(), "weights of " + l.name());
            for (int i = 0; i < a.size(); i++) assertTrue(a.get(i).read().bitEquals(b.get(i).read()), l.name() + " weight " + i + " changed");
            compared++;
        }
        assertTrue(compared > 0, "no kept layer with weights");
    }

    private static ComputationGraph restore(Path zip) {
        try {
            return ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
