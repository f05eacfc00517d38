package dev.graft.engine.train;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What training produced: the trained network (with the best epoch's weights when early stopping
 * restored them), the per-epoch history, throughput, and the best epoch's parameters when they were
 * kept for a checkpoint (null otherwise).
 */
public record TrainingResult(ComputationGraph graph, List<EpochRecord> history, int bestEpoch, boolean stoppedEarly,
                             double samplesPerSecond, INDArray bestParams) {
    public TrainingResult(ComputationGraph graph, List<EpochRecord> history, int bestEpoch, boolean stoppedEarly, double samplesPerSecond) {
        this(graph, history, bestEpoch, stoppedEarly, samplesPerSecond, null);
    }

    public EpochRecord best() {
        return history.stream().filter(r -> r.epoch() == bestEpoch).findFirst().orElse(history.get(history.size() - 1));
    }
}
