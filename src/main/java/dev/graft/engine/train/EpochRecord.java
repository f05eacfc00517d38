package dev.graft.engine.train;

import java.util.Map;

/** One epoch's results: training loss and metrics, validation ones (empty without validation data). */
public record EpochRecord(int epoch, Map<String, Double> train, Map<String, Double> validation, double seconds) {
}
