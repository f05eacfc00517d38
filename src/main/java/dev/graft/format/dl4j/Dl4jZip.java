package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.format.Json;
import dev.graft.format.ModelFileException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A DL4J ModelSerializer zip opened and checked as far as can be done without ND4J: the archive,
 * {@code configuration.json} (valid JSON, and a DL4J network configuration) and the header of
 * {@code coefficients.bin}. Everything that goes wrong becomes a {@link ModelFileException}.
 *
 * <p>{@code updaterState.bin} (training state) and {@code preprocessor.bin}/{@code normalizer.bin}
 * are never read: graft does not train, and the preprocessor is Java-serialized, which must not
 * be deserialized from a file a user was handed.
 */
final class Dl4jZip implements AutoCloseable {
    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";

    private final Path file;
    private final ZipFile zip;
    private final String configText;
    private final JsonNode config;
    private final NetworkKind kind;

    private Dl4jZip(Path file, ZipFile zip, String configText, JsonNode config, NetworkKind kind) {
        this.file = file;
        this.zip = zip;
        this.configText = configText;
        this.config = config;
        this.kind = kind;
    }

    static Dl4jZip open(Path file) {
        ZipFile zip = openArchive(file);
        try {
            ZipEntry entry = zip.getEntry(CONFIGURATION);
            if (entry == null) {
                throw new ModelFileException(file, "is a zip archive without " + CONFIGURATION + ", so not a DL4J model");
            }
            String text = readText(file, zip, entry);
            JsonNode config;
            try {
                config = Json.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ModelFileException(file, CONFIGURATION + " is " + Dl4jProblems.oneLine(e.getMessage()));
            }
            NetworkKind kind = NetworkKind.of(config);
            if (kind == null) {
                throw new ModelFileException(file, CONFIGURATION + " is not a DL4J network configuration (it has neither the 'confs'"
                        + " of a MultiLayerNetwork nor the 'vertices' of a ComputationGraph)");
            }
            Dl4jZip opened = new Dl4jZip(file, zip, text, config, kind);
            opened.checkCoefficientsHeader();
            return opened;
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    String configText() {
        return configText;
    }

    /** The configuration as written, in the JSON spelling of the DL4J version that wrote it. */
    JsonNode config() {
        return config;
    }

    NetworkKind kind() {
        return kind;
    }

    /** The Keras shapes and layouts graft recorded for the network's inputs and outputs, or null (a zip DL4J wrote). */
    JsonNode recordedTensors() {
        return ZipExtras.tensors(zip, file);
    }

    /** The provenance graft recorded, or null. */
    com.fasterxml.jackson.databind.node.ObjectNode provenance() {
        return ZipExtras.provenance(zip);
    }

    /** True when the zip stores parameter values (an empty coefficients.bin stores none). */
    boolean hasCoefficients() {
        ZipEntry e = zip.getEntry(COEFFICIENTS);
        return e != null && e.getSize() != 0;
    }

    /** A fresh stream over coefficients.bin; the caller closes it. */
    InputStream openCoefficients() throws IOException {
        return new BufferedInputStream(zip.getInputStream(zip.getEntry(COEFFICIENTS)), 1 << 16);
    }

    @Override
    public void close() {
        closeQuietly(zip);
    }

    private void checkCoefficientsHeader() {
        if (!hasCoefficients()) return;
        ZipEntry entry = zip.getEntry(COEFFICIENTS);
        String problem;
        try (InputStream in = openCoefficients()) {
            problem = CoefficientsHeader.problem(in, entry.getSize());
        } catch (ZipException e) {
            throw unpackError(file, COEFFICIENTS, e);
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read: " + dev.graft.format.IoReasons.of(e));
        }
        if (problem != null) throw new ModelFileException(file, COEFFICIENTS + " " + problem);
    }

    private static ZipFile openArchive(Path file) {
        if (Files.isDirectory(file)) throw new ModelFileException(file, "is a directory, not a DL4J model zip");
        try {
            return new ZipFile(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new ModelFileException(file, "no such file");
        } catch (ZipException e) {
            throw new ModelFileException(file, "is a corrupt or truncated zip archive (" + Dl4jProblems.oneLine(e.getMessage()) + ")");
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read: " + dev.graft.format.IoReasons.of(e));
        }
    }

    private static String readText(Path file, ZipFile zip, ZipEntry entry) {
        return dev.graft.format.ZipEntries.readText(file, zip, entry, dev.graft.format.ZipEntries.MAX_JSON_BYTES);
    }

    /** A zip entry whose compressed data is damaged or cut short. */
    static ModelFileException unpackError(Path file, String entry, IOException e) {
        return new ModelFileException(file, "corrupt zip archive: " + entry + " cannot be unpacked ("
                + Dl4jProblems.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // Nothing was written; a failed close loses nothing.
        }
    }
}
