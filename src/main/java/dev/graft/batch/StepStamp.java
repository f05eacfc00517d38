package dev.graft.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftInfo;
import dev.graft.batch.StepArg.FileRef;
import dev.graft.batch.StepArg.Part;
import dev.graft.batch.StepArg.Text;
import dev.graft.format.AtomicFile;
import dev.graft.format.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a step's outputs are up to date, by content: beside the step's first output, a small
 * record ({@code .OUT.graft-step}) of what built it: graft's version, the command, its options with
 * every file replaced by a placeholder, the SHA-256 of every input and of every output written. The
 * step is up to date when the record matches now: same version, same options, inputs with the same
 * bytes (a touched file is not a changed one; a moved plan folder still matches) and outputs
 * unchanged since. Every step kind uses the same record, so predict's {@code .npy} or {@code .csv}
 * outputs, which have no room for provenance, are tracked like models. Steps that write nothing
 * ({@code inspect}) always run.
 */
final class StepStamp {
    private StepStamp() {
    }

    /** Why a step must run, or null when it is up to date. */
    static String whyRun(Step step, FileChecksums sums) {
        if (step.outputs().isEmpty()) return "writes no file: always runs";
        Path record = recordFile(step);
        if (!Files.isRegularFile(record)) {
            return Files.exists(step.outputs().get(0)) ? "no record of how " + step.outputs().get(0) + " was built" : step.outputs().get(0) + " does not exist";
        }
        JsonNode old;
        try {
            old = Json.MAPPER.readTree(Files.readString(record));
        } catch (IOException | RuntimeException e) {
            return "its record " + record + " is unreadable";
        }
        for (Path out : step.outputs()) {
            String h = sums.of(out);
            if (h == null) return out + " does not exist";
            if (!h.equals(old.path("outputs").path(out.getFileName().toString()).asText(null))) return out + " changed since it was built";
        }
        if (!GraftInfo.VERSION.equals(old.path("graft_version").asText())) {
            return "built by graft " + old.path("graft_version").asText() + ", this is " + GraftInfo.VERSION;
        }
        if (!options(step).equals(old.path("options"))) return "its options changed";
        List<FileRef> inputs = step.inputs();
        JsonNode oldInputs = old.path("inputs");
        if (oldInputs.size() != inputs.size()) return "its inputs changed";
        for (int i = 0; i < inputs.size(); i++) {
            String h = sums.of(inputs.get(i).path());
            if (h == null) return inputs.get(i).path() + " does not exist";
            if (!h.equals(oldInputs.get(i).asText())) return inputs.get(i).path() + " changed";
        }
        return null;
    }

    /** Records what built the step's outputs; called once they are all in place. */
    static void write(Step step, FileChecksums sums) throws IOException {
        if (step.outputs().isEmpty()) return;
        ObjectNode r = Json.object();
        r.put("graft_version", GraftInfo.VERSION);
        r.put("command", step.kind());
        r.set("options", options(step));
        ArrayNode ins = r.putArray("inputs");
        for (FileRef in : step.inputs()) ins.add(sums.of(in.path()));
        ObjectNode outs = r.putObject("outputs");
        for (Path out : step.outputs()) {
            sums.forget(out);
            String h = sums.of(out);
            if (h != null) outs.put(out.getFileName().toString(), h);
        }
        if (outs.size() != step.outputs().size()) return; // an output the command did not write: never up to date
        String text = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n";
        AtomicFile.write(recordFile(step), tmp -> Files.writeString(tmp, text));
    }

    /** Removes the record, so the step runs next time (its outputs are being replaced, or it failed). */
    static void forget(Step step) {
        if (step.outputs().isEmpty()) return;
        try {
            Files.deleteIfExists(recordFile(step));
        } catch (IOException ignored) {
            // Then the outputs' checksums no longer match the record: the step still runs next time.
        }
    }

    static Path recordFile(Step step) {
        Path out = step.outputs().get(0);
        return out.resolveSibling("." + out.getFileName() + ".graft-step");
    }

    /** The arguments with files as placeholders: what the step does, independent of where its files are. */
    private static ArrayNode options(Step step) {
        ArrayNode a = Json.array();
        for (StepArg arg : step.args()) {
            StringBuilder sb = new StringBuilder();
            for (Part p : arg.parts()) {
                if (p instanceof Text t) sb.append(t.text());
                else if (((FileRef) p).output()) sb.append("<output ").append(((FileRef) p).path().getFileName()).append('>');
                else sb.append("<input>");
            }
            a.add(sb.toString());
        }
        return a;
    }
}
