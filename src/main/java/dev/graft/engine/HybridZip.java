package dev.graft.engine;

import dev.graft.format.dl4j.Dl4jZipWriter;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Writes a Keras hybrid as a DL4J ComputationGraph zip: built by the engine, serialised atomically. */
public final class HybridZip {
    private HybridZip() {
    }

    public static void write(ModelGraph hybrid, Path out) {
        ComputationGraph graph = KerasEngine.build(hybrid);
        Dl4jZipWriter.write(graph, out);
    }
}
