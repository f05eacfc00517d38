package dev.graft.surgery;

import dev.graft.model.ModelGraph;
import java.nio.file.Path;

/** A model given to {@code merge}, with the checksum of its file for provenance. */
public record Donor(Path path, ModelGraph model, String sha256) {
    /** The file name without its extension: the default prefix for this donor's colliding names. */
    public String stem() {
        String n = path.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9_]", "_");
    }
}
