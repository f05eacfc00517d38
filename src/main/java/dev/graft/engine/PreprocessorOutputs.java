package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasFlattenSequenceImport;
import dev.graft.engine.keras.KerasFlattenVolumeImport;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * DL4J's Keras import turns Reshape, Permute and Flatten into input preprocessors of the layer that follows them,
 * so one that is a model output has nothing to attach to and the import fails ("Layer reshape could not be mapped
 * to Layer, Vertex, or InputPreProcessor": a tf.keras model ending in Reshape, a discriminator ending in Flatten).
 * Such a layer gets a linear Activation after it that takes over its name, so the outputs keep their names and
 * values. So does a layer graft computes with its own tensor vertex ({@link TensorOpsForEngine}): DL4J fails computing
 * a weightless vertex that is an output and feeds other layers too (a NullPointerException in its output code), and
 * its training passes no error into a SameDiff vertex that is the output.
 */
final class PreprocessorOutputs {
    /** Keras's classes and graft's plug-ins for them (the normalizer renames those before this step runs). */
    private static final Set<String> PREPROCESSORS = Set.of("Reshape", "Permute", "Flatten",
            KerasFlattenSequenceImport.KERAS_CLASS, KerasFlattenVolumeImport.KERAS_CLASS);

    private PreprocessorOutputs() {
    }

    static ModelGraph apply(ModelGraph model) {
        Set<String> outputs = new HashSet<>();
        for (TensorRef r : model.outputs()) outputs.add(r.layer());
        Set<String> taken = new HashSet<>();
        for (Layer l : model.layers()) taken.add(l.name());
        List<Layer> layers = new ArrayList<>();
        boolean changed = false;
        for (Layer l : model.layers()) {
            boolean vertexOutput = TensorOpsForEngine.forEngine(l) != l;
            if (!(PREPROCESSORS.contains(l.className()) || vertexOutput) || !outputs.contains(l.name()) || l.calls().size() != 1) {
                layers.add(l);
                continue;
            }
            String inner = l.name() + "__graft_preprocessor";
            for (int i = 1; taken.contains(inner); i++) inner = l.name() + "__graft_preprocessor_" + i;
            taken.add(inner);
            ObjectNode c = l.config().deepCopy();
            c.put("name", inner);
            layers.add(l.withName(inner).withConfig(c));
            ObjectNode id = Json.object();
            id.put("name", l.name());
            id.put("trainable", true);
            id.put("activation", "linear");
            LayerCall call = new LayerCall(List.of(new TensorRef(inner, 0, 0)), Json.object());
            layers.add(new Layer(l.name(), "Activation", id, List.of(call), List.of(), null));
            changed = true;
        }
        return changed ? model.withLayers(layers, model.inputs(), model.outputs()) : model;
    }
}
