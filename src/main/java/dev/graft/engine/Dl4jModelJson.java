package dev.graft.engine;

import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.ModelGraph;
import java.io.IOException;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelUtils;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The model JSON DL4J's Keras importer builds from a Keras 2 file's attributes, made from graft's
 * graph instead: the {@code model_config} graft writes, with the file's {@code keras_version} (DL4J
 * reads its first five characters) and, for Keras 2, its {@code backend}, re-serialised as DL4J's
 * {@code KerasModelBuilder.modelHdf5Filename} does.
 */
final class Dl4jModelJson {
    private Dl4jModelJson() {
    }

    /** @param legacy a model in {@link KerasH5Writer#legacyForm}; @param kerasVersion the version the file would declare */
    static String of(ModelGraph legacy, String kerasVersion) throws IOException {
        Map<String, Object> model = KerasModelUtils.parseJsonString(KerasH5Writer.legacyModelConfigText(legacy));
        String version = kerasVersion.length() > 5 ? kerasVersion.substring(0, 5) : kerasVersion;
        model.put("keras_version", version);
        if (Character.getNumericValue(version.charAt(0)) == 2) model.put("backend", KerasH5Writer.BACKEND);
        return new ObjectMapper().writeValueAsString(model);
    }
}
