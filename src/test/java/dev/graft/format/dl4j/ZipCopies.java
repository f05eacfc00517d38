package dev.graft.format.dl4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Damaged copies of fixture zips, written to a test's temporary folder (the fixtures stay untouched). */
final class ZipCopies {
    private ZipCopies() {
    }

    static Map<String, byte[]> entries(Path zip) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                out.put(entry.getName(), z.getInputStream(entry).readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static byte[] entry(Path zip, String name) {
        return entries(zip).get(name);
    }

    /** A copy of {@code source} whose entry {@code name} is changed (removed when the function gives null). */
    static Path withEntry(Path source, String name, UnaryOperator<byte[]> change, Path target) {
        Map<String, byte[]> entries = entries(source);
        byte[] changed = change.apply(entries.get(name));
        if (changed == null) entries.remove(name); else entries.put(name, changed);
        return write(entries, target);
    }

    static Path write(Map<String, byte[]> entries, Path target) {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    static UnaryOperator<byte[]> text(UnaryOperator<String> edit) {
        return b -> edit.apply(new String(b, java.nio.charset.StandardCharsets.UTF_8)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
