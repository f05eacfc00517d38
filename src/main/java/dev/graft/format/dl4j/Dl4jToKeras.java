package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftInfo;
import dev.graft.format.ModelFileException;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import dev.graft.model.TrainingVocabulary;
import dev.graft.model.Weight;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;

/**
 * A DL4J network, as {@link Dl4jZipReader} parsed it, translated into the Keras model that computes
 * the same: Keras layer configurations, and DL4J's parameters moved into Keras's layouts (copied
 * as they are where the layouts agree, permuted element by element where they differ: convolution
 * kernels, LSTM gate order). DL4J's channels-first insides become channels-last Keras layers, so the
 * translated model takes and gives exactly what graft feeds and returns for the DL4J network
 * (Keras layout at its edges).
 *
 * <p>A layer, vertex or preprocessor without an exact Keras equivalent is refused with one line
 * naming it and the reason ({@link ModelFileException}); nothing is approximated.
 */
public final class Dl4jToKeras {
    private Dl4jToKeras() {
    }

    /** Whether the model is a parsed DL4J network (its layers are DL4J's classes). */
    public static boolean isDl4j(ModelGraph model) {
        return model.source() != null && model.source().format() == ModelFormat.DL4J_ZIP;
    }

    /** Whether a layer is one of a parsed DL4J network (its config is DL4J's JSON), not a Keras layer. */
    public static boolean isDl4jLayer(Layer layer) {
        return layer != null && layer.config().has("@class");
    }

    /**
     * @throws ModelFileException naming the first layer that has no Keras translation and why
     */
    public static ModelGraph translate(ModelGraph dl4j) {
        Path file = dl4j.source() == null ? null : dl4j.source().path();
        Set<String> names = new HashSet<>();
        dl4j.layers().forEach(l -> names.add(l.name()));
        String dtype = dtypeOf(dl4j);
        KerasEmitter out = new KerasEmitter(dtype, names);
        Map<String, String> tensorOf = new HashMap<>();
        Map<String, Shape> shapeOf = new HashMap<>();
        Map<String, Boolean> channelsFirst = new HashMap<>();
        Map<String, Shape> imageInputs = imageInputs(dl4j);
        for (Layer l : dl4j.layers()) {
            shapeOf.put(l.name(), l.declaredOutputShapes() == null || l.declaredOutputShapes().isEmpty() ? null : l.declaredOutputShapes().get(0));
            if (imageInputs.containsKey(l.name())) shapeOf.put(l.name(), imageInputs.get(l.name()));
            try {
                if (l.isInput()) {
                    if (shapeOf.get(l.name()) == null) {
                        throw new Dl4jActivations.Refusal("the network records no input shape (DL4J zips without an input type do not),"
                                + " so the Keras model's input cannot be declared");
                    }
                    ObjectNode c = l.config().deepCopy();
                    if (imageInputs.containsKey(l.name())) {
                        var batchShape = c.putArray("batch_input_shape");
                        for (Long d : imageInputs.get(l.name()).dims()) {
                            if (d == null) batchShape.addNull(); else batchShape.add(d);
                        }
                    }
                    c.put("dtype", dtype);
                    c.put("sparse", false);
                    c.put("ragged", false);
                    out.addInput(new Layer(l.name(), "InputLayer", c, List.of(), List.of(), null));
                    tensorOf.put(l.name(), l.name());
                    channelsFirst.put(l.name(), false);
                    continue;
                }
                List<String> inputs = l.calls().get(0).inputs().stream().map(TensorRef::layer).toList();
                List<String> kerasInputs = inputs.stream().map(tensorOf::get).toList();
                List<Shape> inputShapes = inputs.stream().map(shapeOf::get).toList();
                boolean trainable = l.trainable() && l.config().path("trainable").asBoolean(true);
                ObjectNode config = GraftRecasts.asDl4j(l.config());
                String cls = config.path("@class").asText("");
                Dl4jLayerTranslation.Result r;
                if (GraftLayerTranslation.isGraftClass(cls)) {
                    r = GraftLayerTranslation.translate(l.name(), l.config(), kerasInputs, inputShapes,
                            inputs.stream().map(i -> channelsFirst.getOrDefault(i, false)).toList(), weights(l), trainable, out);
                } else if (cls.contains(".conf.graph.")) {
                    GraphVertex v = read(config, GraphVertex.class);
                    if (v instanceof org.deeplearning4j.nn.conf.graph.PreprocessorVertex && config.hasNonNull("preProcessor")) {
                        // read() leaves out the key a layer's preprocessor sits under, which is this vertex's whole content
                        v = new org.deeplearning4j.nn.conf.graph.PreprocessorVertex(read(config.get("preProcessor"), InputPreProcessor.class));
                    }
                    r = Dl4jVertexTranslation.translate(l.name(), v, kerasInputs, inputShapes,
                            inputs.stream().map(i -> channelsFirst.getOrDefault(i, false)).toList(), out);
                } else {
                    org.deeplearning4j.nn.conf.layers.Layer conf = read(config, org.deeplearning4j.nn.conf.layers.Layer.class);
                    if (conf instanceof FrozenLayer f) conf = f.getLayer();
                    if (conf instanceof FrozenLayerWithBackprop f) conf = f.getUnderlying();
                    String input = single(kerasInputs);
                    Shape inShape = inputShapes.get(0);
                    JsonNode pre = l.config().get("preProcessor");
                    if (pre != null && !pre.isNull() && imageInputs.containsKey(inputs.get(0))) {
                        inShape = imageInputs.get(inputs.get(0)); // graft feeds this input as the image it is
                    } else if (pre != null && !pre.isNull() && inShape != null && inShape.rank() == 2
                            && pre.path("@class").asText("").endsWith(".RnnToFeedForwardPreProcessor")) {
                        // DL4J's RnnToFeedForwardPreProcessor returns a (batch, features) input as it is (graft's Keras import
                        // puts one after a GlobalPooling1D): nothing to translate
                    } else if (pre != null && !pre.isNull()) {
                        Dl4jPreprocessors.Result p = Dl4jPreprocessors.translate(l.name(), read(pre, InputPreProcessor.class), input, out);
                        input = p.tensor();
                        inShape = p.shape() != null ? p.shape() : inShape;
                    }
                    // How DL4J holds what the layer reads: a preprocessor that unflattens images gives NCHW, any other a matrix.
                    boolean inputFirst = pre != null && !pre.isNull()
                            ? pre.path("@class").asText("").endsWith(".FeedForwardToCnnPreProcessor")
                            : channelsFirst.getOrDefault(inputs.get(0), false);
                    r = Dl4jLayerTranslation.translate(l.name(), conf, input, inShape, inputFirst, weights(l), trainable, out);
                }
                tensorOf.put(l.name(), r.tensor());
                channelsFirst.put(l.name(), r.channelsFirst());
            } catch (Dl4jActivations.Refusal e) {
                throw new ModelFileException(file, "layer '" + l.name() + "' (DL4J " + l.className() + ") has no Keras translation: " + e.getMessage());
            }
        }
        List<TensorRef> inputs = dl4j.inputs().stream().map(r -> TensorRef.of(tensorOf.get(r.layer()))).toList();
        List<TensorRef> outputs = dl4j.outputs().stream().map(r -> TensorRef.of(tensorOf.get(r.layer()))).toList();
        SourceInfo s = dl4j.source();
        SourceInfo source = new SourceInfo(s == null ? null : s.path(), ModelFormat.KERAS_H5, "graft", GraftInfo.VERSION, null,
                s == null ? -1 : s.sizeBytes());
        ModelGraph keras = new ModelGraph(dl4j.name(), "Model", KerasLayerOrder.of(out.layers(), outputs), inputs, outputs, trainingConfig(dl4j.trainingConfig()), null, source);
        return dl4j.provenance() == null ? keras : keras.withProvenance(dl4j.provenance());
    }

    /**
     * Network inputs of flat rows that a FeedForwardToCnnPreProcessor unflattens right away: graft
     * computes such a network on (h, w, channels) images (see the engine's NativeTensorSpecs), so
     * its Keras translation takes the same images, and the preprocessor has nothing left to do.
     */
    private static Map<String, Shape> imageInputs(ModelGraph dl4j) {
        Map<String, Shape> images = new HashMap<>();
        for (Layer l : dl4j.layers()) {
            JsonNode pre = l.config().get("preProcessor");
            if (l.isInput() || pre == null || !pre.path("@class").asText("").endsWith(".FeedForwardToCnnPreProcessor")) continue;
            List<TensorRef> in = l.calls().get(0).inputs();
            Layer source = in.size() == 1 ? dl4j.layer(in.get(0).layer()) : null;
            if (source == null || !source.isInput()) continue;
            long h = pre.path("inputHeight").asLong(), w = pre.path("inputWidth").asLong(), c = pre.path("numChannels").asLong();
            if (h > 0 && w > 0 && c > 0) images.put(source.name(), Shape.batchOf(List.of(h, w, c)));
        }
        return images;
    }

    /** The network's parameters by DL4J's parameter key ({@code W}, {@code RW}, {@code b}). */
    private static Map<String, HostArray> weights(Layer l) {
        Map<String, HostArray> byKey = new LinkedHashMap<>();
        for (Weight w : l.weights()) byKey.put(w.name().substring(w.name().lastIndexOf('/') + 1), w.read());
        return byKey;
    }

    /** DL4J's loss under Keras's name where it is the same function; a loss Keras has not is dropped (train then asks for --loss). */
    private static ObjectNode trainingConfig(ObjectNode dl4j) {
        if (dl4j == null) return null;
        ObjectNode tc = dl4j.deepCopy();
        JsonNode loss = tc.get("loss");
        if (loss != null && loss.isTextual()) {
            String k = TrainingVocabulary.loss(loss.asText());
            if (k == null) tc.remove("loss");
            else tc.put("loss", k);
        } else if (loss != null && loss.isObject()) {
            ObjectNode byOutput = (ObjectNode) loss;
            List<String> keys = new java.util.ArrayList<>();
            byOutput.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                String k = TrainingVocabulary.loss(byOutput.get(key).asText());
                if (k == null) byOutput.remove(key);
                else byOutput.put(key, k);
            }
        }
        return tc.isEmpty() ? null : tc;
    }

    private static String dtypeOf(ModelGraph dl4j) {
        for (Layer l : dl4j.layers()) if (l.isInput()) return l.config().path("dtype").asText("float32");
        return "float32";
    }

    private static String single(List<String> inputs) {
        if (inputs.size() != 1) throw new Dl4jActivations.Refusal("a layer with " + inputs.size() + " inputs");
        return inputs.get(0);
    }

    /** A DL4J configuration object back from the JSON graft keeps of it (DL4J's own serializer wrote it). */
    static <T> T read(JsonNode json, Class<T> type) {
        ObjectNode copy = json.deepCopy();
        copy.remove("preProcessor");
        copy.remove("trainable");
        try {
            return NeuralNetConfiguration.mapper().readValue(copy.toString(), type);
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new Dl4jActivations.Refusal("DL4J cannot read its own configuration back: " + e.getOriginalMessage());
        }
    }
}
