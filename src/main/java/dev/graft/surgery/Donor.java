package dev.graft.surgery;

import dev.graft.model.ModelGraph;
import java.nio.file.Path;

/**
 * A model given to {@code merge} or {@code adapt}, with the checksum of its file for provenance,
 * and the cut to take from it ({@link CutSpec#NONE} for the whole model).
 */
public record Donor(Path path, ModelGraph model, String sha256, CutSpec cut) {
    public Donor(Path path, ModelGraph model, String sha256) {
        this(path, model, sha256, CutSpec.NONE);
    }

    public Donor {
        if (cut == null) cut = CutSpec.NONE;
    }

    public Donor withCut(CutSpec c) {
        return new Donor(path, model, sha256, c);
    }

    /** The file name without its extension: the default prefix for this donor's colliding names. */
    public String stem() {
        String n = path.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** Whether the model is a DL4J network (its layers exist only on the engine). */
    public boolean isDl4j() {
        return model.source() != null && model.source().format() == dev.graft.model.ModelFormat.DL4J_ZIP;
    }
}
