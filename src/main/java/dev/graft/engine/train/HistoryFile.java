package dev.graft.engine.train;

import dev.graft.GraftException;
import dev.graft.format.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code --history FILE.csv}: one row per epoch, columns as Keras's {@code History} names them. */
public final class HistoryFile {
    private HistoryFile() {
    }

    public static List<String> columns(List<EpochRecord> history) {
        Set<String> cols = new LinkedHashSet<>();
        for (EpochRecord r : history) cols.addAll(r.train().keySet());
        for (EpochRecord r : history) for (String k : r.validation().keySet()) cols.add("val_" + k);
        return new ArrayList<>(cols);
    }

    public static void write(Path file, List<EpochRecord> history) {
        List<String> cols = columns(history);
        StringBuilder sb = new StringBuilder("epoch");
        for (String c : cols) sb.append(',').append(c);
        sb.append(",seconds\n");
        for (EpochRecord r : history) {
            sb.append(r.epoch());
            for (String c : cols) {
                Double v = c.startsWith("val_") ? r.validation().get(c.substring(4)) : r.train().get(c);
                sb.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.8g", v));
            }
            sb.append(',').append(String.format(Locale.ROOT, "%.3f", r.seconds())).append('\n');
        }
        try {
            AtomicFile.write(file, tmp -> Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GraftException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
