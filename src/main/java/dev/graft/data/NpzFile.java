package dev.graft.data;

import dev.graft.model.HostArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npz} archives: a zip of {@code .npy} entries, stored ({@code np.savez}) or
 * deflated ({@code np.savez_compressed}). Arrays are named as NumPy names them, without
 * {@code .npy}, and kept in archive order.
 */
public final class NpzFile {
    private static final String SUFFIX = ".npy";
    /** Fixed entry times make the same arrays produce the same bytes (and checksum) every time. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    /** What {@code np.savez()} with no arrays writes: an end-of-central-directory record alone. */
    private static final byte[] EMPTY_ZIP = {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private NpzFile() {
    }

    /** Every array in the archive, in archive order. */
    public static LinkedHashMap<String, HostArray> read(Path file) {
        String source = FileProblems.name(file);
        LinkedHashMap<String, HostArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = open(file)) {
            for (ZipEntry entry : arrayEntries(zip, source)) {
                arrays.put(arrayName(entry), readEntry(zip, entry, source));
            }
        } catch (IOException e) {
            throw FileProblems.of(file, e);
        }
        return arrays;
    }

    /** One array, without reading the others. */
    public static HostArray read(Path file, String name) {
        String source = FileProblems.name(file);
        try (ZipFile zip = open(file)) {
            List<ZipEntry> entries = arrayEntries(zip, source);
            for (ZipEntry entry : entries) {
                if (arrayName(entry).equals(name)) return readEntry(zip, entry, source);
            }
            List<String> names = new ArrayList<>();
            for (ZipEntry entry : entries) names.add(arrayName(entry));
            throw new DataFileException(source, "no array named '" + name + "' (arrays: " + String.join(", ", names) + ")");
        } catch (IOException e) {
            throw FileProblems.of(file, e);
        }
    }

    /** The names of the arrays, in archive order, without reading them. */
    public static List<String> names(Path file) {
        String source = FileProblems.name(file);
        try (ZipFile zip = open(file)) {
            List<String> names = new ArrayList<>();
            for (ZipEntry entry : arrayEntries(zip, source)) names.add(arrayName(entry));
            return names;
        } catch (IOException e) {
            throw FileProblems.of(file, e);
        }
    }

    /**
     * Writes the arrays in map order, as {@code np.savez} ({@code compressed} false) or
     * {@code np.savez_compressed} would, through a temporary file renamed into place.
     */
    public static void write(Path file, Map<String, HostArray> arrays, boolean compressed) {
        String source = FileProblems.name(file);
        for (Map.Entry<String, HostArray> e : arrays.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) throw new DataFileException(source, "an array needs a non-empty name");
            if (NpyType.forWriting(e.getValue().dtype()) == null) {
                throw new DataFileException(source, "array '" + e.getKey() + "': cannot write " + e.getValue().dtype().kerasName() + " arrays to .npz");
            }
        }
        AtomicFileWriter.write(file, out -> {
            if (arrays.isEmpty()) {
                out.write(EMPTY_ZIP); // ZipOutputStream refuses to write an archive without entries
                return;
            }
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, HostArray> e : arrays.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + SUFFIX);
                entry.setTimeLocal(ENTRY_TIME);
                if (compressed) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    // A stored entry must declare size and CRC before its data. Writing the array
                    // twice (once to measure) avoids holding a serialized copy in memory.
                    CRC32 crc = new CRC32();
                    CountingStream counter = new CountingStream();
                    writeArray(new CheckedOutputStream(counter, crc), e, source);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(counter.count);
                    entry.setCompressedSize(counter.count);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                writeArray(zip, e, source);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    private static void writeArray(OutputStream out, Map.Entry<String, HostArray> e, String source) throws IOException {
        try {
            NpyWriter.write(out, e.getValue());
        } catch (DataFileException problem) {
            throw new DataFileException(source, "array '" + e.getKey() + "': " + problem.problem());
        }
    }

    private static ZipFile open(Path file) {
        FileProblems.requireReadableFile(file);
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new DataFileException(FileProblems.name(file), "not a readable .npz (zip) archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw FileProblems.of(file, e);
        }
    }

    private static List<ZipEntry> arrayEntries(ZipFile zip, String source) {
        List<ZipEntry> entries = new ArrayList<>();
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry entry = all.nextElement();
            if (entry.isDirectory()) continue;
            if (!entry.getName().endsWith(SUFFIX)) {
                throw new DataFileException(source, "entry '" + entry.getName() + "' is not a .npy array");
            }
            if (entry.getMethod() != ZipEntry.STORED && entry.getMethod() != ZipEntry.DEFLATED) {
                throw new DataFileException(source, "entry '" + entry.getName() + "' uses zip compression method "
                        + entry.getMethod() + "; only stored and deflated entries (as NumPy writes) can be read");
            }
            entries.add(entry);
        }
        return entries;
    }

    private static String arrayName(ZipEntry entry) {
        String name = entry.getName();
        return name.substring(0, name.length() - SUFFIX.length());
    }

    private static HostArray readEntry(ZipFile zip, ZipEntry entry, String source) throws IOException {
        String entrySource = source + ": array '" + arrayName(entry) + "'";
        try (InputStream in = zip.getInputStream(entry)) {
            return NpyReader.read(in, entrySource, entry.getSize(), "entry");
        } catch (ZipException e) {
            throw new DataFileException(entrySource, "corrupt zip entry: " + e.getMessage(), e);
        }
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
