package dev.graft.format.dl4j;

import dev.graft.format.ModelFileException;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * DL4J zips as engine networks. Everything graft computes with DL4J runs on a ComputationGraph, so
 * a MultiLayerNetwork is converted to one, its vertices named as {@link Dl4jZipReader} names the
 * layers ({@code input}, {@code layer0}, ... or the layers' own names). Starts ND4J.
 */
public final class Dl4jNetworks {
    private Dl4jNetworks() {
    }

    /**
     * The network a DL4J zip holds, with its saved parameters (updater state is not loaded).
     *
     * @throws ModelFileException with a one-line reason when the zip cannot be restored
     */
    public static ComputationGraph restore(Path file) {
        RestoredNetwork restored = Dl4jRestorer.restore(file);
        if (restored.kind() == NetworkKind.COMPUTATION_GRAPH) return restored.graph();
        try {
            return MultiLayerToGraph.convert(restored.multiLayer());
        } catch (RuntimeException e) {
            throw new ModelFileException(file, Dl4jProblems.dl4j() + " cannot turn this MultiLayerNetwork into a ComputationGraph: "
                    + Dl4jProblems.rootCause(e), e);
        }
    }

    /**
     * The Keras shape and layout of each input and output graft recorded when it wrote this zip
     * (see {@link Dl4jZipWriter}), or null for a zip without that record (one DL4J wrote).
     *
     * @throws ModelFileException when the record is there but damaged
     */
    public static com.fasterxml.jackson.databind.JsonNode recordedTensors(Path file) {
        return ZipExtras.tensors(file);
    }
}
