package dev.graft.format;

import dev.graft.GraftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every file a command writes besides its main output ({@code --history}, {@code --plot}, reports)
 * is checked before any work: it is never one of the inputs nor another output (paths, symbolic
 * links and hard links resolved), and its folder can be written. An input overwritten by a
 * training report is a file lost.
 */
public final class OutputGuard {
    private OutputGuard() {
    }

    /**
     * @param outputs option name (e.g. {@code --history}) to path, null paths skipped
     * @param inputs  every file the command reads
     * @param mainOutput the command's main output ({@code -o}), or null
     */
    public static void check(Map<String, Path> outputs, List<Path> inputs, Path mainOutput) {
        List<Map.Entry<String, Path>> given = outputs.entrySet().stream().filter(e -> e.getValue() != null).toList();
        for (int i = 0; i < given.size(); i++) {
            String option = given.get(i).getKey();
            Path out = given.get(i).getValue();
            for (Path in : inputs) {
                if (in != null && Overwrite.sameFile(out, in)) {
                    throw new GraftException(out + ": " + option + " names an input (" + in + "); graft never overwrites an input, give another file");
                }
            }
            if (mainOutput != null && Overwrite.sameFile(out, mainOutput)) {
                throw new GraftException(out + ": " + option + " names the output model too; give another file");
            }
            for (int j = 0; j < i; j++) {
                if (Overwrite.sameFile(out, given.get(j).getValue())) {
                    throw new GraftException(out + ": " + option + " and " + given.get(j).getKey() + " name the same file; give two files");
                }
            }
            if (Files.isDirectory(out)) throw new GraftException(out + ": " + option + " names a directory; give a file name");
            if (Files.exists(out) && !Files.isRegularFile(out)) {
                throw new GraftException(out + ": " + option + " names a special file (FIFO or device); give a regular file");
            }
            String room = WriteRoom.problem(out, 0);
            if (room != null) throw new GraftException(out + ": cannot be written: " + room);
        }
    }
}
