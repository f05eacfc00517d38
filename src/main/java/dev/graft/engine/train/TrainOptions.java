package dev.graft.engine.train;

import java.util.List;
import java.util.Map;

/**
 * What the user asked of {@code train} beyond the data: each null means "what the model's stored
 * training configuration says" (or Keras's default where the file says nothing).
 *
 * @param optimizerArgs Keras optimizer arguments by Keras's name ({@code beta_1 -> 0.8}, {@code none} for None); never null
 * @param trainable {@code all}, {@code bridges}, a comma-separated list of layer names, or null for what the file marks
 * @param classWeight {@code --class-weight}: {@code balanced} or {@code CLASS=WEIGHT,...}; null for none
 * @param lrSchedule {@code --lr-schedule}, as {@link LearningRateSchedule#parse} reads it; null for none
 * @param keepBest keep the best epoch's weights (for {@code --checkpoint})
 * @param loss {@code --loss}: one loss for every output, or one per output ({@code NAME,NAME} in output order, {@code OUT=NAME,...})
 * @param lossWeights {@code --loss-weights}: each output's weight in the total ({@code W,W} or {@code OUT=W,...}); null for the stored ones
 */
public record TrainOptions(int epochs, int batchSize, String optimizer, Double learningRate, Map<String, String> optimizerArgs, String loss,
                           Map<String, String> lossArgs, List<String> metrics, long seed, Integer patience, String trainable,
                           String classWeight, String lrSchedule, boolean keepBest, String lossWeights) {
    public TrainOptions {
        optimizerArgs = optimizerArgs == null ? Map.of() : Map.copyOf(optimizerArgs);
        lossArgs = lossArgs == null ? Map.of() : Map.copyOf(lossArgs);
    }

    public TrainOptions(int epochs, int batchSize, String optimizer, Double learningRate, Map<String, String> optimizerArgs, String loss,
                        Map<String, String> lossArgs, List<String> metrics, long seed, Integer patience, String trainable,
                        String classWeight, String lrSchedule, boolean keepBest) {
        this(epochs, batchSize, optimizer, learningRate, optimizerArgs, loss, lossArgs, metrics, seed, patience, trainable, classWeight,
                lrSchedule, keepBest, null);
    }

    public TrainOptions(int epochs, int batchSize, String optimizer, Double learningRate, Map<String, String> optimizerArgs, String loss,
                        Map<String, String> lossArgs, List<String> metrics, long seed, Integer patience, String trainable) {
        this(epochs, batchSize, optimizer, learningRate, optimizerArgs, loss, lossArgs, metrics, seed, patience, trainable, null, null, false, null);
    }

    public TrainOptions(int epochs, int batchSize, String optimizer, Double learningRate, Map<String, String> optimizerArgs, String loss,
                        List<String> metrics, long seed, Integer patience, String trainable) {
        this(epochs, batchSize, optimizer, learningRate, optimizerArgs, loss, Map.of(), metrics, seed, patience, trainable);
    }

    public TrainOptions(int epochs, int batchSize, String optimizer, Double learningRate, String loss, List<String> metrics,
                        long seed, Integer patience, String trainable) {
        this(epochs, batchSize, optimizer, learningRate, Map.of(), loss, Map.of(), metrics, seed, patience, trainable);
    }
}
