package dev.graft.inspect;

import java.util.List;

/** The training configuration a file records, as {@code compile()} was called. */
public record TrainingInfo(String loss, String optimizer, Double learningRate, List<String> metrics) {
}
