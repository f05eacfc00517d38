package dev.graft.batch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One step as the plan file writes it, variables already substituted: the command's arguments as
 * a list ({@code - merge: [a.h5, b.h5, -o, out.h5]}) or a mapping of long option names
 * ({@code - merge: {models: [a.h5, b.h5], output: out.h5}}).
 *
 * @param index 1-based position among the plan's steps (after a matrix is expanded)
 * @param name  the step's {@code name:} in the plan, or null
 */
record StepDraft(int index, String name, String kind, JsonNode body) {
    String label() {
        return "step " + index + " (" + kind + (name != null ? " " + name : "") + ")";
    }
}
