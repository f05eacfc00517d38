package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graft.GraftException;
import org.junit.jupiter.api.Test;

/** The plateau schedule as Keras's ReduceLROnPlateau (min_delta 1e-4, no cooldown), and what the parser refuses. */
class LearningRateScheduleTest {
    @Test
    void plateauHalvesAfterPatienceEpochsWithoutImprovement() {
        LearningRateSchedule s = LearningRateSchedule.parse("plateau:2:0.5");
        double[] losses = {1.0, 0.99995, 0.9, 0.95, 0.95, 0.95, 0.95};
        double[] rates = {0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05};
        // epoch 2 is not better by more than 1e-4 (wait 1); epoch 3 is; 4 and 5 are not: the rate halves for epoch 6
        for (int e = 0; e < losses.length; e++) {
            double rate = s.rate(e + 1, 7, 0.1);
            assertEquals(rates[e], rate, 1e-15, "epoch " + (e + 1));
            s.epochEnded(losses[e], rate);
        }
    }

    @Test
    void malformedSchedulesAreRefused() {
        for (String bad : new String[] {"step:0:0.5", "step:2", "exponential:-1", "cosine:3", "plateau:x:0.5", "linear"}) {
            assertThrows(GraftException.class, () -> LearningRateSchedule.parse(bad), bad);
        }
    }
}
