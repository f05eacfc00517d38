package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.engine.claims.LayerClaims;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.shape.GraphShapes;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Keras layer classes graft can compute, and why the others cannot be. Knowing this needs
 * no arithmetic, so {@code inspect} can mark layers without starting the engine. The set is what
 * DL4J 1.0.0-M2.1's Keras import computes, plus the layers graft adds to the engine itself.
 */
public final class Computability {
    /**
     * Checked by building every model of the shared fixtures (keras/models: 273 of 307 build; the
     * others use the refused classes below, or hit DL4J import failures reported as such).
     */
    private static final Set<String> ENGINE = Set.of(
            "Activation", "Add", "AlphaDropout", "AtrousConvolution1D", "AtrousConvolution2D", "Average",
            "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "BatchNormalization", "Bidirectional",
            "Concatenate", "Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Cropping1D", "Cropping2D",
            "Cropping3D", "Conv2DTranspose", "Conv3DTranspose", "Dense", "Dropout", "ELU",
            "Embedding", "Flatten", "GaussianDropout", "GaussianNoise", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
            "GlobalMaxPooling1D", "GlobalMaxPooling2D", "InputLayer",
            "LeakyReLU", "LocallyConnected1D", "LSTM", "Masking", "Maximum", "MaxPooling1D", "MaxPooling2D",
            "MaxPooling3D", "Merge", "Multiply", "Permute", "PReLU", "ReLU", "RepeatVector", "Reshape",
            "SeparableConv2D", "SimpleRNN", "Softmax", "SpatialDropout1D", "SpatialDropout2D",
            "SpatialDropout3D", "Subtract", "ThresholdedReLU", "TimeDistributed", "UpSampling1D",
            "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
            // graft's own engine layers
            "GRU", "Rescaling", "Identity", "LayerNormalization", "RMSNormalization", "MultiHeadAttention", "UnitNormalization",
            "CenterCrop", "Minimum", "Normalization",
            "DepthwiseConv1D", "DepthwiseConv2D", "Conv1DTranspose", "GroupNormalization", "Resizing",
            "Attention", "AdditiveAttention",
            "GroupedQueryAttention", "GroupQueryAttention", "EinsumDense",
            "SeparableConv1D",
            "Dot", "GlobalAveragePooling3D", "GlobalMaxPooling3D",
            "ConvLSTM1D", "ConvLSTM2D");
    private static final Set<String> PYTHON_CODE = Set.of("Lambda");
    private static final Set<String> TENSORFLOW_OPS = Set.of("TFOpLambda", "SlicingOpLambda", "TensorFlowOpLayer");
    private static final Set<String> RECURRENT_IN_BIDIRECTIONAL = Set.of("LSTM", "SimpleRNN", "GRU", "ConvLSTM1D", "ConvLSTM2D");

    private Computability() {
    }

    /** Every Keras class graft computes, sorted (the README's list is generated from this). */
    public static Set<String> computableClasses() {
        return new TreeSet<>(ENGINE);
    }

    /** The kinds of layers graft refuses, for the README. */
    public static java.util.List<String> refusedKinds() {
        return java.util.List.of(
                "`Lambda` (Python code)",
                "`TFOpLambda`, `SlicingOpLambda`, `TensorFlowOpLayer` (raw TensorFlow operations)",
                "custom classes defined in the Python code that saved the model",
                "`Bidirectional` around anything but `LSTM`, `GRU`, `SimpleRNN`, `ConvLSTM1D` or `ConvLSTM2D`, or with a backward layer configured unlike its forward one "
                        + "but around `LSTM` or `SimpleRNN`; "
                        + "`TimeDistributed` around a layer not computed",
                "Keras 3 activations DL4J lacks (`gelu`, `mish`, `glu`, ...) on layers other than `Activation`, `Dense`, "
                        + "`Conv1D` and `Conv2D`; `log_softmax`/`sparsemax` on more than (batch, features)",
                "`MultiHeadAttention`/`GroupedQueryAttention` given an `attention_mask` of another shape than "
                        + "(batch, query steps, key steps), or reading on one input the Keras masks of several layers; "
                        + "`MultiHeadAttention` on inputs of rank 5 or more, or on rank-4 inputs with a mask, the causal mask or its scores used; "
                        + "attention layers returning their scores over an open number of query or key steps",
                "`Attention`/`AdditiveAttention` given a `mask` argument (the Keras masks of `Masking` and "
                        + "`Embedding(mask_zero=True)` layers upstream are applied), or reading on one input the Keras masks of several layers; "
                        + "`TimeDistributed` over an open number of steps",
                "`LayerNormalization` over other axes than the last; `BatchNormalization` over several axes (tf.keras's lists), or over another axis than the last of an input of open size or under a Keras mask; "
                        + "`Rescaling` with a per-channel scale or offset; "
                        + "`Normalization` of more than (batch, features)",
                "these Keras classes: " + String.join(", ", new TreeSet<>(KerasClasses.notComputed()).stream().map(c -> "`" + c + "`").toList()));
    }

    /** Null when graft can compute the layer, else why not, in words a user can act on (arguments read as Keras 2 wrote them). */
    public static String whyNot(Layer layer) {
        return whyNot(layer, 2, -1);
    }

    /** {@link #whyNot(Layer)} for a layer of a model, with its Keras version and the layer's input rank from the model's shapes. */
    public static String whyNot(Layer layer, ModelGraph model, GraphShapes shapes) {
        return whyNot(layer, model, shapes, model.source() == null ? 2 : model.source().kerasMajor(), true);
    }

    private static String whyNot(Layer layer, ModelGraph model, GraphShapes shapes, int major, boolean topLevel) {
        if (layer.nested() != null) {
            // A nested model's layers, with the nested model's own shapes (its layers' ranks), as the engine sees them flattened.
            GraphShapes inner = GraphShapes.infer(layer.nested());
            for (Layer l : layer.nested().layers()) {
                String why = whyNot(l, layer.nested(), inner, major, false);
                if (why != null) return "contains layer '" + l.name() + "', which " + why;
            }
            return null;
        }
        int rank = -1;
        if (!layer.calls().isEmpty() && !layer.calls().get(0).inputs().isEmpty()) {
            Shape in = shapes.shape(layer.calls().get(0).inputs().get(0));
            if (in != null) rank = in.rank();
        }
        String why = whyNot(layer, major, rank);
        if (why == null && layer.className().startsWith("Cropping") && shapes.problem(layer.name()) != null) {
            // Keras slices such an axis to length 0 and returns an empty array; graft's engine computes no empty arrays.
            String problem = shapes.problem(layer.name());
            if (problem.startsWith(layer.className() + " ")) problem = problem.substring(layer.className().length() + 1);
            why = problem + "; graft computes no empty arrays";
        }
        if (why == null && "Reshape".equals(layer.className())) why = ReshapeForEngine.whyNot(layer, shapes);
        if (why == null) {
            String axis = BatchNormOnAxis.whyNot(layer, model, shapes);
            if (axis == null) axis = ConvLstmForEngine.whyNot(layer, model, shapes);
            if (axis != null) why = "(" + layer.className() + ") " + axis;
        }
        if (why == null) why = TensorOpsForEngine.whyNot(layer, shapes);
        if (why == null && MultiHeadAttentionForEngine.handles(layer.className())) {
            String call = MultiHeadAttentionForEngine.whyNot(layer);
            if (call == null) call = AttentionMasks.whyNot(layer, model, MultiHeadAttentionForEngine.keyIndex(layer));
            if (call == null) call = MultiHeadAttentionAxes.whyNot(layer, model, shapes);
            if (call != null) why = "(" + layer.className() + ") " + call;
        }
        if (why == null && !layer.calls().isEmpty() && !layer.calls().get(0).inputs().isEmpty()) {
            Shape in = shapes.shape(layer.calls().get(0).inputs().get(0));
            if (TimeDistributedSteps.applies(layer, in) && in.dim(1) == null) why = "(TimeDistributed) reads an open number of steps; graft computes a fixed one";
        }
        if (why == null && (AttentionForEngine.handles(layer.className()) || MultiHeadAttentionForEngine.handles(layer.className()))) {
            String scores = AttentionScoresRewrite.whyNot(layer, model, shapes);
            if (scores != null) why = "(" + layer.className() + ") " + scores;
        }
        if (why == null && AttentionForEngine.handles(layer.className())) {
            String call = AttentionForEngine.whyNot(layer);
            // Keras 3 files hold tensors passed by keyword as inputs: a third one of rank 2 is a mask, not a key.
            for (dev.graft.model.LayerCall c : layer.calls()) {
                if (call != null || c.inputs().size() != 3) continue;
                Shape third = shapes.shape(c.inputs().get(2));
                if (third != null && third.rank() != 3) call = "is given a mask tensor, which graft does not apply";
            }
            if (call == null) call = AttentionMasks.whyNot(layer, model, -1);
            if (call != null) why = "(" + layer.className() + ") " + call;
        }
        if (why == null && "glu".equals(layer.config().path("activation").asText("")) && readsTransposedAxes(model)) {
            why = "uses activation 'glu' in a model with channels-first layers or a Permute, where graft's engine may hold Keras's last "
                    + "axis elsewhere; graft computes glu in channels-last models only";
        }
        return why != null ? why : MaskFlow.whyNot(layer, model);
    }

    /** Whether a layer of the model is channels-first or a Permute: glu's last axis may then not be the engine's features. */
    private static boolean readsTransposedAxes(ModelGraph model) {
        for (Layer l : model.layers()) {
            boolean restores = l.config().path(BatchNormOnAxis.RESTORES_LAYOUT).asBoolean(false);
            if ("Permute".equals(l.className()) && !restores || "channels_first".equals(l.config().path("data_format").asText(""))) return true;
            if (l.nested() != null && readsTransposedAxes(l.nested())) return true;
        }
        return false;
    }

    /**
     * @param kerasMajor the Keras that wrote the file (several definitions changed between versions)
     * @param inputRank  the rank of the layer's first input, batch included, -1 when unknown
     */
    public static String whyNot(Layer layer, int kerasMajor, int inputRank) {
        if (layer.nested() != null) {
            for (Layer inner : layer.nested().layers()) {
                String why = whyNot(inner, kerasMajor, -1);
                if (why != null) return "contains layer '" + inner.name() + "', which " + why;
            }
            return null;
        }
        String why = whyNot(layer.className(), layer.config());
        if (why != null) return why;
        // A shared layer (called more than once) is computed as one engine layer per call (SharedLayerCalls).
        String argument = LayerClaims.whyNot(layer.className(), layer.config(), kerasMajor, inputRank);
        return argument == null ? null : "(" + layer.className() + "): " + argument;
    }

    static String whyNot(String className, JsonNode config) {
        if (PYTHON_CODE.contains(className)) {
            return "holds Python code (" + className + "), which only Python can run";
        }
        if (TENSORFLOW_OPS.contains(className)) {
            String op = config.path("function").asText(config.path("name").asText(""));
            return "is a raw TensorFlow operation (" + className + (op.isEmpty() ? "" : " '" + op + "'") + "), which only TensorFlow can run";
        }
        if ("Bidirectional".equals(className)) {
            String inner = config.path("layer").path("class_name").asText("");
            if (!RECURRENT_IN_BIDIRECTIONAL.contains(inner)) return "wraps a " + inner + " in Bidirectional, which graft cannot compute";
            return null;
        }
        if ("TimeDistributed".equals(className)) {
            String inner = config.path("layer").path("class_name").asText("");
            return ENGINE.contains(inner) ? null : "wraps " + inner + " in TimeDistributed, which graft cannot compute";
        }
        if (ENGINE.contains(className)) return ActivationArguments.whyNot(className, config);
        if (KerasClasses.isBuiltIn(className)) {
            return "is a Keras " + className + " layer, which graft's engine does not compute";
        }
        if (KERAS_MASK_OPS.contains(className)) {
            return "is a Keras 3 operation ('" + className + "') the functional model recorded; graft follows the operations"
                    + " recording a mask only where they recompute a Masking or mask_zero Embedding layer's own mask for the layer reading it";
        }
        return "is a custom layer class ('" + className + "') defined in the Python code that saved the model";
    }

    /** Operation layers a functional Keras 3 model records to compute a mask (folded away where they repeat a layer's mask). */
    private static final java.util.Set<String> KERAS_MASK_OPS = java.util.Set.of("NotEqual", "Any", "ConvertToTensor", "LogicalOr");
}
