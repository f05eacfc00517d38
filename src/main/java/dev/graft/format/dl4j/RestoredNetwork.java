package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A network restored from a zip as DL4J saved it: exactly one of {@code multiLayer} and
 * {@code graph} is set, according to {@code kind}.
 *
 * @param writtenConfig   the configuration JSON as the file holds it (the writer's spelling)
 * @param recordedTensors the Keras shapes and layouts graft recorded for the inputs and outputs, or null
 * @param provenance      the provenance graft recorded, or null
 */
record RestoredNetwork(Path file, NetworkKind kind, MultiLayerNetwork multiLayer, ComputationGraph graph, JsonNode writtenConfig,
                       JsonNode recordedTensors, com.fasterxml.jackson.databind.node.ObjectNode provenance) {

    /**
     * All parameters, pretraining-only ones included (a VAE's decoder): what MultiLayerNetwork's
     * {@code numParams()} counts, and ComputationGraph's {@code numParams(false)}; the graph's
     * {@code numParams()} leaves those out.
     */
    long numParams() {
        return kind == NetworkKind.MULTI_LAYER_NETWORK ? multiLayer.numParams() : graph.numParams(false);
    }
}
