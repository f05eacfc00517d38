package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
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
     * A zip's network as the engine computes it, with what graft recorded of its inputs and outputs.
     *
     * @param recordedTensors the Keras shape and layout of each input and output graft recorded when it wrote the zip
     *                        (see {@link Dl4jZipWriter}), or null for a zip without that record (one DL4J wrote)
     */
    public record Network(Path file, ComputationGraph graph, JsonNode recordedTensors) {
    }

    /**
     * The network a DL4J zip holds, with its saved parameters (updater state is not loaded), read by graft's reader.
     *
     * @throws ModelFileException with a one-line reason when the zip cannot be restored
     */
    public static Network read(Path file) {
        return of(Dl4jRestorer.restore(file));
    }

    /** The engine's network of a zip already restored (the file is not read again). */
    static Network of(RestoredNetwork restored) {
        return new Network(restored.file(), graph(restored), restored.recordedTensors());
    }

    /**
     * The network a DL4J zip holds, with its saved parameters (updater state is not loaded).
     *
     * @throws ModelFileException with a one-line reason when the zip cannot be restored
     */
    public static ComputationGraph restore(Path file) {
        return graph(Dl4jRestorer.restore(file));
    }

    private static ComputationGraph graph(RestoredNetwork restored) {
        if (restored.kind() == NetworkKind.COMPUTATION_GRAPH) return restored.graph();
        try {
            return MultiLayerToGraph.convert(restored.multiLayer());
        } catch (RuntimeException e) {
            throw new ModelFileException(restored.file(), Dl4jProblems.dl4j() + " cannot turn this MultiLayerNetwork into a ComputationGraph: "
                    + Dl4jProblems.rootCause(e), e);
        }
    }

    /**
     * The Keras shape and layout of each input and output graft recorded when it wrote this zip
     * (see {@link Dl4jZipWriter}), or null for a zip without that record (one DL4J wrote).
     *
     * @throws ModelFileException when the record is there but damaged
     */
    public static JsonNode recordedTensors(Path file) {
        return ZipExtras.tensors(file);
    }
}
