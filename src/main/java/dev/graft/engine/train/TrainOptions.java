package dev.graft.engine.train;

import java.util.List;

/**
 * What the user asked of {@code train} beyond the data: each null means "what the model's stored
 * training configuration says" (or Keras's default where the file says nothing).
 *
 * @param trainable {@code all}, {@code bridges}, a comma-separated list of layer names, or null for what the file marks
 */
public record TrainOptions(int epochs, int batchSize, String optimizer, Double learningRate, String loss, List<String> metrics,
                           long seed, Integer patience, String trainable) {
}
