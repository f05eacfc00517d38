package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;

/** The two network classes a DL4J ModelSerializer zip can hold, told apart by their configuration JSON. */
enum NetworkKind {
    MULTI_LAYER_NETWORK("MultiLayerNetwork"),
    COMPUTATION_GRAPH("ComputationGraph");

    private final String className;

    NetworkKind(String className) {
        this.className = className;
    }

    /** The DL4J class name, used as the model class of the graph graft builds. */
    String className() {
        return className;
    }

    /**
     * A MultiLayerNetwork configuration lists its layers under {@code confs}; a ComputationGraph's has
     * {@code vertices} and {@code networkInputs}. Every DL4J version from 0.5 on writes these names.
     *
     * @return null when the JSON is neither
     */
    static NetworkKind of(JsonNode config) {
        if (config == null || !config.isObject()) return null;
        if (config.path("confs").isArray()) return MULTI_LAYER_NETWORK;
        if (config.path("vertices").isObject() && config.path("networkInputs").isArray()) return COMPUTATION_GRAPH;
        return null;
    }
}
