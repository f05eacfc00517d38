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
    public enum Format { H5, ZIP }

    public static OutputTarget of(Path path, String formatOption, Overwrite overwrite, List<Path> inputs) {
        Format format = formatOption != null ? parse(formatOption) : byExtension(path);
        overwrite.check(path, inputs);
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) throw new GraftException(path + ": folder " + dir + " does not exist");
        return new OutputTarget(path, format);
    }

    private static Format byExtension(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".h5") || n.endsWith(".hdf5")) return Format.H5;
        if (n.endsWith(".zip")) return Format.ZIP;
        throw new GraftException(p + ": cannot tell the format from the extension; name it .h5 or .zip, or give --format h5|zip");
    }

    private static Format parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "h5": case "keras": case "hdf5": return Format.H5;
            case "zip": case "dl4j": return Format.ZIP;
            default: throw new dev.graft.UsageException("bad --format '" + s + "': use h5 or zip");
        }
    }
}
