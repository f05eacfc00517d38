package dev.graft.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated step: the subcommand, its arguments with paths resolved against the plan's folder,
 * and the files it reads and writes (which order the plan).
 *
 * @param index 1-based, in plan order
 * @param name  the plan's {@code name:} for the step, or null
 */
public record Step(int index, String name, String kind, List<StepArg> args, List<StepArg.FileRef> inputs, List<Path> outputs) {
    public String label() {
        return "step " + index + " (" + kind + (name != null ? " " + name : "") + ")";
    }

    /** The arguments as the subcommand receives them (and a shell would). */
    public List<String> commandArgs() {
        List<String> out = new ArrayList<>();
        for (StepArg a : args) out.add(a.render());
        return out;
    }

    /** The equivalent shell line, e.g. {@code graft merge a.h5 b.h5 -o out.h5}. */
    public String shellLine() {
        StringBuilder sb = new StringBuilder("graft ").append(kind);
        for (String a : commandArgs()) sb.append(' ').append(ShellWords.quote(a));
        return sb.toString();
    }

    /** What the step is known by in progress lines: its name, else its first output, else its kind. */
    public String shortName() {
        if (name != null) return name;
        if (!outputs.isEmpty()) return kind + " " + outputs.get(0);
        return kind;
    }
}
