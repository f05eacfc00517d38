package dev.graft.surgery;

import dev.graft.GraftException;
import dev.graft.format.Overwrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where a command writes and in which format, checked before any work: an existing output is
 * replaced (atomically) unless {@code --no-clobber} is given, and an output that is one of the
 * inputs is always refused.
 */
public record OutputTarget(Path path, Format format) {
    /** Keras 2 legacy HDF5, Keras 3 archive, DL4J ModelSerializer zip. */
    public enum Format {
        H5, KERAS, ZIP;

        public boolean isKeras() {
            return this != ZIP;
        }
    }

    public static OutputTarget of(Path path, String formatOption, Overwrite overwrite, List<Path> inputs) {
        Format format = formatOption != null ? parse(formatOption) : byExtension(path);
        checkExtension(path, format);
        overwrite.check(path, inputs);
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) throw new GraftException(path + ": folder " + dir + " does not exist");
        return new OutputTarget(path, format);
    }

    private static Format byExtension(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".h5") || n.endsWith(".hdf5")) return Format.H5;
        if (n.endsWith(".keras")) return Format.KERAS;
        if (n.endsWith(".zip")) return Format.ZIP;
        throw new GraftException(p + ": cannot tell the format from the extension; name it .h5, .keras or .zip, or give --format h5|keras|zip");
    }

    /**
     * Keras chooses its loader by the file name: an HDF5 file named {@code .keras} (or an archive
     * named {@code .h5}) is refused by {@code load_model}, so a name that says another format is refused here.
     */
    private static void checkExtension(Path p, Format format) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        Format named = n.endsWith(".keras") ? Format.KERAS : n.endsWith(".h5") || n.endsWith(".hdf5") ? Format.H5 : null;
        if (named != null && named != format) {
            throw new GraftException(p + ": the name says " + describe(named) + " but --format asks for " + describe(format)
                    + "; Keras picks its loader by the extension: name it " + extension(format) + " or drop --format");
        }
    }

    private static String describe(Format f) {
        switch (f) {
            case H5: return "Keras HDF5 (.h5)";
            case KERAS: return "a Keras 3 archive (.keras)";
            default: return "a DL4J zip";
        }
    }

    private static String extension(Format f) {
        switch (f) {
            case H5: return ".h5";
            case KERAS: return ".keras";
            default: return ".zip";
        }
    }

    private static Format parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "h5": case "hdf5": return Format.H5;
            case "keras": return Format.KERAS;
            case "zip": case "dl4j": return Format.ZIP;
            default: throw new dev.graft.UsageException("bad --format '" + s + "': use h5, keras or zip");
        }
    }
}
