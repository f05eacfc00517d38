package dev.graft.data;

import dev.graft.model.HostArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The entry point for {@code predict} and {@code train}: reads a data file whatever its name
 * says, by its content ({@code \x93NUMPY} is .npy, a zip is .npz, anything else is CSV text),
 * and writes one chosen by the extension the user gave.
 */
public final class DataFiles {
    /** A data file format graft reads and writes. */
    public enum Format {
        NPY, NPZ, CSV
    }

    private static final int SNIFF_BYTES = 4096;

    private DataFiles() {
    }

    /** The format of an existing file, from its first bytes (never its name). */
    public static Format detect(Path file) {
        String source = FileProblems.name(file);
        byte[] head = new byte[SNIFF_BYTES];
        int n = 0;
        try (InputStream in = FileProblems.openStream(file)) {
            for (int got; n < head.length && (got = in.read(head, n, head.length - n)) > 0; ) n += got;
        } catch (IOException e) {
            throw FileProblems.of(file, e);
        }
        if (startsWith(head, n, NpyHeader.MAGIC)) return Format.NPY;
        // A local file header, or the end record alone: what np.savez() writes for no arrays.
        if (startsWith(head, n, new byte[] {'P', 'K', 3, 4}) || startsWith(head, n, new byte[] {'P', 'K', 5, 6})) return Format.NPZ;
        if (startsWith(head, n, new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'})) {
            throw new DataFileException(source, "this is an HDF5 file (a Keras model?), not a data file; graft reads .npy, .npz and CSV");
        }
        if (startsWith(head, n, new byte[] {(byte) 0xff, (byte) 0xfe}) || startsWith(head, n, new byte[] {(byte) 0xfe, (byte) 0xff})) {
            // Excel's "Unicode Text" export.
            throw new DataFileException(source, "UTF-16 text; save it as UTF-8 CSV");
        }
        for (int i = 0; i < n; i++) {
            if (head[i] == 0) throw new DataFileException(source, "binary file that is neither .npy nor .npz; graft reads .npy, .npz and CSV");
        }
        return Format.CSV;
    }

    /** The one array in the file; a CSV file is read whole as float32 (see {@link CsvOptions#defaults()}). */
    public static HostArray read(Path file) {
        return read(file, CsvOptions.defaults());
    }

    /**
     * The one array in the file. An .npz holding several arrays is refused with their names:
     * use {@link NpzFile#read(Path, String)} or {@link #readAll} to choose.
     */
    public static HostArray read(Path file, CsvOptions csv) {
        switch (detect(file)) {
            case NPY: return NpyReader.read(file);
            case CSV: return CsvReader.read(file, csv).matrix();
            default:
                LinkedHashMap<String, HostArray> arrays = NpzFile.read(file);
                if (arrays.size() == 1) return arrays.values().iterator().next();
                throw new DataFileException(FileProblems.name(file), arrays.isEmpty() ? "holds no arrays"
                        : "holds " + arrays.size() + " arrays (" + String.join(", ", arrays.keySet()) + "); name the one to use");
        }
    }

    /**
     * Every array in the file, in file order: an .npz's arrays by name; a .npy or CSV file as a
     * single array named after the file ({@code x.csv} gives {@code x}).
     */
    public static LinkedHashMap<String, HostArray> readAll(Path file, CsvOptions csv) {
        Format format = detect(file);
        if (format == Format.NPZ) return NpzFile.read(file);
        LinkedHashMap<String, HostArray> one = new LinkedHashMap<>();
        one.put(stem(file), format == Format.NPY ? NpyReader.read(file) : CsvReader.read(file, csv).matrix());
        return one;
    }

    /** The format an output file gets from its extension: .npy, .npz or .csv, in any case. */
    public static Format formatForWriting(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) return Format.NPY;
        if (name.endsWith(".npz")) return Format.NPZ;
        if (name.endsWith(".csv")) return Format.CSV;
        int dot = name.lastIndexOf('.');
        throw new DataFileException(FileProblems.name(file), "cannot tell the output format from "
                + (dot > 0 ? "the extension '" + name.substring(dot) + "'" : "a name without an extension") + " (use .npy, .npz or .csv)");
    }

    /**
     * Writes one array: .npy as is, .csv as a table with an {@code out0, out1, ...} header, .npz
     * as a single array named after the file.
     */
    public static void write(Path file, HostArray array) {
        switch (formatForWriting(file)) {
            case NPY:
                NpyWriter.write(file, array);
                return;
            case CSV:
                CsvWriter.write(file, array);
                return;
            default:
                LinkedHashMap<String, HostArray> one = new LinkedHashMap<>();
                one.put(stem(file), array);
                NpzFile.write(file, one, false);
        }
    }

    /** Writes named arrays: all of them to an .npz (uncompressed, as np.savez), exactly one to .npy or .csv. */
    public static void write(Path file, Map<String, HostArray> arrays) {
        Format format = formatForWriting(file);
        if (format == Format.NPZ) {
            NpzFile.write(file, arrays, false);
            return;
        }
        if (arrays.size() != 1) {
            throw new DataFileException(FileProblems.name(file), "a ." + format.name().toLowerCase(Locale.ROOT) + " file holds one array, not "
                    + arrays.size() + " (" + String.join(", ", arrays.keySet()) + "); write .npz instead");
        }
        write(file, arrays.values().iterator().next());
    }

    private static boolean startsWith(byte[] head, int n, byte[] prefix) {
        if (n < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (head[i] != prefix[i]) return false;
        }
        return true;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
