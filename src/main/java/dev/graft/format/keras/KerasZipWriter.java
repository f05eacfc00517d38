package dev.graft.format.keras;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.AtomicFile;
import dev.graft.format.Json;
import dev.graft.format.hdf5.H5File;
import dev.graft.format.hdf5.H5Group;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.Flattener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a model as a Keras 3 {@code .keras} archive, as {@code model.save("x.keras")} does:
 * {@code metadata.json}, {@code config.json} ({@link Keras3Serializer}) and {@code model.weights.h5}
 * (each layer's variables by position under {@code layers/<attr>}, {@link KerasVariablePaths}).
 * Nested models are flattened, old spellings modernised ({@link KerasModernizer}); weights read
 * from HDF5 are copied dataset to dataset, bit for bit. The same model gives the same bytes: the
 * entries are stored uncompressed in a fixed order with a fixed date, and no save date is written.
 * graft's provenance goes into {@code metadata.json}, which Keras does not read when loading.
 */
public final class KerasZipWriter {
    /** The Keras release whose archive layout graft writes (checked against real Keras 3.15.1). */
    public static final String KERAS_VERSION = "3.15.1";
    /** Key of {@code metadata.json} holding graft's provenance. */
    public static final String PROVENANCE_KEY = "graft_provenance";
    /** Provenance key: the Keras major version whose semantics the archive's numbers follow. */
    public static final String SEMANTICS_KEY = "keras_semantics";
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private KerasZipWriter() {
    }

    /** Writes atomically: the target appears complete or not at all. */
    public static void write(ModelGraph model, Path target) throws IOException {
        ModelGraph flat = KerasModernizer.apply(Flattener.flatten(Keras1Upgrade.apply(model)), KerasModernizer.Target.KERAS3);
        byte[] config = Json.compact(Keras3Serializer.modelConfig(flat)).getBytes(StandardCharsets.UTF_8);
        byte[] metadata = Json.compact(metadata(flat)).getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(target, tmp -> {
            Path weights = tmp.resolveSibling(tmp.getFileName() + ".weights.h5");
            try {
                Files.deleteIfExists(weights);
                writeWeights(flat, weights);
                try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                    stored(zip, "metadata.json", metadata);
                    stored(zip, "config.json", config);
                    stored(zip, "model.weights.h5", Files.readAllBytes(weights));
                }
            } finally {
                Files.deleteIfExists(weights);
            }
        });
    }

    /**
     * {@code keras_version}, and graft's provenance with the Keras whose semantics the numbers
     * follow ({@code keras_semantics}: 2 or 3): a Keras 2 donor's {@code hard_sigmoid} keeps its Keras 2
     * meaning when graft reopens the archive, whatever Keras 3 would make of it.
     */
    private static ObjectNode metadata(ModelGraph model) {
        ObjectNode m = Json.object();
        m.put("keras_version", KERAS_VERSION);
        ObjectNode p = model.provenance() == null ? Json.object() : model.provenance().deepCopy();
        if (!p.has("graft_version")) p.put("graft_version", dev.graft.GraftInfo.VERSION);
        int major = model.source() == null ? 0 : model.source().kerasMajor();
        p.put(SEMANTICS_KEY, major == 3 ? 3 : 2);
        m.set(PROVENANCE_KEY, p);
        return m;
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        e.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** {@code layers/<attr>/...} for every layer, in Keras 3's attribute naming ({@link KerasZipReader#snakeCase}). */
    private static void writeWeights(ModelGraph model, Path file) {
        try (WeightStore store = new WeightStore(); H5File h5 = H5File.create(file, KerasH5Writer.expectedBytes(model))) {
            Map<String, Integer> used = new HashMap<>();
            try (H5Group layers = h5.createGroup("layers")) {
                for (Layer layer : model.layers()) {
                    String snake = KerasZipReader.snakeCase(layer.className());
                    int n = used.merge(snake, 1, Integer::sum) - 1;
                    String attr = n == 0 ? snake : snake + "_" + n;
                    try (H5Group g = layers.createGroup(attr)) {
                        writeLayer(g, layer, store);
                    }
                }
            }
            try (H5Group vars = h5.createGroup("vars")) {
                vars.writeStringAttribute("name", model.name(), true);
            }
        }
    }

    private static void writeLayer(H5Group g, Layer layer, WeightStore store) {
        for (String group : KerasVariablePaths.groups(layer)) {
            try (H5Group vars = g.createGroup(group)) {
                if ("vars".equals(group)) vars.writeStringAttribute("name", layer.name(), true);
            }
        }
        List<String> paths = KerasVariablePaths.of(layer);
        for (int i = 0; i < paths.size(); i++) store.put(g, paths.get(i), layer.weights().get(i));
    }
}
