package dev.graft.engine.train;

import java.util.List;

/**
 * How to train: epochs, batch size, seed (the same seed and data give bit-identical weights),
 * early stopping patience on the validation loss (null: none), the metrics to report, the
 * optimizer (null: whatever updaters the network already has), the learning-rate schedule (null:
 * none), each training sample's weight from {@code --class-weight} (null: all 1), and whether to keep
 * the best epoch's weights for a checkpoint, and the groups of engine vertices that are one shared layer's calls
 * ({@link SharedWeightTies}; empty: none).
 */
public record TrainingSettings(int epochs, int batchSize, long seed, Integer patience, LossKind loss, List<String> metrics,
                               OptimizerSettings optimizer, LossSettings lossSettings, LearningRateSchedule schedule,
                               float[] sampleWeights, boolean keepBest, List<List<String>> tiedVertices) {
    public TrainingSettings {
        if (lossSettings == null) lossSettings = LossSettings.of(loss);
        tiedVertices = tiedVertices == null ? List.of() : List.copyOf(tiedVertices);
    }

    public TrainingSettings(int epochs, int batchSize, long seed, Integer patience, LossKind loss, List<String> metrics,
                            OptimizerSettings optimizer, LossSettings lossSettings) {
        this(epochs, batchSize, seed, patience, loss, metrics, optimizer, lossSettings, null, null, false, null);
    }

    public TrainingSettings(int epochs, int batchSize, long seed, Integer patience, LossKind loss, List<String> metrics) {
        this(epochs, batchSize, seed, patience, loss, metrics, null, null);
    }
}
