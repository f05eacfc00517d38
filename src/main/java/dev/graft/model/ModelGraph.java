package dev.graft.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as graft operates on it: a functional graph of layers with named inputs and outputs,
 * its training configuration (as Keras's {@code compile()} recorded it) and, for a hybrid graft
 * wrote, its provenance. Sequential models are held in the same form (a chain).
 */
public final class ModelGraph {
    private final String name;
    private final String modelClass;
    private final Map<String, Layer> layers;
    private final List<TensorRef> inputs;
    private final List<TensorRef> outputs;
    private final ObjectNode trainingConfig;
    private final ObjectNode provenance;
    private final SourceInfo source;

    public ModelGraph(String name, String modelClass, List<Layer> layers, List<TensorRef> inputs, List<TensorRef> outputs,
                      ObjectNode trainingConfig, ObjectNode provenance, SourceInfo source) {
        this.name = name;
        this.modelClass = modelClass;
        this.layers = new LinkedHashMap<>();
        for (Layer l : layers) {
            if (this.layers.put(l.name(), l) != null) throw new IllegalArgumentException("duplicate layer name '" + l.name() + "'");
        }
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.trainingConfig = trainingConfig;
        this.provenance = provenance;
        this.source = source;
    }

    public String name() {
        return name;
    }

    /** {@code Sequential}, {@code Functional}, {@code Model}, {@code MultiLayerNetwork}, {@code ComputationGraph}. */
    public String modelClass() {
        return modelClass;
    }

    /** Layers in the order the file lists them (a valid topological order). */
    public List<Layer> layers() {
        return new ArrayList<>(layers.values());
    }

    public Layer layer(String layerName) {
        return layers.get(layerName);
    }

    public boolean hasLayer(String layerName) {
        return layers.containsKey(layerName);
    }

    public List<TensorRef> inputs() {
        return inputs;
    }

    public List<TensorRef> outputs() {
        return outputs;
    }

    /** Null when the file holds no training configuration. */
    public ObjectNode trainingConfig() {
        return trainingConfig;
    }

    /** Null unless graft wrote this model. */
    public ObjectNode provenance() {
        return provenance;
    }

    public SourceInfo source() {
        return source;
    }

    /** All weights, nested models included, in storage order. */
    public List<Weight> weights() {
        List<Weight> all = new ArrayList<>();
        for (Layer l : layers.values()) all.addAll(l.weights());
        return all;
    }

    public long parameterCount() {
        return layers.values().stream().mapToLong(Layer::parameterCount).sum();
    }

    public long trainableParameterCount() {
        return layers.values().stream().mapToLong(Layer::trainableParameterCount).sum();
    }

    public ModelGraph withLayers(List<Layer> newLayers, List<TensorRef> newInputs, List<TensorRef> newOutputs) {
        return new ModelGraph(name, modelClass, newLayers, newInputs, newOutputs, trainingConfig, provenance, source);
    }

    public ModelGraph withTrainingConfig(ObjectNode tc) {
        return new ModelGraph(name, modelClass, layers(), inputs, outputs, tc, provenance, source);
    }

    public ModelGraph withProvenance(ObjectNode p) {
        return new ModelGraph(name, modelClass, layers(), inputs, outputs, trainingConfig, p, source);
    }

    public ModelGraph withIdentity(String newName, String newClass, SourceInfo newSource) {
        return new ModelGraph(newName, newClass, layers(), inputs, outputs, trainingConfig, provenance, newSource);
    }
}
