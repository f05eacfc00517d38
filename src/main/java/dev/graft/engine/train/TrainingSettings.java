package dev.graft.engine.train;

import java.util.List;

/**
 * How to train: epochs, batch size, seed (the same seed and data give bit-identical weights),
 * early stopping patience on the validation loss (null: none), and the metrics to report.
 */
public record TrainingSettings(int epochs, int batchSize, long seed, Integer patience, LossKind loss, List<String> metrics) {
}
