package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Keras 3 zoo cases of the layers and activations graft computes with its own engine code (issue 12) reproduce
 * the predictions Keras stored, from the case's {@code .keras} and its {@code .h5} alike (attention layers returning their
 * scores included). Cases are picked from the zoo's MANIFEST.tsv by name prefix.
 */
class Keras3ZooLayersTest {
    /** Zoo cases computed, by name prefix, with their tolerance. */
    private static final Map<String, Double> COMPUTED = Map.ofEntries(
            Map.entry("activation_", 1e-5),
            Map.entry("dense_act_", 1e-5),
            Map.entry("rescaling_", 1e-5),
            Map.entry("identity", 1e-5),
            Map.entry("layernorm_", 1e-5),
            Map.entry("rmsnorm_", 1e-5),
            Map.entry("mha_", 1e-4),
            Map.entry("gqa_", 1e-4),
            Map.entry("einsumdense_", 1e-5),
            Map.entry("transformer_", 1e-4),
            Map.entry("unitnorm_", 1e-5),
            Map.entry("centercrop_", 1e-5),
            Map.entry("minimum_", 1e-5),
            Map.entry("normalization_", 1e-5),
            Map.entry("dwconv1d_", 1e-5),
            Map.entry("dwconv2d_", 1e-5),
            Map.entry("conv1dt_", 1e-5),
            Map.entry("conv2d_groups", 1e-5),
            Map.entry("groupnorm_", 1e-5),
            Map.entry("resizing_", 1e-5),
            Map.entry("attention_", 1e-4),
            Map.entry("additive_", 1e-4),
            Map.entry("bidi_", 1e-4),
            Map.entry("td_", 1e-4),
            Map.entry("cropping1d_", 1e-5),
            Map.entry("cropping3d_", 1e-5),
            Map.entry("zeropad1d_", 1e-5),
            Map.entry("zeropad3d_", 1e-5),
            Map.entry("upsampling1d_", 1e-5),
            Map.entry("upsampling2d_", 1e-5),
            Map.entry("upsampling3d_", 1e-5),
            Map.entry("conv2d_cf", 1e-5),
            Map.entry("conv2dt_", 1e-5),
            Map.entry("conv3dt_", 1e-5),
            Map.entry("sepconv", 1e-5),
            Map.entry("batchnorm_", 1e-5),
            Map.entry("lstm_backwards", 1e-4),
            Map.entry("lstm_hard_sigmoid", 1e-4),
            Map.entry("gru_seq_backwards", 1e-4),
            Map.entry("simplernn_", 1e-4),
            Map.entry("permute_", 1e-5),
            Map.entry("reshape_", 1e-5),
            Map.entry("gaveragepool", 1e-5),
            Map.entry("gmaxpool", 1e-5),
            Map.entry("dot_", 1e-5),
            Map.entry("shared_dense", 1e-5),
            Map.entry("convlstm", 1e-5));
    static Stream<Arguments> computed() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String name : caseNames()) {
            // Keras's torch backend computes bicubic otherwise than TensorFlow (the zoo's README): KerasZooTest checks it
            // against TensorFlow's definition, which graft computes.
            if (name.equals("resizing_bicubic")) continue;
            for (Map.Entry<String, Double> e : COMPUTED.entrySet()) {
                if (!name.startsWith(e.getKey())) continue;
                for (String ext : List.of(".keras", ".h5")) {
                    Path model = zoo().resolve(name + ext);
                    if (Files.exists(model)) out.add(Arguments.of(name + ext, model, e.getValue()));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("computed")
    void reproducesKerasPredictions(String name, Path model, double tolerance) {
        String stem = name.substring(0, name.lastIndexOf('.'));
        StoredPredictions stored = StoredPredictions.read(zoo().resolve(stem + "_inputs_and_outputs.h5"));
        EngineModel engine = EngineModel.ofKeras(ModelFiles.read(model));
        HostArray[] y = engine.predict(stored.inputs().toArray(HostArray[]::new));
        assertEquals(stored.outputs().size(), y.length);
        for (int i = 0; i < y.length; i++) assertClose(stored.outputs().get(i), y[i], tolerance);
    }

    /**
     * Keras's MultiHeadAttention applies the masks made upstream without being asked; graft applies one mask per input, so
     * a query carrying the masks of two Masking layers (Keras ands them) is refused, not ignored.
     */
    @org.junit.jupiter.api.Test
    void attentionAfterTwoMasksIsRefused() {
        dev.graft.model.ModelGraph block = ModelFiles.read(zoo().resolve("transformer_postnorm_relu.keras"));
        List<dev.graft.model.Layer> layers = new ArrayList<>();
        for (dev.graft.model.Layer l : block.layers()) {
            if (l.className().equals("MultiHeadAttention")) {
                for (String name : List.of("masking_a", "masking_b")) {
                    com.fasterxml.jackson.databind.node.ObjectNode mc = dev.graft.format.Json.object();
                    mc.put("name", name);
                    mc.put("mask_value", 0.0);
                    layers.add(new dev.graft.model.Layer(name, "Masking", mc, List.of(new dev.graft.model.LayerCall(
                            List.of(l.calls().get(0).inputs().get(0)), dev.graft.format.Json.object())), List.of(), null));
                }
                com.fasterxml.jackson.databind.node.ObjectNode ac = dev.graft.format.Json.object();
                ac.put("name", "both");
                layers.add(new dev.graft.model.Layer("both", "Add", ac, List.of(new dev.graft.model.LayerCall(
                        List.of(dev.graft.model.TensorRef.of("masking_a"), dev.graft.model.TensorRef.of("masking_b")), dev.graft.format.Json.object())),
                        List.of(), null));
                dev.graft.model.TensorRef m = dev.graft.model.TensorRef.of("both");
                l = new dev.graft.model.Layer(l.name(), l.className(), l.config(),
                        List.of(new dev.graft.model.LayerCall(List.of(m, m), l.calls().get(0).kwargs())), l.weights(), null);
            }
            layers.add(l);
        }
        dev.graft.model.ModelGraph masked = block.withLayers(layers, block.inputs(), block.outputs());
        EngineException e = assertThrows(EngineException.class, () -> EngineModel.ofKeras(masked));
        assertEquals("layer 'multi_head_attention' (MultiHeadAttention) reads on its query the masks of several layers (masking_a, masking_b), "
                + "which graft's engine does not combine; graft cannot compute this model", e.getMessage());
        dev.graft.model.Layer mha = masked.layers().stream().filter(l -> l.className().equals("MultiHeadAttention")).findFirst().orElseThrow();
        assertEquals("(MultiHeadAttention) reads on its query the masks of several layers (masking_a, masking_b), which graft's engine does not combine",
                Computability.whyNot(mha, masked, dev.graft.shape.GraphShapes.infer(masked)));
    }

    /**
     * UpSampling2D feeding Flatten and Dense (a decoder head): Keras's upsampled images (the zoo's stored upsampling2d_2
     * output) flattened in Keras's (row, column, channel) order and multiplied by the Dense kernel give the expected numbers.
     */
    @org.junit.jupiter.api.Test
    void upSampling2DFeedsFlattenAndDense() {
        for (String file : List.of("upsampling2d_2.keras", "upsampling2d_2.h5")) {
            dev.graft.model.ModelGraph up = ModelFiles.read(zoo().resolve(file));
            StoredPredictions stored = StoredPredictions.read(zoo().resolve("upsampling2d_2_inputs_and_outputs.h5"));
            int n = 6 * 6 * 2, units = 3;
            dev.graft.model.Layer flatten = dev.graft.surgery.KerasLayerFactory.flatten("flatten", up.outputs().get(0));
            dev.graft.model.Layer dense = dev.graft.surgery.KerasLayerFactory.dense("dense", units, "linear", n,
                    dev.graft.model.TensorRef.of("flatten"), new java.util.SplittableRandom(5));
            List<dev.graft.model.Layer> layers = new ArrayList<>(up.layers());
            layers.add(flatten);
            layers.add(dense);
            dev.graft.model.ModelGraph model = up.withLayers(layers, up.inputs(), List.of(dev.graft.model.TensorRef.of("dense")));
            HostArray y = EngineModel.ofKeras(model).predict(stored.inputs().toArray(HostArray[]::new))[0];

            float[] u = stored.outputs().get(0).toFloatArray();
            float[] w = dense.weights().get(0).read().toFloatArray();
            float[] b = dense.weights().get(1).read().toFloatArray();
            int rows = u.length / n;
            float[] expected = new float[rows * units];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < units; j++) {
                    double sum = b[j];
                    for (int i = 0; i < n; i++) sum += (double) u[r * n + i] * w[i * units + j];
                    expected[r * units + j] = (float) sum;
                }
            }
            assertClose(HostArray.ofFloats(new long[] {rows, units}, expected), y, 1e-5);
        }
    }

    /**
     * Bicubic resizing: the zoo's stored outputs are Keras's torch backend's (the zoo's README), which the torch flavour of
     * {@link BicubicReference} reproduces; graft computes TensorFlow's flavour (which differs here by far more than the
     * tolerance), for Resizing and for UpSampling2D(interpolation="bicubic") alike.
     */
    @org.junit.jupiter.api.Test
    void bicubicIsTensorFlowsDefinition() {
        StoredPredictions stored = StoredPredictions.read(zoo().resolve("resizing_bicubic_inputs_and_outputs.h5"));
        HostArray x = stored.inputs().get(0);
        assertClose(stored.outputs().get(0), BicubicReference.torch(x, 5, 5), 1e-5);
        HostArray tf = BicubicReference.tensorFlow(x, 5, 5);
        double apart = 0;
        for (long i = 0; i < tf.size(); i++) apart = Math.max(apart, Math.abs(tf.getDouble(i) - stored.outputs().get(0).getDouble(i)));
        assertTrue(apart > 0.05, "the backends differ here: " + apart);
        for (String file : List.of("resizing_bicubic.keras", "resizing_bicubic.h5")) {
            assertClose(tf, EngineModel.ofKeras(ModelFiles.read(zoo().resolve(file))).predict(x)[0], 1e-5);
        }
        dev.graft.model.ModelGraph up = ModelFiles.read(zoo().resolve("upsampling2d_23_bilinear.keras"));
        List<dev.graft.model.Layer> layers = new ArrayList<>();
        for (dev.graft.model.Layer l : up.layers()) {
            if (l.className().equals("UpSampling2D")) {
                com.fasterxml.jackson.databind.node.ObjectNode config = l.config().deepCopy();
                config.put("interpolation", "bicubic");
                l = l.withConfig(config);
            }
            layers.add(l);
        }
        HostArray image = StoredPredictions.read(zoo().resolve("upsampling2d_23_bilinear_inputs_and_outputs.h5")).inputs().get(0);
        HostArray y = EngineModel.ofKeras(up.withLayers(layers, up.inputs(), up.outputs())).predict(image)[0];
        assertClose(BicubicReference.tensorFlow(image, 6, 12), y, 1e-5);
    }

    /**
     * A volume flattened: Conv3D (DL4J's) and a strided Conv3DTranspose (graft's) feeding Flatten and Dense give Keras's volumes
     * (the zoo's stored outputs) flattened in Keras's (depth, row, column, channel) order times the Dense kernel. DL4J's own
     * Flatten reads a channels-last volume as channels first (KerasFlattenVolumeImport).
     */
    @org.junit.jupiter.api.Test
    void volumesFeedFlattenAndDense() {
        for (String file : List.of("conv3d_valid.keras", "conv3dt_valid_s2.h5", "conv3dt_cf_same.keras")) {
            dev.graft.model.ModelGraph vol = ModelFiles.read(zoo().resolve(file));
            StoredPredictions stored = StoredPredictions.read(zoo().resolve(file.substring(0, file.lastIndexOf('.')) + "_inputs_and_outputs.h5"));
            long[] shape = stored.outputs().get(0).shape();
            int n = (int) (stored.outputs().get(0).size() / shape[0]), units = 3;
            dev.graft.model.Layer flatten = dev.graft.surgery.KerasLayerFactory.flatten("flatten", vol.outputs().get(0));
            dev.graft.model.Layer dense = dev.graft.surgery.KerasLayerFactory.dense("dense", units, "linear", n,
                    dev.graft.model.TensorRef.of("flatten"), new java.util.SplittableRandom(9));
            List<dev.graft.model.Layer> layers = new ArrayList<>(vol.layers());
            layers.add(flatten);
            layers.add(dense);
            dev.graft.model.ModelGraph model = vol.withLayers(layers, vol.inputs(), List.of(dev.graft.model.TensorRef.of("dense")));
            HostArray y = EngineModel.ofKeras(model).predict(stored.inputs().toArray(HostArray[]::new))[0];

            float[] u = stored.outputs().get(0).toFloatArray();
            float[] w = dense.weights().get(0).read().toFloatArray();
            float[] b = dense.weights().get(1).read().toFloatArray();
            int rows = (int) shape[0];
            float[] expected = new float[rows * units];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < units; j++) {
                    double sum = b[j];
                    for (int i = 0; i < n; i++) sum += (double) u[r * n + i] * w[i * units + j];
                    expected[r * units + j] = (float) sum;
                }
            }
            assertClose(HostArray.ofFloats(new long[] {rows, units}, expected), y, 1e-5);
        }
    }

    /**
     * What graft's new layers do not compute is refused with one line naming the layer and the argument (a channels-first
     * DepthwiseConv2D, an output padding and a BatchNormalization over axis 1 are computed now: KerasConvolutionReferenceTest).
     */
    @org.junit.jupiter.api.Test
    void graftsConvolutionsAndResizingRefuseWhatTheyDoNotCompute() {
        String[][] changes = {
            {"resizing_bilinear_down.keras", "resizing", "interpolation", "\"lanczos3\"",
                "layer 'resizing' (Resizing): argument interpolation=\"lanczos3\" is not computed by graft (graft computes nearest, bilinear,"
                        + " bicubic and area resizing (TensorFlow's definition) only)"},
            {"resizing_bilinear_down.keras", "resizing", "antialias", "true",
                "layer 'resizing' (Resizing): argument antialias=true is not computed by graft (graft computes only false)"},
            {"upsampling2d_23_bilinear.keras", "up_sampling2d", "interpolation", "\"lanczos5\"",
                "layer 'up_sampling2d' (UpSampling2D): argument interpolation=\"lanczos5\" is not computed by graft (graft computes nearest,"
                        + " bilinear, bicubic and area upsampling (TensorFlow's definition) only)"},
            {"dwconv2d_k3.keras", "depthwise_conv2d", "activation", "\"gelu\"",
                "layer 'depthwise_conv2d' uses activation 'gelu', which graft computes on Activation, Dense, Conv1D and Conv2D layers only"},
            {"conv2d_groups2.keras", "conv2d", "activation", "\"hard_sigmoid\"",
                "layer 'conv2d' (Conv2D): argument groups=2 is not computed by graft (graft computes grouped convolutions with the activations"
                        + " linear, relu, tanh, sigmoid, elu, selu, softplus, softsign, relu6, swish, silu, softmax only)"},
            {"conv2d_cf.keras", "conv2d", "activation", "\"gelu\"",
                "layer 'conv2d' (Conv2D): argument activation=\"gelu\" is not computed by graft (graft computes this layer with the activations"
                        + " linear, relu, tanh, sigmoid, elu, selu, softplus, softsign, relu6, swish, silu, softmax only)"},
            {"sepconv1d_same.keras", "separable_conv1d", "padding", "\"causal\"",
                "layer 'separable_conv1d' (SeparableConv1D): argument padding=\"causal\" is not computed by graft (graft computes valid and same padding)"},
            {"batchnorm_axis1.keras", "batch_normalization", "axis", "[1, 2]",
                "layer 'batch_normalization' (BatchNormalization): argument axis=[1,2] is not computed by graft (graft computes it over one axis only)"},
            {"batchnorm_axis1.keras", "batch_normalization", "axis", "4",
                "layer 'batch_normalization' (BatchNormalization): argument axis=4 is not computed by graft (graft computes it over one axis of the"
                        + " input other than the batch (1 to 3, or -1 to -3 here))"},
        };
        for (String[] c : changes) {
            dev.graft.model.ModelGraph model = ModelFiles.read(zoo().resolve(c[0]));
            List<dev.graft.model.Layer> layers = new ArrayList<>();
            for (dev.graft.model.Layer l : model.layers()) {
                if (l.name().equals(c[1])) {
                    com.fasterxml.jackson.databind.node.ObjectNode config = l.config().deepCopy();
                    config.set(c[2], dev.graft.format.Json.parse(c[3]));
                    l = l.withConfig(config);
                }
                layers.add(l);
            }
            EngineException e = assertThrows(EngineException.class,
                    () -> EngineModel.ofKeras(model.withLayers(layers, model.inputs(), model.outputs())));
            assertEquals(c[4] + "; graft cannot compute this model", e.getMessage());
        }
    }

    private static Path zoo() {
        return Fixtures.file("keras3-zoo");
    }

    private static List<String> caseNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(zoo().resolve("MANIFEST.tsv"))) {
            String name = line.split("\t")[0];
            if (!name.equals("name")) names.add(name);
        }
        return names;
    }
}
