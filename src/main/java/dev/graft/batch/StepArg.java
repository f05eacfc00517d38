package dev.graft.batch;

import java.nio.file.Path;
import java.util.List;

/**
 * One command-line argument of a step, split where it names files: {@code --input=x=data.npy} is
 * the text {@code --input=x=} and the file {@code data.npy}. Paths resolve against the plan's
 * folder; the up-to-date check reads the files' content, never their names.
 */
record StepArg(List<Part> parts) {
    sealed interface Part permits Text, FileRef {
    }

    record Text(String text) implements Part {
    }

    /** A file the step reads or (an output) writes, as the shell would name it from the current folder. */
    record FileRef(Path path, boolean output, String key) implements Part {
        Path identity() {
            return path.toAbsolutePath().normalize();
        }
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) sb.append(p instanceof Text t ? t.text() : ((FileRef) p).path().toString());
        return sb.toString();
    }
}
