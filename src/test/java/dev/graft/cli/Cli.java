package dev.graft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.format.Json;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs graft in-process as a user would, capturing stdout, stderr and the exit code. */
public record Cli(int exitCode, String out, String err) {
    public static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GraftCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(code, out.toString(), err.toString());
    }

    public JsonNode json() {
        return Json.parse(out);
    }
}
