package dev.graft.cli;

import picocli.CommandLine.Option;

/**
 * {@code --json} and {@code --quiet}, mixed into every command ({@code @Mixin ReportOptions report;}).
 * With {@code --json}, stdout carries exactly one JSON document: the result, or
 * {@code {"error": {...}}} (see {@link ErrorJson}); human text goes to stderr. With
 * {@code --quiet}, stderr carries errors only.
 */
public final class ReportOptions {
    @Option(names = "--json", description = "Print one JSON document on stdout (the result, or {\"error\": {...}}) and nothing else there.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on stderr but errors (no progress, no summary).")
    boolean quiet;

    public boolean json() {
        return json;
    }

    public boolean quiet() {
        return quiet;
    }
}
