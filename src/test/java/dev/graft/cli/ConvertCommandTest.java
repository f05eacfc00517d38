package dev.graft.cli;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.engine.EngineModel;
import dev.graft.format.FormatSniffer;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.Flattener;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code graft convert} as a user runs it: round trips between Keras 2 {@code .h5}, Keras 3
 * {@code .keras} and DL4J {@code .zip} keep the predictions (1e-6) and, between Keras files, every
 * donor weight bit for bit; formats that a name contradicts, and conversions graft cannot make, are refused.
 */
class ConvertCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keras/io/simple_flatten_lstm_tf_keras_2_model.h5", "keras/io/ThresholdReLU_0_model.h5",
        "keras/io/conv1d_k2_s1_d1_cf_valid_model.h5", "wild/nslkdd_conv1d_bn_bilstm_tf210.h5", "keras3-zoo/transformer_postnorm_relu.h5"})
    void h5ToKerasToH5KeepsPredictionsAndWeights(String fixture) {
        Path source = Fixtures.file(fixture);
        Path keras = dir.resolve("model.keras");
        Path back = dir.resolve("back.h5");
        Cli r = Cli.run("convert", source.toString(), "-o", keras.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(ModelFormat.KERAS_ZIP, FormatSniffer.detect(keras));
        r = Cli.run("convert", keras.toString(), "-o", back.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(ModelFormat.KERAS_H5, FormatSniffer.detect(back));

        ModelGraph original = ModelFiles.read(source);
        HostArray[] x = inputsFor(source, original);
        HostArray[] expected = EngineModel.ofKeras(original).predict(x);
        for (Path p : new Path[] {keras, back}) {
            HostArray[] got = EngineModel.ofKeras(ModelFiles.read(p)).predict(x);
            for (int i = 0; i < expected.length; i++) assertClose(expected[i], got[i], 1e-6);
            assertWeightsIdentical(Flattener.flatten(original), ModelFiles.read(p));
        }
    }

    @Test
    void kerasToZipKeepsPredictions() {
        Path source = Fixtures.file("keras3-seed/ts_dense_hybrid_by_keras.keras");
        Path zip = dir.resolve("model.zip");
        Cli r = Cli.run("convert", source.toString(), "-o", zip.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(ModelFormat.DL4J_ZIP, FormatSniffer.detect(zip));
        StoredPredictions keras = StoredPredictions.read(Fixtures.file("keras3-seed/ts_dense_hybrid_by_keras_inputs_and_outputs.h5"));
        HostArray expected = EngineModel.ofKeras(ModelFiles.read(source)).predict(keras.inputs().get(0))[0];
        HostArray got = EngineModel.ofDl4j(zip).predict(keras.inputs().get(0))[0];
        assertClose(expected, got, 1e-6);
        assertClose(keras.outputs().get(0), got, 1e-5);
    }

    @Test
    void hdf5UnderAKerasNameIsRefused() {
        Path out = dir.resolve("x.keras");
        Cli r = Cli.run("convert", Fixtures.file("keras3-seed/seed_ex1_first.h5").toString(), "--format", "h5", "-o", out.toString());
        assertEquals(1, r.exitCode());
        assertEquals("graft: " + out + ": the name says a Keras 3 archive (.keras) but --format asks for Keras HDF5 (.h5); Keras picks its loader"
                + " by the extension: name it .h5 or drop --format\n", r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void formatKerasWritesAnArchive() {
        Path out = dir.resolve("model.bin");
        Cli r = Cli.run("convert", Fixtures.file("keras3-seed/seed_ex1_first.h5").toString(), "--format", "keras", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(ModelFormat.KERAS_ZIP, FormatSniffer.detect(out));
    }

    /**
     * A DL4J network into Keras in one step: the file reopens as a Keras model that computes what
     * DL4J computes (1e-6), dense weights bit for bit, LSTM weights DL4J's gates in Keras's order.
     */
    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"integration_MLPMoon/Model_RANDOM_INIT_UNTRAINED.zip,h5", "integration_RnnCsvSequenceClassification2/Model_RANDOM_INIT_UNTRAINED.zip,keras",
        "regression_080/080_ModelSerializer_Regression_MLP_2.zip,keras"})
    void dl4jToKerasComputesAsDl4j(String fixture, String format) {
        Path zip = Fixtures.file("dl4j/" + fixture);
        Path out = dir.resolve("x." + format);
        Cli r = Cli.run("convert", zip.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(format.equals("h5") ? ModelFormat.KERAS_H5 : ModelFormat.KERAS_ZIP, FormatSniffer.detect(out));
        ModelGraph written = ModelFiles.read(out);
        ModelGraph dl4j = ModelFiles.read(zip);
        HostArray x = randomInput(written, 5);
        HostArray expected = EngineModel.ofDl4j(zip).predict(x)[0];
        assertClose(expected, EngineModel.ofKeras(written).predict(x)[0], 1e-6);
        assertEquals(dl4j.parameterCount(), written.parameterCount());
        for (var l : dl4j.layers()) {
            if (!l.className().equals("DenseLayer") && !l.className().equals("OutputLayer")) continue;
            // A leaky ReLU follows as its own layer under the DL4J name; the Dense before it is <name>_linear.
            var keras = written.layer(l.name()).weights().isEmpty() ? written.layer(l.name() + "_linear") : written.layer(l.name());
            assertTrue(l.weights().get(0).read().bitEquals(keras.weights().get(0).read()), l.name() + " kernel");
        }
    }

    /**
     * Keras's channels-last models through a DL4J zip and back: the zip holds DL4J's NHWC/NWC image layers, PReLU and
     * batch normalisation (or graft's recasts of them), graft's own activation functions (gelu, silu), GRU and SimpleRNN,
     * activation layers with parameters (ReLU with a cap, threshold or slope, LeakyReLU, ELU with alpha 0.5, Rescaling),
     * and the Keras file converted from it computes what the original
     * does (1e-6), every original weight bit for bit. Checked by hand in real Keras 3.15.1 (the oracle): the files load and
     * predict the original's numbers.
     */
    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"wild/mnist_digit.keras,h5", "wild/mnist_cnn_k215.h5,keras", "keras3-zoo/prelu_conv_shared3.keras,h5",
        "keras3-zoo/prelu_shared1.keras,keras", "keras3-zoo/batchnorm_axis1.keras,keras", "keras3-zoo/batchnorm_after_conv.keras,h5",
        "keras3-zoo/residual_cnn_block.keras,h5", "keras3-zoo/averagepool1d_3_s1_same.keras,keras", "keras3-zoo/zeropad2d_12_01.keras,h5",
        "keras3-zoo/upsampling2d_2.keras,keras", "keras3-zoo/maxpool2d_3_s2_same.keras,h5", "keras3-zoo/dense_act_gelu.keras,h5",
        "keras3-zoo/activation_silu.keras,keras", "keras3-zoo/gru_reset_before.keras,h5", "keras3-zoo/simplernn_backwards.keras,keras",
        "keras3-zoo/relu_max6.keras,h5", "keras3-zoo/relu_max_conv.keras,keras", "keras3-zoo/relu_slope_thresh.keras,h5",
        "keras3-zoo/leakyrelu_001.keras,keras", "keras3-zoo/leakyrelu_02.keras,h5", "keras3-zoo/elu_05.keras,keras",
        "keras3-zoo/rescaling_255.keras,h5", "keras3-zoo/rescaling_05_offset.keras,keras", "keras3-zoo/mlp_keras2_style.keras,h5"})
    void channelsLastKerasThroughZipBackToKeras(String fixture, String format) {
        Path source = Fixtures.file(fixture);
        Path zip = dir.resolve("model.zip");
        Path back = dir.resolve("back." + format);
        Cli r = Cli.run("convert", source.toString(), "-o", zip.toString());
        assertEquals(0, r.exitCode(), r.err());
        r = Cli.run("convert", zip.toString(), "-o", back.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(format.equals("h5") ? ModelFormat.KERAS_H5 : ModelFormat.KERAS_ZIP, FormatSniffer.detect(back));

        ModelGraph original = ModelFiles.read(source);
        HostArray[] x = inputsFor(source, original);
        HostArray[] expected = EngineModel.ofKeras(original).predict(x);
        ModelGraph reread = ModelFiles.read(back);
        HostArray[] got = EngineModel.ofKeras(reread).predict(x);
        assertEquals(expected.length, got.length);
        for (int i = 0; i < expected.length; i++) assertClose(expected[i], got[i], 1e-6);
        assertWeightsIdentical(Flattener.flatten(original), reread);
    }

    /**
     * Keras 3 pairs a legacy .h5 file's weight groups with its layers by position, in its own order (farthest from the
     * outputs first); DL4J lists a residual branch before the longer path beside it. The .h5 converted from the zip lists
     * the layers as Keras does, as the original file did (real Keras loaded the DL4J-ordered file with one Dense's
     * weights in another and refused it; it loads this one and agrees to 6e-9).
     */
    @Test
    void zipOfResidualModelBackToH5ListsLayersInKerasOrder() {
        Path source = Fixtures.file("wild/ctr_residual_add_tf224tf.h5");
        Path zip = dir.resolve("model.zip");
        Path back = dir.resolve("back.h5");
        assertEquals(0, Cli.run("convert", source.toString(), "-o", zip.toString()).exitCode());
        Cli r = Cli.run("convert", zip.toString(), "-o", back.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(ModelFiles.read(source).layers().stream().map(Layer::name).toList(),
                ModelFiles.read(back).layers().stream().map(Layer::name).toList());
    }

    /**
     * {@code train} writes a channels-last CNN's zip with graft's own layer classes (its channels-last convolution and
     * pooling, its PReLU, its GRU and SimpleRNN): {@code convert} reads them as the DL4J layers they recast or the Keras
     * layers they compute, and the Keras file computes what the
     * trained zip computes (1e-6). Real Keras 3.15.1 loads such files and agrees (checked by hand, 2.4e-7 on mnist_digit).
     */
    @ParameterizedTest(name = "{0} to {2}")
    @CsvSource({"wild/mnist_digit.keras,ChannelsLastConv2DLayer,keras", "keras3-zoo/prelu_conv_shared3.keras,GraftPReLULayer,h5",
        "keras3-zoo/gru_default.keras,KerasGruLayer,keras", "keras3-zoo/simplernn_seq_relu.keras,KerasSimpleRnnLayer,h5"})
    void trainedZipWithGraftLayersConvertsToKeras(String fixture, String graftClass, String format) throws Exception {
        Path source = Fixtures.file(fixture);
        StoredPredictions stored = StoredPredictions.read(source.resolveSibling(
                source.getFileName().toString().replaceAll("\\.(keras|h5)$", "") + "_inputs_and_outputs.h5"));
        Path xs = dir.resolve("x.npy"), ys = dir.resolve("y.npy");
        dev.graft.data.NpyWriter.write(xs, stored.inputs().get(0));
        dev.graft.data.NpyWriter.write(ys, stored.outputs().get(0));
        Path zip = dir.resolve("trained.zip");
        Cli r = Cli.run("train", source.toString(), "--x", xs.toString(), "--y", ys.toString(), "--loss", "mse", "--epochs", "1",
                "--seed", "3", "-q", "-o", zip.toString());
        assertEquals(0, r.exitCode(), r.err());
        String config;
        try (var z = new java.util.zip.ZipFile(zip.toFile())) {
            config = new String(z.getInputStream(z.getEntry("configuration.json")).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(config.contains("dev.graft.engine.layers." + graftClass), "the trained zip holds graft's " + graftClass);
        Path back = dir.resolve("back." + format);
        r = Cli.run("convert", zip.toString(), "-o", back.toString());
        assertEquals(0, r.exitCode(), r.err());
        HostArray x = stored.inputs().get(0);
        HostArray expected = EngineModel.ofDl4j(zip).predict(x)[0];
        assertClose(expected, EngineModel.ofKeras(ModelFiles.read(back)).predict(x)[0], 1e-6);
    }

    /**
     * A graft layer with no Keras translation (its depthwise convolution) and an activation whose Keras name means two
     * functions (hard_sigmoid) are still one line naming the layer, and nothing is written.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "dwconv2d_k3|KerasConvolutionLayer|it is graft's own engine layer KerasConvolutionLayer, which graft does not translate back to Keras",
        "dense_act_hard_sigmoid|DenseLayer|its hard_sigmoid means another function in Keras 2 and Keras 3 files, which the translation cannot pin"})
    void zipWithUntranslatableLayerIsRefusedByName(String fixture, String dl4jClass, String reason) {
        Path zip = dir.resolve("model.zip");
        Cli r = Cli.run("convert", Fixtures.file("keras3-zoo/" + fixture + ".keras").toString(), "-o", zip.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path out = dir.resolve("model.h5");
        r = Cli.run("convert", zip.toString(), "-o", out.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().matches("graft: " + java.util.regex.Pattern.quote(zip.toString()) + ": layer '[^']+' \\(DL4J " + dl4jClass
                + "\\) has no Keras translation: " + java.util.regex.Pattern.quote(reason) + "\n"), r.err());
        assertFalse(Files.exists(out));
    }

    /** Three samples of the model's input, seven steps where the length is open. */
    private static HostArray randomInput(ModelGraph m, long seed) {
        var s = dev.graft.shape.GraphShapes.infer(m).shape(m.inputs().get(0));
        long[] shape = new long[s.rank()];
        shape[0] = 3;
        for (int d = 1; d < shape.length; d++) shape[d] = s.dim(d) == null ? 7 : s.dim(d);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(HostArray.size(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return HostArray.ofFloats(shape, v);
    }

    @Test
    void dl4jWithoutKerasEquivalentIsRefusedBeforeWriting() {
        Path zip = Fixtures.file("dl4j/regression_080/080_ModelSerializer_Regression_LSTM_1.zip");
        Path out = dir.resolve("x.keras");
        Cli r = Cli.run("convert", zip.toString(), "-o", out.toString());
        assertEquals(1, r.exitCode());
        assertEquals("graft: " + zip + ": layer 'layer0' (DL4J GravesLSTM) has no Keras translation: Graves LSTMs have peephole"
                + " connections, which Keras's LSTM has not\n", r.err());
        assertFalse(Files.exists(out));
    }

    /** Keras 3's hard_sigmoid (relu6(x+3)/6) has no Keras 2 spelling: the .h5 keeps the Keras 3 version, so every copy computes it. */
    @Test
    void keras3HardSigmoidSurvivesConversionBothWays() throws Exception {
        StoredPredictions stored = StoredPredictions.read(Fixtures.file("keras3-zoo/lstm_hard_sigmoid_inputs_and_outputs.h5"));
        Path h5 = dir.resolve("lstm.h5");
        Path again = dir.resolve("again.h5");
        Path keras = dir.resolve("lstm.keras");
        assertEquals(0, Cli.run("convert", Fixtures.file("keras3-zoo/lstm_hard_sigmoid.keras").toString(), "-o", h5.toString()).exitCode());
        assertEquals(0, Cli.run("convert", h5.toString(), "-o", again.toString()).exitCode());
        assertEquals(0, Cli.run("convert", again.toString(), "-o", keras.toString()).exitCode());
        for (Path p : new Path[] {h5, again, keras}) {
            HostArray[] y = EngineModel.ofKeras(ModelFiles.read(p)).predict(stored.inputs().toArray(HostArray[]::new));
            assertClose(stored.outputs().get(0), y[0], 1e-5);
        }
        assertEquals(3, ModelFiles.read(h5).source().kerasMajor());
    }

    @Test
    void keras2HardSigmoidIsReported() {
        Path out = dir.resolve("lstm.keras");
        Cli r = Cli.run("convert", Fixtures.file("keras/io/simple_flatten_lstm_tf_keras_2_model.h5").toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("uses hard_sigmoid, which Keras 3 redefined"), r.err());
    }

    @Test
    void mergeWritesAKerasArchive() {
        Path first = Fixtures.file("keras3-seed/seed_ex1_first.keras");
        Path second = Fixtures.file("keras3-seed/seed_ex1_second.keras");
        Path out = dir.resolve("hybrid.keras");
        Cli r = Cli.run("merge", first.toString(), second.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("Wrote " + out + " (keras)"), r.err());
        StoredPredictions keras = StoredPredictions.read(Fixtures.file("keras3-seed/seed_ex1_hybrid_by_keras_inputs_and_outputs.h5"));
        ModelGraph hybrid = ModelFiles.read(out);
        assertTrue(hybrid.provenance().path("donors").size() == 2, "provenance kept");
        assertClose(keras.outputs().get(0), EngineModel.ofKeras(hybrid).predict(keras.inputs().get(0))[0], 1e-5);
    }

    /**
     * A Keras 1 LSTM in Keras 2's spelling and weight layout (its twelve per-gate arrays joined in Keras 2's gate
     * order): predictions as graft computes the Keras 1 source (1e-6) and as Keras 1 stored them (1e-4), every value
     * of the upgraded weights bit for bit, through .keras and .h5.
     */
    @Test
    void keras1LstmConvertsToKerasFiles() {
        Path source = Fixtures.file("keras/io/simple_lstm_th_keras_1_model.h5");
        ModelGraph original = ModelFiles.read(source);
        assertEquals(1, original.source().kerasMajor());
        StoredPredictions keras1 = StoredPredictions.read(Fixtures.file("keras/io/simple_lstm_th_keras_1_inputs_and_outputs.h5"));
        HostArray[] x = keras1.inputs().toArray(HostArray[]::new);
        HostArray[] expected = EngineModel.ofKeras(original).predict(x);
        for (Path out : keras1Conversions(source, original)) {
            HostArray[] got = EngineModel.ofKeras(ModelFiles.read(out)).predict(x);
            assertClose(expected[0], got[0], 1e-6);
            assertClose(keras1.outputs().get(0), got[0], 1e-4);
        }
    }

    /**
     * A Keras 1 CNN (Convolution2D with tf ordering, MaxPooling2D, Dropout's p), which DL4J's Keras 1 import cannot build
     * (its Flatten gets no input size): the engine computes it as the Keras 2 model it upgrades to. The source and the
     * converted files are checked against what real Keras 3.15.1 computes from graft's .keras of it
     * (keras1_cnn_keras3_reference.npz: bench's oracle, inputs uniform in [-1, 1), seed 11).
     */
    @Test
    void keras1CnnConvertsToKerasFiles() {
        Path source = Fixtures.file("keras/models/keras__simple__cnn_tf_model.h5");
        ModelGraph original = ModelFiles.read(source);
        var reference = dev.graft.data.NpzFile.read(Path.of(getClass().getResource("keras1_cnn_keras3_reference.npz").getPath()));
        assertClose(reference.get("y"), EngineModel.ofKeras(original).predict(reference.get("x"))[0], 1e-5);
        for (Path out : keras1Conversions(source, original)) {
            assertClose(reference.get("y"), EngineModel.ofKeras(ModelFiles.read(out)).predict(reference.get("x"))[0], 1e-5);
        }
    }

    /**
     * convert upgrades a Keras 1 model once: the refusal check's upgrade is the model the writers get, and an
     * upgraded model is no longer Keras 1, so the writers' own upgrade leaves it as it is.
     */
    @Test
    void keras1ModelIsUpgradedOnceForKerasTargets() {
        Path source = Fixtures.file("keras/models/keras__simple__cnn_tf_model.h5");
        ModelGraph original = ModelFiles.read(source);
        var target = dev.graft.surgery.OutputTarget.of(dir.resolve("cnn.keras"), null, dev.graft.format.Overwrite.REPLACE, java.util.List.of(source));
        ModelGraph checked = dev.graft.engine.ModelConverter.check(original, source, target);
        assertEquals(2, checked.source().kerasMajor());
        assertTrue(checked.layers().stream().anyMatch(l -> l.className().equals("Conv2D")), "upgraded class names");
        org.junit.jupiter.api.Assertions.assertSame(checked, dev.graft.format.keras.Keras1Upgrade.apply(checked));
        var zip = dev.graft.surgery.OutputTarget.of(dir.resolve("cnn.zip"), null, dev.graft.format.Overwrite.REPLACE, java.util.List.of(source));
        org.junit.jupiter.api.Assertions.assertSame(original, dev.graft.engine.ModelConverter.check(original, source, zip),
                "a .zip target leaves the model to the engine, which upgrades it itself");
    }

    /** The source converted to .keras and .h5: Keras 2 semantics, no Keras 1 spelling left, upgraded weights bit for bit. */
    private java.util.List<Path> keras1Conversions(Path source, ModelGraph original) {
        java.util.List<Path> outs = new java.util.ArrayList<>();
        for (String name : new String[] {"model.keras", "model.h5"}) {
            Path out = dir.resolve(name);
            Cli r = Cli.run("convert", source.toString(), "-o", out.toString());
            assertEquals(0, r.exitCode(), r.err());
            ModelGraph back = ModelFiles.read(out);
            assertEquals(2, back.source().kerasMajor(), "graft's file follows Keras 2 semantics");
            for (Layer l : back.layers()) {
                for (String key : new String[] {"output_dim", "nb_filter", "border_mode", "dim_ordering", "init", "p"}) {
                    assertFalse(l.config().has(key), l.name() + " still says " + key);
                }
            }
            assertWeightsIdentical(Flattener.flatten(dev.graft.format.keras.Keras1Upgrade.apply(original)), back);
            outs.add(out);
        }
        return outs;
    }

    @Test
    void keras1LayerWithoutKeras2SpellingIsRefusedBeforeWriting() {
        Path source = Fixtures.file("keras/models/keras__simple__lstm_tf_model.h5");
        Path out = dir.resolve("x.keras");
        Cli r = Cli.run("convert", source.toString(), "-o", out.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("graft: " + source + ": written by Keras 1.1.0: layer 'timedistributeddense_1' (TimeDistributedDense, Keras 1)"),
                r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(out));
    }

    private static HostArray[] inputsFor(Path source, ModelGraph model) {
        String file = source.getFileName().toString();
        String stem = file.endsWith("_model.h5") ? file.substring(0, file.length() - "_model.h5".length()) : file.substring(0, file.lastIndexOf('.'));
        Path io = source.resolveSibling(stem + "_inputs_and_outputs.h5");
        if (Files.exists(io)) return StoredPredictions.read(io).inputs().toArray(HostArray[]::new);
        var shape = dev.graft.shape.GraphShapes.infer(Flattener.flatten(model)).modelInputShapes().get(0);
        long[] dims = new long[shape.rank()];
        dims[0] = 3;
        for (int i = 1; i < dims.length; i++) dims[i] = shape.dim(i);
        float[] v = new float[(int) HostArray.size(dims)];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1);
        return new HostArray[] {HostArray.ofFloats(dims, v)};
    }

    private static void assertWeightsIdentical(ModelGraph flat, ModelGraph back) {
        for (Layer l : flat.layers()) {
            Layer b = back.layer(l.name());
            assertTrue(b != null, "layer " + l.name() + " missing");
            assertEquals(l.weights().size(), b.weights().size(), "weights of " + l.name());
            for (int i = 0; i < l.weights().size(); i++) {
                assertTrue(l.weights().get(i).read().bitEquals(b.weights().get(i).read()), "weight " + l.weights().get(i).name() + " changed");
            }
        }
    }
}
