package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graft.GraftException;
import dev.graft.model.TrainingVocabulary;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The names merge and inspect accept (model.TrainingVocabulary) are exactly the ones train computes. */
class TrainingVocabularyTest {
    @Test
    void lossNamesAreTheLossesTrainComputes() {
        assertEquals(Arrays.stream(LossKind.values()).map(LossKind::kerasName).toList(), TrainingVocabulary.losses());
        for (String name : TrainingVocabulary.losses()) assertEquals(name, LossKind.parse(name).kerasName());
    }

    @Test
    void optimizerNamesAreTheOptimizersTrainComputes() {
        assertEquals(OptimizerKind.keys(), TrainingVocabulary.optimizers());
        for (OptimizerKind k : OptimizerKind.values()) {
            assertEquals(k.kerasClass(), TrainingVocabulary.optimizerClass(k.key()));
            assertEquals(k.defaultLearningRate(), TrainingVocabulary.defaultLearningRate(k.key()));
        }
        assertNull(TrainingVocabulary.optimizerClass("ftrl"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "bce, binary_crossentropy", "BinaryCrossentropy, binary_crossentropy", "binaryxent, binary_crossentropy",
        "mse, mean_squared_error", "MeanSquaredError, mean_squared_error", "KLDivergence, kl_divergence",
        "kld, kl_divergence", "Huber, huber", "huber_loss, huber", "LogCosh, log_cosh", "logcosh, log_cosh",
        "SparseCategoricalCrossentropy, sparse_categorical_crossentropy", "negativeloglikelihood, categorical_crossentropy",
    })
    void aliasesMeanTheSameLossEverywhere(String alias, String keras) {
        assertEquals(keras, TrainingVocabulary.loss(alias));
        assertEquals(keras, LossKind.parse(alias).kerasName());
    }

    @Test
    void unknownNamesAreRefusedByTrainAndUnknownToTheVocabulary() {
        assertNull(TrainingVocabulary.loss("bse"));
        GraftException e = assertThrows(GraftException.class, () -> LossKind.parse("bse"));
        assertEquals("unknown loss 'bse': use one of " + TrainingVocabulary.lossList(), e.getMessage());
    }
}
