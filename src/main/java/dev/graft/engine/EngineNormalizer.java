package dev.graft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasFlattenSequenceImport;
import dev.graft.engine.keras.KerasFlattenVolumeImport;
import dev.graft.engine.keras.KerasMaskingImport;
import dev.graft.engine.keras.KerasReshapeImport;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.shape.GraphShapes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a (flat) model so that DL4J's Keras import computes it as Keras did, without tripping
 * over what it cannot handle (DESIGN.md §3). The rewritten model is only handed to the engine,
 * never written for users.
 */
final class EngineNormalizer {
    private EngineNormalizer() {
    }

    /**
     * @param training whether the network will be trained: DL4J's stock classes compute several
     *                 layers forward correctly but cannot backpropagate through them, so training
     *                 takes graft's own; everything else keeps DL4J's stock classes, so that zips of
     *                 the network open in any DL4J, without graft
     */
    static ModelGraph normalize(ModelGraph flat, boolean training) {
        flat = EinsumDenseActivation.apply(flat);
        flat = BidirectionalSplit.apply(flat, training);
        flat = DenseOnVolumes.apply(flat);
        flat = BatchNormOnAxis.apply(flat, training);
        flat = MultiHeadAttentionAxes.apply(flat);
        GraphShapes shapes = GraphShapes.infer(flat);
        int kerasMajor = flat.source() == null ? 2 : flat.source().kerasMajor();
        for (Layer layer : flat.layers()) {
            if (layer.isInput() && shapes.problem(layer.name()) != null) {
                throw new EngineException("the model was saved before it was built: input '" + layer.name()
                        + "' has no shape and no layer holds weights, so there is nothing to compute with");
            }
        }
        // Classes the engine lacks outright are the first thing to tell, before how a computed class is used.
        for (Layer layer : flat.layers()) {
            String why = layer.nested() == null ? Computability.whyNot(layer.className(), layer.config()) : null;
            if (why != null) throw new EngineException("layer '" + layer.name() + "' " + why + "; graft cannot compute this model");
        }
        List<Layer> layers = new ArrayList<>();
        java.util.Set<String> stepWrappers = new java.util.HashSet<>();
        java.util.Set<String> stepLayers = new java.util.HashSet<>();
        for (Layer layer : flat.layers()) {
            String why = Computability.whyNot(layer, flat, shapes);
            if (why != null) throw new EngineException("layer '" + layer.name() + "' " + why + "; graft cannot compute this model");
            if (!layer.calls().isEmpty() && TimeDistributedSteps.applies(layer, shapes.shape(layer.calls().get(0).inputs().get(0)))) {
                List<Layer> steps = TimeDistributedSteps.forEngine(layer, flat, shapes.shape(layer.calls().get(0).inputs().get(0)),
                        m -> normalize(m, training));
                // a wrapper computed as rows: its own layers read the wrapped layer, every other reader the steps after it
                if (steps.size() > 1) {
                    steps.forEach(l -> stepLayers.add(l.name()));
                    stepWrappers.add(layer.name());
                }
                layers.addAll(steps);
                continue;
            }
            ObjectNode c = layer.config().deepCopy();
            neutralizeInitializers(c);
            if (kerasMajor == 1) neutralizeKeras1Initializers(c);
            if ("Embedding".equals(layer.className()) && !c.hasNonNull("input_length")) {
                Shape in = shapes.shape(layer.calls().get(0).inputs().get(0));
                if (in != null && in.rank() == 2 && in.dim(1) != null) c.put("input_length", in.dim(1));
            }
            if ("GRU".equals(layer.className()) && !c.has("graft_hard_sigmoid")) {
                c.put("graft_hard_sigmoid", kerasMajor >= 3 ? "keras3" : "keras2");
            }
            if ("GRU".equals(layer.className())) {
                Double mask = LstmStateRewrite.maskValue(flat, layer.calls().get(0).inputs().get(0));
                if (mask != null) c.put("graft_mask_value", mask);
            }
            KerasRenames.apply(layer.className(), c);
            if ("Reshape".equals(layer.className())) ReshapeForEngine.resolveOpenDimension(layer, c, shapes);
            if (LAST_AXIS_LAYERS.contains(layer.className())) lastAxisAsMinusOne(c, inputRank(layer, shapes));
            if ("CenterCrop".equals(layer.className())) {
                layers.add(CenterCropAsCropping.forEngine(layer, c, shapes.shape(layer.calls().get(0).inputs().get(0))));
                continue;
            }
            // Unrolling is how Keras executes a loop, not what it computes; DL4J reads it as truncated BPTT.
            if (c.path("unroll").asBoolean(false)) c.put("unroll", false);
            Layer normalized = GraftSameDiffLayers.forEngine(layer.withConfig(c), inputRank(layer, shapes), kerasMajor);
            normalized = BatchNormWithoutCenter.withZeroBeta(normalized);
            normalized = BatchNormChannelsFirst.forEngine(normalized, inputRank(layer, shapes));
            // Normalization's scalar count only matters to adapt(), and DL4J's weight reader cannot read a rank-0 array.
            if ("Normalization".equals(layer.className())) {
                normalized = normalized.withWeights(normalized.weights().stream().filter(w -> w.shape().length > 0).toList());
            }
            if (TimeDistributedDense.is(layer) && inputRank(layer, shapes) == 3) {
                Layer dense = TimeDistributedDense.unwrap(normalized);
                normalized = training ? DensePerStep.fromDense(dense) : DensePerStep.asConv1D(dense);
            } else if (DensePerStep.appliesToDense(layer, inputRank(layer, shapes))) {
                normalized = training ? DensePerStep.fromDense(normalized) : DensePerStep.asConv1D(normalized);
            } else if (training && DensePerStep.appliesToConv1D(normalized)) {
                normalized = DensePerStep.fromConv1D(normalized);
            } else if (ChannelsLast1D.applies(normalized, kerasMajor) && (training || ChannelsLast1D.wrongForward(normalized))) {
                normalized = ChannelsLast1D.forEngine(normalized);
            } else if (training && ChannelsLast2D.applies(normalized, kerasMajor)) {
                normalized = ChannelsLast2D.forEngine(normalized);
            } else if (training && "Flatten".equals(layer.className()) && inputRank(layer, shapes) == 3) {
                normalized = flattenOfSequence(normalized);
            }
            if (ChannelsFirstConv1D.applies(normalized)) normalized = ChannelsFirstConv1D.forEngine(normalized);
            if (kerasMajor >= 2 && "Flatten".equals(normalized.className()) && inputRank(layer, shapes) == 5
                    && "channels_last".equals(normalized.config().path("data_format").asText("channels_last"))) {
                normalized = flattenOfVolume(normalized, shapes.shape(layer.calls().get(0).inputs().get(0)));
            }
            normalized = ActivationArguments.forEngine(normalized, kerasMajor, inputRank(layer, shapes));
            if (MultiHeadAttentionForEngine.handles(layer.className())) {
                normalized = MultiHeadAttentionForEngine.forEngine(normalized,
                        AttentionMasks.of(layer, flat, MultiHeadAttentionForEngine.keyIndex(layer)), kerasMajor);
            }
            if (AttentionForEngine.handles(layer.className())) normalized = AttentionForEngine.forEngine(normalized, AttentionMasks.of(layer, flat, -1));
            if (BidirectionalGruForEngine.applies(layer)) normalized = BidirectionalGruForEngine.forEngine(normalized, kerasMajor);
            if ("SimpleRNN".equals(layer.className())) {
                normalized = SimpleRnnForEngine.forEngine(normalized, kerasMajor, training,
                        LstmStateRewrite.maskValue(flat, layer.calls().get(0).inputs().get(0)));
            }
            layers.add(normalized);
        }
        // Attention layers whose scores are used pack them with their output (AttentionScoresRewrite).
        // LSTMs that return or take a state become graft's state vertex and its parts; it reads the Masking
        // layers, so they are handed to graft's plug-in only afterwards.
        return pluginClasses(ConvLstmForEngine.apply(GluSplit.apply(LstmStateRewrite.apply(MaskingZeroes.apply(MaskRoutes.apply(GruStateRewrite.apply(PreprocessorOutputs.apply(BidirectionalHalves.apply(TimeDistributedSteps.redirect(AttentionScoresRewrite.apply(flat.withLayers(layers, flat.inputs(), flat.outputs()), shapes), stepWrappers, stepLayers)))), flat, kerasMajor), flat, training))), kerasMajor), training);
    }

    /**
     * Keras classes whose DL4J import is broken, handed to the engine's own import plug-ins instead:
     * DL4J's stock Masking fails on any Masking layer that reads the model's input
     * ({@link KerasMaskingImport}); its PReLU drops the alpha weights ({@link KerasPReLUImport}); its
     * Reshape cannot compute another batch size after training nor backpropagate a sequence
     * ({@link KerasReshapeImport}). Configuration and calls stay Keras's. Runs after the LSTM rewrite,
     * which reads Masking layers.
     */
    private static final java.util.Map<String, String> PLUGIN_CLASSES = java.util.Map.of(
            "Masking", KerasMaskingImport.KERAS_CLASS,
            "PReLU", dev.graft.engine.keras.KerasPReLUImport.KERAS_CLASS,
            "Rescaling", dev.graft.engine.keras.KerasRescalingImport.KERAS_CLASS,
            "Identity", dev.graft.engine.keras.KerasIdentityImport.KERAS_CLASS,
            "LayerNormalization", dev.graft.engine.keras.KerasLayerNormalizationImport.KERAS_CLASS,
            "RMSNormalization", dev.graft.engine.keras.KerasLayerNormalizationImport.KERAS_CLASS_RMS,
            "UnitNormalization", dev.graft.engine.keras.KerasLayerNormalizationImport.KERAS_CLASS_UNIT,
            "Minimum", dev.graft.engine.keras.KerasMinimumImport.KERAS_CLASS,
            "Normalization", dev.graft.engine.keras.KerasNormalizationImport.KERAS_CLASS,
            "EinsumDense", dev.graft.engine.keras.KerasEinsumDenseImport.KERAS_CLASS);
    /**
     * Training's own plug-ins: DL4J's stock Reshape computes forward, but not after training nor backward; PReLU's
     * backward pass fails where alpha is shared over an image's rows and columns ({@link KerasPReLUImport.Training}).
     */
    private static final java.util.Map<String, String> TRAINING_PLUGIN_CLASSES = java.util.Map.of(
            "Reshape", KerasReshapeImport.KERAS_CLASS,
            "PReLU", dev.graft.engine.keras.KerasPReLUImport.KERAS_CLASS_TRAINING);

    private static ModelGraph pluginClasses(ModelGraph model, boolean training) {
        boolean any = false;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : model.layers()) {
            Layer own = TensorOpsForEngine.forEngine(l);
            if (own != l) {
                layers.add(own);
                any = true;
                continue;
            }
            String plugin = training ? TRAINING_PLUGIN_CLASSES.get(l.className()) : null;
            if (plugin == null) plugin = PLUGIN_CLASSES.get(l.className());
            if (plugin != null) {
                l = new Layer(l.name(), plugin, l.config(), l.calls(), l.weights(), null, l.declaredOutputShapes());
                any = true;
            }
            layers.add(l);
        }
        return any ? model.withLayers(layers, model.inputs(), model.outputs()) : model;
    }

    /** Layers graft computes over the last axis only: their plug-ins read that axis as -1. */
    private static final java.util.Set<String> LAST_AXIS_LAYERS = java.util.Set.of("LayerNormalization", "RMSNormalization", "UnitNormalization",
            "Normalization");

    /** Writes an {@code axis} that names the last axis of a rank-{@code rank} input (as a number or a one-element list) as -1. */
    private static void lastAxisAsMinusOne(ObjectNode c, int rank) {
        JsonNode axis = c.path("axis");
        if (axis.isArray() && axis.size() == 1) axis = axis.get(0);
        if (axis.isInt() && (axis.asInt() == -1 || (rank > 0 && axis.asInt() == rank - 1))) c.put("axis", -1);
    }

    /** Keras 1 names initializers as strings under its own keys. */
    private static void neutralizeKeras1Initializers(ObjectNode c) {
        for (String key : new String[] {"init", "inner_init"}) if (c.path(key).isTextual()) c.put(key, "zero");
    }

    private static int inputRank(Layer layer, GraphShapes shapes) {
        if (layer.calls().isEmpty() || layer.calls().get(0).inputs().isEmpty()) return -1;
        Shape in = shapes.shape(layer.calls().get(0).inputs().get(0));
        return in == null ? -1 : in.rank();
    }

    /** A Flatten of a sequence goes to the engine's plug-in, whose backward pass DL4J's lacks ({@link KerasFlattenSequenceImport}). */
    private static Layer flattenOfSequence(Layer flatten) {
        return new Layer(flatten.name(), KerasFlattenSequenceImport.KERAS_CLASS, flatten.config(), flatten.calls(), flatten.weights(), null,
                flatten.declaredOutputShapes());
    }

    /**
     * A Flatten of a volume of known size goes to the engine's plug-in, with graft's shape of the volume: DL4J sets the
     * layout flag of its 3-d flattening the wrong way round ({@link KerasFlattenVolumeImport}).
     */
    private static Layer flattenOfVolume(Layer flatten, Shape volume) {
        if (volume == null || volume.dims().subList(1, 5).contains(null)) return flatten;
        ObjectNode c = flatten.config().deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode dims = c.putArray(KerasFlattenVolumeImport.VOLUME_SHAPE_KEY);
        for (int axis = 1; axis < 5; axis++) dims.add(volume.dim(axis));
        return new Layer(flatten.name(), KerasFlattenVolumeImport.KERAS_CLASS, c, flatten.calls(), flatten.weights(), null,
                flatten.declaredOutputShapes());
    }

    private static ObjectNode zeros(ObjectNode factory) {
        ObjectNode z = factory.objectNode();
        z.put("class_name", "Zeros");
        z.putObject("config");
        return z;
    }

    /**
     * Weights come from the file, so initializers only cost time: DL4J samples each before
     * overwriting it, and its Orthogonal sampler runs for minutes on an ordinary LSTM.
     */
    private static void neutralizeInitializers(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().endsWith("_initializer") && e.getValue().isObject()) {
                    e.setValue(zeros(obj));
                } else {
                    neutralizeInitializers(e.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(EngineNormalizer::neutralizeInitializers);
        }
    }
}
