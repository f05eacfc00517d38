package dev.graft.engine;

import dev.graft.format.FormatSniffer;
import dev.graft.format.ModelFiles;
import dev.graft.model.ModelFormat;
import java.nio.file.Path;

/** Loads any model file graft reads as an engine model. */
public final class EngineModels {
    private EngineModels() {
    }

    public static EngineModel load(Path file) {
        if (FormatSniffer.detect(file) == ModelFormat.DL4J_ZIP) return EngineModel.ofDl4j(file);
        return EngineModel.ofKeras(ModelFiles.read(file));
    }
}
