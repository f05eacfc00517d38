package dev.graft.format;

import dev.graft.model.ModelFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Tells model formats apart by content, never by extension: users name DL4J zips {@code .bin}
 * and HDF5 files {@code .keras}.
 */
public final class FormatSniffer {
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    /** HDF5 allows a user block before the superblock; the signature then sits at 512, 1024, 2048... */
    private static final int[] HDF5_OFFSETS = {0, 512, 1024, 2048, 4096};

    private FormatSniffer() {
    }

    public static ModelFormat detect(Path file) {
        if (Files.isDirectory(file)) throw new ModelFileException(file, "is a directory, not a model file (a TensorFlow SavedModel folder is not supported)");
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // Opening a FIFO blocks until someone writes to it; a device may never end.
            throw new ModelFileException(file, "is not a regular file (a FIFO, socket or device); graft reads models from regular files");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4096 + 8);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(file, "no such file");
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read: " + IoReasons.of(e));
        }
        if (head.length == 0) throw new ModelFileException(file, "is empty");
        // A zip first: a .keras archive stores model.weights.h5 uncompressed, so the HDF5 signature can
        // sit at one of the user-block offsets inside it (keras3-zoo/relu_max_conv.keras has it at 2048).
        if (startsWith(head, 0, HDF5)) return ModelFormat.KERAS_H5;
        if (startsWith(head, 0, ZIP)) return zipKind(file);
        for (int off : HDF5_OFFSETS) {
            if (startsWith(head, off, HDF5)) return ModelFormat.KERAS_H5;
        }
        throw new ModelFileException(file, "is not a model file (" + describe(head) + "); expected a Keras .h5/.keras file or a DL4J zip");
    }

    private static ModelFormat zipKind(Path file) {
        Set<String> entries = new HashSet<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (ZipEntries.escapes(name)) {
                    throw new ModelFileException(file, "is a zip archive with an entry named '" + name + "' that points outside the archive;"
                            + " neither Keras nor DL4J writes such names, so graft refuses the file");
                }
                entries.add(name);
            }
        } catch (ZipException e) {
            throw new ModelFileException(file, "is a corrupt or truncated zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read: " + IoReasons.of(e));
        }
        if (entries.contains("config.json") && (entries.contains("model.weights.h5") || entries.contains("metadata.json"))) {
            return ModelFormat.KERAS_ZIP;
        }
        if (entries.contains("configuration.json")) return ModelFormat.DL4J_ZIP;
        throw new ModelFileException(file, "is a zip archive but neither a Keras 3 .keras archive (config.json, model.weights.h5)"
                + " nor a DL4J model (configuration.json, coefficients.bin)");
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        return data.length >= offset + prefix.length
                && Arrays.equals(data, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    /** A short guess at what the file is, for the error message. */
    private static String describe(byte[] head) {
        int printable = 0;
        int n = Math.min(head.length, 512);
        for (int i = 0; i < n; i++) {
            int b = head[i] & 0xff;
            if (b == '\n' || b == '\r' || b == '\t' || (b >= 32 && b < 127)) printable++;
        }
        if (printable == n) {
            String text = new String(head, 0, n, java.nio.charset.StandardCharsets.US_ASCII).trim();
            if (text.startsWith("{") || text.startsWith("[")) return "JSON text";
            if (text.contains(",") || text.contains(";") || text.contains("\t")) return "text that looks like CSV";
            return "plain text";
        }
        if (head.length >= 6 && head[0] == (byte) 0x93 && head[1] == 'N' && head[2] == 'U') return "a NumPy .npy array";
        return "unknown binary content";
    }
}
