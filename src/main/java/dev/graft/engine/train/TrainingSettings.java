package dev.graft.engine.train;

import java.util.List;

/**
 * How to train: epochs, batch size, seed (the same seed and data give bit-identical weights),
 * early stopping patience on the validation loss (null: none), the metrics to report, the
 * optimizer (null: whatever updaters the network already has), the learning-rate schedule (null:
 * none), each training sample's weight from {@code --class-weight} (null: all 1), and whether to keep
 * the best epoch's weights for a checkpoint.
 */
public record TrainingSettings(int epochs, int batchSize, long seed, Integer patience, LossKind loss, List<String> metrics,
                               OptimizerSettings optimizer, LossSettings lossSettings, LearningRateSchedule schedule,
                               float[] sampleWeights, boolean keepBest) {
    public TrainingSettings {
        if (lossSettings == null) lossSettings = LossSettings.of(loss);
    }

    public TrainingSettings(int epochs, int batchSize, long seed, Integer patience, LossKind loss, List<String> metrics,
                            OptimizerSettings optimizer, LossSettings lossSettings) {
        this(epochs, batchSize, seed, patience, loss, metrics, optimizer, lossSettings, null, null, false);
    }

    public TrainingSettings(int epochs, int batchSize, long seed, Integer patience, LossKind loss, List<String> metrics) {
        this(epochs, batchSize, seed, patience, loss, metrics, null, null);
    }
}
