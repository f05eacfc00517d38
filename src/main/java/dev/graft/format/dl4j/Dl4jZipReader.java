package dev.graft.format.dl4j;

import dev.graft.format.ModelFileException;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;

/** Reads DL4J ModelSerializer zips (being written on branch wip-dl4j). */
public final class Dl4jZipReader {
    private Dl4jZipReader() {
    }

    public static ModelGraph read(Path file) {
        throw new ModelFileException(file, "DL4J zips are not readable yet");
    }
}
