package dev.graft.engine.train;

import java.util.List;

/**
 * How to train: epochs, batch size, seed (the same seed and data give bit-identical weights),
 * early stopping patience on the validation loss (null: none), the metrics to report, and the
 * optimizer (null: whatever updaters the network already has).
 */
public record TrainingSettings(int epochs, int batchSize, long seed, Integer patience, LossKind loss, List<String> metrics,
                               OptimizerSettings optimizer, LossSettings lossSettings) {
    public TrainingSettings {
        if (lossSettings == null) lossSettings = LossSettings.of(loss);
    }

    public TrainingSettings(int epochs, int batchSize, long seed, Integer patience, LossKind loss, List<String> metrics) {
        this(epochs, batchSize, seed, patience, loss, metrics, null, null);
    }
}
