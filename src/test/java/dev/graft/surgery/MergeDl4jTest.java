package dev.graft.surgery;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static dev.graft.surgery.HybridChecks.randomInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.cli.Cli;
import dev.graft.engine.EngineModel;
import dev.graft.engine.Tensors;
import dev.graft.format.ModelFiles;
import dev.graft.format.dl4j.Dl4jZipWriter;
import dev.graft.model.HostArray;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Merges with DL4J donors, through the command line: a Keras donor into a DL4J donor, and two DL4J
 * donors, written as zips that ModelSerializer restores and that compute B(bridge(A(x))).
 */
class MergeDl4jTest {
    static final Path KERAS = Path.of("samples/example1_first.h5");   // 10 -> 32
    static final Path DL4J = Path.of("samples/dl4j_classifier.zip");  // 32 -> 1

    @TempDir
    Path dir;

    private static HostArray run(Path model, HostArray x) {
        return dev.graft.engine.EngineModels.load(model).predict(x)[0];
    }

    private static HostArray restoredRun(Path zip, HostArray x) throws Exception {
        ComputationGraph g = ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        return Tensors.fromNd4j(g.output(false, Tensors.toNd4j(x, DataType.FLOAT))[0]);
    }

    @Test
    void kerasDonorIntoDl4jDonor() throws Exception {
        Path out = dir.resolve("h.zip");
        Cli r = Cli.run("merge", KERAS.toString(), DL4J.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        HostArray x = randomInput(6, new long[] {10}, 3);
        HostArray expected = run(DL4J, run(KERAS, x));
        assertClose(expected, restoredRun(out, x), 1e-6);
        assertClose(expected, run(out, x), 1e-6);
        assertEquals("graft", ModelFiles.read(out).source().producer());
    }

    @Test
    void twoDl4jDonorsThroughADenseBridge() throws Exception {
        Path first = dir.resolve("first.zip");
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(24).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(24).nOut(12).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Dl4jZipWriter.write(net, first);
        Path out = dir.resolve("h.zip");
        Cli r = Cli.run("merge", first.toString(), DL4J.toString(), "--bridge", "dense:32:tanh", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        HostArray x = randomInput(5, new long[] {10}, 4);
        var bridge = ModelFiles.read(out).layer("bridge1_dense");
        assertTrue(bridge != null, "the bridge is in the zip under its name");
        HostArray mid = HybridChecks.dense(run(first, x), bridge.weights().get(0), bridge.weights().get(1), "tanh");
        assertClose(run(DL4J, mid), restoredRun(out, x), 1e-6);
    }

    /**
     * A DL4J donor enters the plan as its Keras translation, so the hybrid goes into .h5 as well as
     * .zip, both computing B(A(x)), with the DL4J donor's dense weights bit for bit in the .h5.
     */
    @Test
    void dl4jDonorIntoH5AndZipComputeTheSame() throws Exception {
        Path h5 = dir.resolve("h.h5"), zip = dir.resolve("h.zip");
        assertEquals(0, Cli.run("merge", KERAS.toString(), DL4J.toString(), "-o", h5.toString()).exitCode());
        assertEquals(0, Cli.run("merge", KERAS.toString(), DL4J.toString(), "-o", zip.toString()).exitCode());
        HostArray x = randomInput(6, new long[] {10}, 3);
        HostArray expected = run(DL4J, run(KERAS, x));
        assertClose(expected, run(h5, x), 1e-6);
        assertClose(run(h5, x), restoredRun(zip, x), 1e-6);
        var dl4jLayer = ModelFiles.read(DL4J).layer("layer0");
        assertTrue(dl4jLayer.weights().get(0).read().bitEquals(ModelFiles.read(h5).layer("layer0").weights().get(0).read()));
    }

    /**
     * A DL4J donor with a layer Keras has no equivalent for cannot enter the one hybrid graph: the
     * merge is refused by layer, into .zip as into .h5, and nothing is written.
     */
    @Test
    void untranslatableDl4jDonorIsRefusedByLayer() {
        Path vae = dev.graft.Fixtures.file("dl4j/integration_VAEMnistAnomaly/Model_RANDOM_INIT_UNTRAINED.zip");
        for (String name : new String[] {"h.h5", "h.zip"}) {
            Path out = dir.resolve(name);
            Cli r = Cli.run("merge", vae.toString(), KERAS.toString(), "--bridge", "dense:10", "-o", out.toString());
            assertEquals(1, r.exitCode(), name);
            assertEquals("graft: " + vae + ": layer 'layer0' (DL4J VariationalAutoencoder) has no Keras translation: a variational"
                    + " autoencoder layer (encoder, sampling and decoder in one) has no Keras layer; graft merges and adapts a DL4J"
                    + " network as its Keras translation\n", r.err());
            assertTrue(!out.toFile().exists(), name);
        }
    }

    @Test
    void kerasOnlyHybridIntoZipAndH5ComputeTheSame() throws Exception {
        Path zip = dir.resolve("h.zip"), h5 = dir.resolve("h.h5");
        String[] base = {"merge", "samples/example3_first.h5", "samples/example3_second.h5", "--bridge", "dense:32", "--freeze", "donors"};
        assertEquals(0, Cli.run(concat(base, "-o", zip.toString())).exitCode());
        assertEquals(0, Cli.run(concat(base, "-o", h5.toString())).exitCode());
        HostArray x = randomInput(4, new long[] {10}, 9);
        assertClose(run(h5, x), restoredRun(zip, x), 1e-6);
        assertEquals(2080, ModelFiles.read(zip).trainableParameterCount(), "only the bridge trains in the zip too");
    }

    /**
     * A zip of Keras layers DL4J computes correctly holds DL4J's own classes only, so any DL4J opens
     * it without graft (graft's classes stand in only where DL4J computes wrong or not at all).
     */
    @Test
    void zipOfKerasLayersNeedsNoGraftClasses() throws Exception {
        Path out = dir.resolve("ts.zip");
        Cli r = Cli.run("merge", "samples/ts_extractor.h5", "samples/ts_lstm.h5", "--bridge", "dense:8", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(out.toFile())) {
            String conf = new String(z.getInputStream(z.getEntry("configuration.json")).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(!conf.contains("dev.graft"), "configuration.json names graft classes");
        }
        // The bridge is the plan's per-step Dense (written as Conv1D in both files): its weights in Keras layout from the .h5 twin.
        Path h5 = dir.resolve("ts.h5");
        assertEquals(0, Cli.run("merge", "samples/ts_extractor.h5", "samples/ts_lstm.h5", "--bridge", "dense:8", "-o", h5.toString()).exitCode());
        var bridge = ModelFiles.read(h5).layer("bridge1_dense");
        HostArray x = randomInput(3, new long[] {32, 4}, 5);
        HostArray expected = run(Path.of("samples/ts_lstm.h5"), HybridChecks.dense(run(Path.of("samples/ts_extractor.h5"), x),
                bridge.weights().get(0), bridge.weights().get(1), "relu"));
        assertClose(expected, restoredRun(out, x), 1e-6);
        assertClose(run(h5, x), run(out, x), 1e-6);
    }

    /**
     * A DL4J donor whose output is a sequence (an LSTM and a per-step output layer, computed
     * channels first by DL4J): the hybrid's .zip gives Keras layout (batch, steps, features) and the
     * numbers of its .h5 twin, both the donors' composition.
     */
    @Test
    void dl4jSequenceDonorGivesKerasLayoutInZipAndH5() throws Exception {
        Path seq = dir.resolve("seq.zip");
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).list()
                .layer(new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nOut(6).activation(Activation.TANH).build())
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(Activation.IDENTITY).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.recurrent(16))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Dl4jZipWriter.write(net, seq);
        Path zip = dir.resolve("h.zip"), h5 = dir.resolve("h.h5");
        String extractor = "samples/ts_extractor.h5"; // (32, 4) -> (16, 16)
        assertEquals(0, Cli.run("merge", extractor, seq.toString(), "-o", zip.toString()).exitCode());
        assertEquals(0, Cli.run("merge", extractor, seq.toString(), "-o", h5.toString()).exitCode());
        HostArray x = randomInput(3, new long[] {32, 4}, 12);
        HostArray expected = run(seq, run(Path.of(extractor), x));
        assertEquals("[3, 16, 3]", java.util.Arrays.toString(expected.shape()));
        assertClose(expected, run(zip, x), 1e-5);
        assertClose(expected, run(h5, x), 1e-5);
    }

    /**
     * A Keras 1 donor enters the one hybrid graph as its Keras 2 upgrade, so its hybrid goes into
     * .h5 (refused before) and .zip alike, both computing B(bridge(A(x))).
     */
    @Test
    void keras1DonorMergesIntoH5AndZipAlike() throws Exception {
        Path k1 = dev.graft.Fixtures.file("keras/io/simple_lstm_th_keras_1_model.h5"); // (1, 1) -> (1,)
        Path zip = dir.resolve("k1.zip"), h5 = dir.resolve("k1.h5");
        for (Path out : new Path[] {zip, h5}) {
            Cli r = Cli.run("merge", k1.toString(), KERAS.toString(), "--bridge", "dense:10", "-o", out.toString());
            assertEquals(0, r.exitCode(), r.err());
        }
        var bridge = ModelFiles.read(h5).layer("bridge1_dense");
        HostArray x = randomInput(5, new long[] {1, 1}, 13);
        HostArray expected = run(KERAS, HybridChecks.dense(run(k1, x), bridge.weights().get(0), bridge.weights().get(1), "relu"));
        assertClose(expected, run(h5, x), 1e-5);
        assertClose(expected, run(zip, x), 1e-5);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
