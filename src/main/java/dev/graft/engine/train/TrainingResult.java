package dev.graft.engine.train;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What training produced: the trained network (with the best epoch's weights when early stopping
 * restored them), the per-epoch history, and throughput.
 */
public record TrainingResult(ComputationGraph graph, List<EpochRecord> history, int bestEpoch, boolean stoppedEarly,
                             double samplesPerSecond) {
    public EpochRecord best() {
        return history.stream().filter(r -> r.epoch() == bestEpoch).findFirst().orElse(history.get(history.size() - 1));
    }
}
