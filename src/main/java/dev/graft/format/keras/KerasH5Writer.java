package dev.graft.format.keras;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.AtomicFile;
import dev.graft.format.Json;
import dev.graft.format.hdf5.H5File;
import dev.graft.format.hdf5.H5Group;
import dev.graft.model.KerasVersionMeaning;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import dev.graft.shape.GraphShapes;
import dev.graft.surgery.Flattener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a model as a Keras 2 legacy HDF5 file, laid out exactly as Keras 2.3 / h5py write it
 * (variable-length string root attributes, fixed-length name lists, one group per layer), with
 * nested models flattened into one functional graph. Weights read from HDF5 are copied dataset to
 * dataset, so they stay bit-identical and never pass through the heap.
 */
public final class KerasH5Writer {
    /** The Keras release whose layout graft writes; a 2.x version keeps every Keras 2 reader (and DL4J) willing. */
    public static final String KERAS_VERSION = "2.15.0";
    public static final String BACKEND = "tensorflow";

    private KerasH5Writer() {
    }

    /** Writes atomically: the target appears complete or not at all. */
    public static void write(ModelGraph model, Path target) throws IOException {
        // A Keras 1 model is written the way Keras 2 spells it: Keras 2 and 3 no longer read Keras 1 configurations.
        write(Keras1Upgrade.apply(model), target, versionFor(model), true);
    }

    /**
     * {@value #KERAS_VERSION}, except for a Keras 3 model using {@code hard_sigmoid}: Keras 3 redefined it (relu6(x+3)/6,
     * Keras 2's is clip(0.2x+0.5, 0, 1)) and Keras 2 has no spelling of the new one, so the file keeps the Keras 3
     * version that wrote the model, which is what tells a reader (graft's included) which hard_sigmoid the file means.
     * The same for a {@code MultiHeadAttention} that Keras 3 computes with its explicit softmax ({@link KerasVersionMeaning}).
     */
    public static String versionFor(ModelGraph model) {
        if (model.source() == null || model.source().kerasMajor() < 3) return KERAS_VERSION;
        return KerasVersionMeaning.firstOf(model) != null ? model.source().producerVersion() : KERAS_VERSION;
    }

    /**
     * Writes with another {@code keras_version}, the configuration as it is: a Keras 1 model's configuration
     * only means what it says to a reader told that Keras 1 wrote it (the engine's DL4J importer).
     */
    public static void write(ModelGraph model, Path target, String kerasVersion) throws IOException {
        write(model, target, kerasVersion, false);
    }

    /**
     * @param forKeras3 whether a recurrent layer's initial states are written in Keras 3's node form (the keyword
     *                  {@code initial_state}), which Keras 3 needs and DL4J's importer (the engine) cannot read
     */
    private static void write(ModelGraph model, Path target, String kerasVersion, boolean forKeras3) throws IOException {
        ModelGraph flat = legacyForm(model);
        AtomicFile.write(target, expectedBytes(flat), tmp -> writeTo(flat, tmp, kerasVersion, forKeras3));
    }

    /** About the file's size: the weights' bytes (libhdf5 crashes when the disk fills under it, so room is checked first). */
    static long expectedBytes(ModelGraph model) {
        long bytes = 64 << 10;
        for (Layer layer : model.layers()) {
            bytes += 16 << 10; // its groups, attributes and share of the configuration
            for (Weight w : layer.weights()) {
                long n = 1;
                for (long d : w.shape()) n *= Math.max(0, d);
                bytes += n * Math.max(1, w.dtype().bytes());
            }
        }
        return bytes;
    }

    /** The {@code model_config} attribute {@link #write} would give the model (flattened, modernised). */
    public static String modelConfigText(ModelGraph model) {
        return Json.pythonStyle(modelConfig(legacyForm(model), false));
    }

    /** The model as {@link #write} lays it out: nested models flattened, configurations in Keras 2's spelling. */
    public static ModelGraph legacyForm(ModelGraph model) {
        return KerasModernizer.apply(Flattener.flatten(model), KerasModernizer.Target.LEGACY_H5);
    }

    /** The {@code model_config} attribute, in the form DL4J's importer reads, of a model already in {@link #legacyForm}. */
    public static String legacyModelConfigText(ModelGraph legacy) {
        return Json.pythonStyle(modelConfig(legacy, false));
    }

    /** The {@code weight_names} {@link #write} gives a layer of a model in {@link #legacyForm}, in the layer's weight order. */
    public static List<String> weightNames(Layer layer) {
        return KerasWeightNames.canonical(layer);
    }

    private static void writeTo(ModelGraph model, Path file, String kerasVersion, boolean forKeras3) {
        try (WeightStore store = new WeightStore(); H5File h5 = H5File.create(file, KerasH5Writer.expectedBytes(model))) {
            h5.writeStringAttribute("keras_version", kerasVersion, false);
            h5.writeStringAttribute("backend", BACKEND, false);
            h5.writeStringAttribute("model_config", Json.pythonStyle(modelConfig(model, forKeras3)), false);
            // Keras's loader compiles from training_config and needs its optimizer_config: an uncompiled Keras 3
            // donor's empty compile_config would make load_model(path) fail, so none is written for it.
            if (model.trainingConfig() != null && model.trainingConfig().has("optimizer_config")) {
                h5.writeStringAttribute("training_config", Json.pythonStyle(KerasCompat.trainingConfig(model.trainingConfig())), false);
            }
            if (model.provenance() != null) {
                h5.writeStringAttribute(KerasH5Reader.PROVENANCE_ATTRIBUTE, Json.pythonStyle(model.provenance()), false);
            }
            try (H5Group mw = h5.createGroup("model_weights")) {
                mw.writeStringAttribute("keras_version", kerasVersion, false);
                mw.writeStringAttribute("backend", BACKEND, false);
                List<Layer> layers = model.layers();
                mw.writeFixedStringsAttribute("layer_names", layers.stream().map(Layer::name).toList());
                for (Layer layer : layers) writeLayerWeights(mw, layer, store);
            }
        }
    }

    private static void writeLayerWeights(H5Group mw, Layer layer, WeightStore store) {
        List<String> names = KerasWeightNames.canonical(layer);
        try (H5Group g = mw.createGroup(layer.name())) {
            g.writeFixedStringsAttribute("weight_names", names);
            for (int i = 0; i < names.size(); i++) store.put(g, names.get(i), layer.weights().get(i));
        }
    }

    /** {@code {"class_name": "Model", "config": {...}}} in Keras 2's functional form. */
    static ObjectNode modelConfig(ModelGraph model, boolean forKeras3) {
        ObjectNode config = Json.object();
        config.put("name", model.name());
        ArrayNode layers = config.putArray("layers");
        GraphShapes shapes = null;
        for (Layer layer : model.layers()) {
            ObjectNode lj = layers.addObject();
            lj.put("name", layer.name());
            lj.put("class_name", layer.className());
            ObjectNode lc = layer.config().deepCopy();
            lc.put("name", layer.name());
            lj.set("config", lc);
            ArrayNode nodes = lj.putArray("inbound_nodes");
            boolean initialStates = forKeras3 && Keras3Serializer.isRecurrent(layer.className())
                    && layer.calls().stream().anyMatch(c -> c.inputs().size() > 1);
            if (Keras3Serializer.POSITIONAL_INPUTS.contains(layer.className()) || initialStates) {
                // Keras 3 calls MultiHeadAttention(query, value), and an RNN with initial_state=[h, c], only from its
                // own form of the node; Keras 2's list form would hand the layer one list (tf.keras 2 kept such tensors
                // as keyword references Keras 3 no longer reads).
                if (shapes == null) shapes = GraphShapes.infer(model);
                for (LayerCall call : layer.calls()) nodes.add(Keras3Serializer.node(call, shapes, layer.className()));
                continue;
            }
            for (LayerCall call : layer.calls()) {
                ArrayNode node = nodes.addArray();
                for (TensorRef r : call.inputs()) {
                    ArrayNode e = node.addArray();
                    e.add(r.layer()).add(r.node()).add(r.tensor());
                    e.add(call.kwargs().deepCopy());
                }
            }
        }
        config.set("input_layers", refs(model.inputs()));
        config.set("output_layers", refs(model.outputs()));
        ObjectNode root = Json.object();
        // "Model" rather than tf.keras's "Functional": every Keras 2 release, Keras 3 and DL4J read it.
        root.put("class_name", "Model");
        root.set("config", config);
        return root;
    }

    private static ArrayNode refs(List<TensorRef> refs) {
        ArrayNode a = Json.array();
        for (TensorRef r : refs) a.addArray().add(r.layer()).add(r.node()).add(r.tensor());
        return a;
    }
}
