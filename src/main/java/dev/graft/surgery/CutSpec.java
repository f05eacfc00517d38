package dev.graft.surgery;

import dev.graft.model.ModelGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where to cut a model: {@code --until LAYER}, {@code --drop-last N}, {@code --from LAYER} (any of
 * them; none means the whole model). {@code merge} takes the same cut inline after a donor's file:
 * {@code cnn.h5:until=pool}, {@code cnn.h5:drop-last=2}, {@code cnn.h5:from=conv2:until=pool}.
 */
public record CutSpec(String until, int dropLast, String from) {
    public static final CutSpec NONE = new CutSpec(null, 0, null);
    private static final Pattern INLINE = Pattern.compile(":([a-z][a-z-]*)=");

    public CutSpec {
        if (until != null && dropLast > 0) throw new IllegalArgumentException("give --until or --drop-last, not both");
        if (dropLast < 0) throw new IllegalArgumentException("--drop-last needs a positive number of layers, got " + dropLast);
    }

    public boolean isNone() {
        return until == null && dropLast == 0 && from == null;
    }

    /** The cut applied to a flat model: the output end first, then the input end. */
    public ModelGraph apply(ModelGraph flat, String newInputName) {
        ModelGraph g = flat;
        if (until != null) g = GraphCut.until(g, until);
        if (dropLast > 0) g = GraphCut.dropLast(g, dropLast);
        if (from != null) {
            String name = newInputName;
            for (int k = 2; flat.hasLayer(name); k++) name = newInputName + "_" + k;
            g = GraphCut.from(g, from, name);
        }
        return g;
    }

    /** A donor argument of {@code merge}: the file, and the cut written after it (if any). */
    public record Donor(Path file, CutSpec cut) {
    }

    /** Where an inline cut starts in a donor argument ({@code cnn.h5:until=pool} gives 6), or -1 when it has none. */
    public static int inlineCutStart(String arg) {
        Matcher m = INLINE.matcher(arg);
        return m.find() ? m.start() : -1;
    }

    /** Splits {@code FILE[:until=L][:drop-last=N][:from=L]}; a name that exists as a file is a file, colons and all. */
    public static Donor parseInline(String arg) {
        if (Files.exists(Path.of(arg))) return new Donor(Path.of(arg), NONE);
        Matcher m = INLINE.matcher(arg);
        if (!m.find()) return new Donor(Path.of(arg), NONE);
        Path file = Path.of(arg.substring(0, m.start()));
        String until = null;
        String from = null;
        int drop = 0;
        List<String> seen = new ArrayList<>();
        for (String part : arg.substring(m.start() + 1).split(":")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            if (seen.contains(key)) throw new IllegalArgumentException("bad donor '" + arg + "': " + key + " is given twice");
            seen.add(key);
            if (value.isEmpty()) throw new IllegalArgumentException("bad donor '" + arg + "': " + key + "= needs a value");
            switch (key) {
                case "until": until = value; break;
                case "from": from = value; break;
                case "drop-last":
                    try {
                        drop = Integer.parseInt(value);
                        if (drop <= 0) throw new NumberFormatException();
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("bad donor '" + arg + "': drop-last=N needs a positive whole number");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("bad donor '" + arg + "': '" + key + "' is not a cut; use FILE:until=LAYER, "
                            + "FILE:drop-last=N or FILE:from=LAYER");
            }
        }
        try {
            return new Donor(file, new CutSpec(until, drop, from));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad donor '" + arg + "': " + e.getMessage().replace("--", ""));
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (from != null) parts.add("from=" + from);
        if (until != null) parts.add("until=" + until);
        if (dropLast > 0) parts.add("drop-last=" + dropLast);
        return parts.isEmpty() ? "none" : String.join(":", parts);
    }
}
