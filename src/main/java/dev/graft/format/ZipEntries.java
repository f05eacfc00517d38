package dev.graft.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads small zip members (configuration JSON) through a bounded stream: the size the archive
 * declares is checked first, and reading stops one byte past the limit whatever the archive
 * claims, so a member that inflates to gigabytes (a zip bomb) is refused in milliseconds.
 */
public final class ZipEntries {
    /** Model configurations are kilobytes to a few megabytes; nothing real comes near this. */
    public static final long MAX_JSON_BYTES = 32L << 20;

    private ZipEntries() {
    }

    /** The member's text, at most {@code limit} bytes unpacked; a ModelFileException otherwise. */
    public static String readText(Path file, ZipFile zip, ZipEntry entry, long limit) {
        String name = entry.getName();
        if (entry.getSize() > limit) {
            throw new ModelFileException(file, name + " declares " + entry.getSize() + " bytes unpacked, more than graft reads for it ("
                    + limit + "; a zip bomb?)");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
            if (bytes.length > limit) {
                throw new ModelFileException(file, name + " unpacks to more than " + limit + " bytes, more than graft reads for it (a zip bomb?)");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (ZipException | java.io.EOFException e) {
            throw new ModelFileException(file, "corrupt zip archive: " + name + " cannot be unpacked (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read: " + IoReasons.of(e), e);
        }
    }

    /**
     * True for a member name that points outside the archive's folder ({@code ../x}, {@code /x},
     * {@code C:\x}): no archive Keras or DL4J writes has one, and a tool that unpacks it would write
     * where it should not.
     */
    public static boolean escapes(String name) {
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':')) return true;
        for (String part : n.split("/")) if (part.equals("..")) return true;
        return false;
    }
}
