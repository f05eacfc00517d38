package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftException;
import dev.graft.GraftInfo;
import dev.graft.format.AtomicFile;
import dev.graft.format.Checksums;
import dev.graft.format.Json;
import dev.graft.format.dl4j.Dl4jToKeras;
import dev.graft.format.keras.Keras1Upgrade;
import dev.graft.format.keras.KerasModelWriter;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.surgery.OutputTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Rewrites a model in another format: any Keras model as a Keras 2 {@code .h5} or a Keras 3
 * {@code .keras} (nested models flattened, old spellings modernised, weights copied bit for bit),
 * or as a DL4J zip through the engine; a DL4J zip as a zip (copied as it is), or as a Keras file through
 * its Keras translation ({@link Dl4jToKeras}). Refusals come before anything is written.
 */
public final class ModelConverter {
    private ModelConverter() {
    }

    /**
     * The model as the target format's writer takes it, or a refusal before any work: a Keras 1
     * model bound for a Keras file is upgraded to Keras 2's spelling and weight layout here, once
     * (the writers leave a model that is no longer Keras 1 as it is), and a layer it cannot upgrade
     * is refused now.
     */
    public static ModelGraph check(ModelGraph model, Path input, OutputTarget target) {
        SourceInfo s = model.source();
        if (!target.format().isKeras() || s == null || s.kerasMajor() != 1) return model;
        try {
            return Keras1Upgrade.apply(model);
        } catch (GraftException e) {
            throw new GraftException(input + ": written by Keras " + s.producerVersion() + ": " + e.getMessage(), e);
        }
    }

    public static void convert(ModelGraph model, Path input, OutputTarget target) {
        ModelGraph checked = check(model, input, target);
        ObjectNode provenance = provenance(model, input);
        boolean dl4j = Dl4jToKeras.isDl4j(model);
        if (target.format().isKeras()) {
            // A DL4J network is written as the Keras model that computes the same, or refused naming the layer that has none.
            KerasModelWriter.write((dl4j ? Dl4jToKeras.translate(model) : checked).withProvenance(provenance), target);
        } else if (dl4j) {
            copy(input, target.path());
        } else {
            EngineModel engine = EngineModel.ofKeras(model);
            try {
                engine.writeZip(target.path(), provenance);
            } finally {
                engine.graph().close();
            }
        }
    }

    /** The model's own provenance (a hybrid's donors) with this conversion added. */
    static ObjectNode provenance(ModelGraph model, Path input) {
        ObjectNode p = model.provenance() == null ? Json.object() : model.provenance().deepCopy();
        if (!p.has("graft_version")) p.put("graft_version", GraftInfo.VERSION);
        ArrayNode conversions = p.has("conversions") && p.get("conversions").isArray()
                ? (ArrayNode) p.get("conversions") : p.putArray("conversions");
        ObjectNode c = conversions.addObject();
        c.put("from", input.getFileName().toString());
        c.put("sha256", Checksums.sha256(input));
        SourceInfo s = model.source();
        if (s != null) {
            c.put("format", s.format() == null ? null : s.format().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            c.put("producer", s.producer());
            c.put("producer_version", s.producerVersion());
        }
        return p;
    }

    private static void copy(Path from, Path to) {
        try {
            AtomicFile.write(to, tmp -> Files.copy(from, tmp));
        } catch (IOException e) {
            throw new GraftException(to + ": cannot write: " + e.getMessage(), e);
        }
    }
}
