package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.format.ModelFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * What graft adds to a DL4J zip beyond ModelSerializer's entries: the hybrid's provenance as
 * {@code graft_provenance.json}, the Keras shape and layout of each network input and output as
 * {@code graft_tensors.json} (DL4J ignores entries it does not know), and fixed entry times, so
 * the same network written twice gives the same bytes.
 */
final class ZipExtras {
    static final String PROVENANCE_ENTRY = "graft_provenance.json";
    static final String TENSORS_ENTRY = "graft_tensors.json";
    /** A tensors record describes a few inputs and outputs; anything far larger is not one graft wrote. */
    private static final long MAX_TENSORS_BYTES = 1 << 20;
    /** A provenance record lists donors, bridges and training runs; graft never writes one near this size. */
    private static final long MAX_PROVENANCE_BYTES = 16L << 20;
    /** 1980-01-01, the earliest time a zip entry can hold, as Keras's own archives use. */
    private static final long FIXED_TIME = 315532800000L + java.util.TimeZone.getDefault().getOffset(315532800000L) * -1L;

    private ZipExtras() {
    }

    /** Copies {@code from} to {@code to} with fixed times, adding the provenance and tensors entries when given. */
    static void rewrite(Path from, Path to, ObjectNode provenance, ObjectNode tensors) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            List<? extends ZipEntry> entries = new ArrayList<>(Collections.list(in.entries()));
            for (ZipEntry e : entries) {
                if (e.getName().equals(PROVENANCE_ENTRY) || e.getName().equals(TENSORS_ENTRY)) continue;
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(FIXED_TIME);
                out.putNextEntry(copy);
                try (InputStream s = in.getInputStream(e)) {
                    s.transferTo(out);
                }
                out.closeEntry();
            }
            if (provenance != null) {
                ZipEntry p = new ZipEntry(PROVENANCE_ENTRY);
                p.setTime(FIXED_TIME);
                out.putNextEntry(p);
                out.write(Json.pythonStyle(provenance).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            if (tensors != null) {
                ZipEntry t = new ZipEntry(TENSORS_ENTRY);
                t.setTime(FIXED_TIME);
                out.putNextEntry(t);
                out.write(Json.pythonStyle(tensors).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    /**
     * The tensors record graft wrote in a zip, or null when there is none (a zip DL4J wrote).
     * Unlike provenance it decides how numbers are read, so a damaged one is refused, not skipped.
     */
    static JsonNode tensors(Path zip) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return tensors(z, zip);
        } catch (IOException e) {
            throw new ModelFileException(zip, TENSORS_ENTRY + " cannot be read: " + Dl4jProblems.oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    /** {@link #tensors(Path)} from the archive already open (the reader's: the file is read once). */
    static JsonNode tensors(ZipFile z, Path zip) {
        ZipEntry e = z.getEntry(TENSORS_ENTRY);
        if (e == null) return null;
        try (InputStream s = z.getInputStream(e)) {
            byte[] bytes = s.readNBytes((int) MAX_TENSORS_BYTES + 1);
            if (bytes.length > MAX_TENSORS_BYTES) throw new ModelFileException(zip, TENSORS_ENTRY + " is larger than graft ever writes");
            JsonNode n = Json.parse(new String(bytes, StandardCharsets.UTF_8));
            if (!(n instanceof ObjectNode)) throw new ModelFileException(zip, TENSORS_ENTRY + " is not a JSON object");
            return n;
        } catch (IOException | IllegalArgumentException ex) {
            throw new ModelFileException(zip, TENSORS_ENTRY + " cannot be read: " + Dl4jProblems.oneLine(String.valueOf(ex.getMessage())), ex);
        }
    }

    /** The provenance graft recorded in a zip, or null. */
    static ObjectNode provenance(Path zip) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return provenance(z);
        } catch (IOException e) {
            return null; // provenance is informative only; a damaged entry must not make the model unreadable
        }
    }

    /**
     * {@link #provenance(Path)} from the archive already open; an entry larger than any record graft writes (a hostile
     * file's zip bomb) is no provenance.
     */
    static ObjectNode provenance(ZipFile z) {
        ZipEntry e = z.getEntry(PROVENANCE_ENTRY);
        if (e == null) return null;
        try (InputStream s = z.getInputStream(e)) {
            byte[] bytes = s.readNBytes((int) MAX_PROVENANCE_BYTES + 1);
            if (bytes.length > MAX_PROVENANCE_BYTES) return null;
            JsonNode n = Json.parse(new String(bytes, StandardCharsets.UTF_8));
            return n instanceof ObjectNode o ? o : null;
        } catch (IOException | IllegalArgumentException ex) {
            return null; // provenance is informative only; a damaged entry must not make the model unreadable
        }
    }
}
