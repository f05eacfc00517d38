package dev.graft.engine;

import dev.graft.format.FormatSniffer;
import dev.graft.format.ModelFileException;
import dev.graft.format.ModelFiles;
import dev.graft.model.ModelFormat;
import java.nio.file.Path;

/** Loads any model file graft reads as an engine model. */
public final class EngineModels {
    private EngineModels() {
    }

    /** The engine model of a file; a model the engine cannot build is reported against the file. */
    public static EngineModel load(Path file) {
        try {
            if (FormatSniffer.detect(file) == ModelFormat.DL4J_ZIP) return EngineModel.ofDl4j(file);
            return EngineModel.ofKeras(ModelFiles.read(file));
        } catch (EngineException e) {
            throw new ModelFileException(file, e.getMessage(), e);
        }
    }
}
