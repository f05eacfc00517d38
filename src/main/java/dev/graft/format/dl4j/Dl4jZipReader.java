package dev.graft.format.dl4j;

import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a DL4J ModelSerializer zip (MultiLayerNetwork or ComputationGraph, any DL4J version from
 * 0.5 on, whatever the file's extension) into graft's model: DL4J restores the network, and its
 * layers, parameters and DL4J-computed output shapes are described in graft's terms. Starts ND4J.
 *
 * <p>Failures are {@link dev.graft.format.ModelFileException}s with one-line messages: damaged
 * archives, configurations that are not DL4J's, custom layer classes graft does not have,
 * truncated parameters.
 */
public final class Dl4jZipReader {
    private Dl4jZipReader() {
    }

    public static ModelGraph read(Path file) {
        return model(Dl4jRestorer.restore(file));
    }

    /** A model and the engine's network of it, both from one reading of the zip ({@code train}: nothing is read twice). */
    public record WithNetwork(ModelGraph model, Dl4jNetworks.Network network) {
    }

    /** {@link #read} with the network restored for the engine from the same reading of the file. */
    public static WithNetwork readWithNetwork(Path file) {
        RestoredNetwork restored = Dl4jRestorer.restore(file);
        ModelGraph model = model(restored);
        // The model's weights are copies (ParamWeights): training the network leaves them as read.
        return new WithNetwork(model, Dl4jNetworks.of(restored));
    }

    private static ModelGraph model(RestoredNetwork restored) {
        Path file = restored.file();
        com.fasterxml.jackson.databind.node.ObjectNode provenance = restored.provenance();
        SourceInfo source = provenance != null
                ? new SourceInfo(file, ModelFormat.DL4J_ZIP, "graft", provenance.path("graft_version").asText(null), null, size(file))
                : new SourceInfo(file, ModelFormat.DL4J_ZIP, "dl4j", Dl4jVersionHint.of(restored.writtenConfig()), null, size(file));
        String name = modelName(file);
        ModelGraph model = restored.kind() == NetworkKind.MULTI_LAYER_NETWORK
                ? MultiLayerModelBuilder.build(name, restored.multiLayer(), source)
                : GraphModelBuilder.build(name, restored.graph(), source, RecordedInputTypes.of(restored.recordedTensors()));
        return provenance == null ? model : model.withProvenance(provenance);
    }

    /** DL4J networks have no name; the file's, without its extension, stands in. */
    static String modelName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
