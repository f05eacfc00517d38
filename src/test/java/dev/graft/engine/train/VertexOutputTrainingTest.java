package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.testutil.StoredPredictions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Models whose parameters all live in graft's SameDiff vertices (MultiHeadAttention, the LSTM going backwards or masked):
 * DL4J's fit skipped them ("no params to fit": it counts layers' parameters only), so training reported a loss of
 * 0.0 and learnt nothing. Their first-batch loss is Keras's mse of {@code predict}'s outputs, and it falls.
 */
class VertexOutputTrainingTest {
    @Test
    void multiHeadAttentionAsTheOutputTrainsWithKerasLoss() {
        firstLossIsKerasLossAndFalls("mha_self");
    }

    @Test
    void lstmGoingBackwardsAsTheOutputTrainsWithKerasLoss() {
        firstLossIsKerasLossAndFalls("lstm_backwards");
    }

    /** Was refused: the engine's backward pass lost the output's gradient placeholder to an unused variable of the last step. */
    @Test
    void aMaskedLstmAsTheOutputTrainsWithKerasLoss() {
        firstLossIsKerasLossAndFalls("embedding_mask_zero_lstm");
        firstLossIsKerasLossAndFalls("masking_0_lstm");
    }

    private static void firstLossIsKerasLossAndFalls(String name) {
        ModelGraph model = ModelFiles.read(Fixtures.file("keras3-zoo/" + name + ".keras"));
        StoredPredictions stored = StoredPredictions.read(Fixtures.file("keras3-zoo/" + name + "_inputs_and_outputs.h5"));
        List<HostArray> x = stored.inputs();
        HostArray predicted = EngineModel.ofKeras(model).predict(x.toArray(HostArray[]::new))[0];
        float[] y = predicted.toFloatArray();
        for (int i = 0; i < y.length; i++) y[i] += i % 3 == 0 ? 0.3f : -0.2f;
        HostArray labels = HostArray.ofFloats(predicted.shape(), y);
        double want = 0;
        for (int i = 0; i < y.length; i++) want += Math.pow(predicted.getDouble(i) - y[i], 2);
        want /= y.length;

        long rows = x.get(0).shape()[0];
        TrainingData data = new TrainingData(x, List.of(labels), List.of("labels"), null, null, null);
        TrainJob.Outcome outcome = TrainJob.run(model, data, options(Math.toIntExact(rows)), TrainingListener.SILENT);
        List<EpochRecord> history = outcome.result().history();
        double first = history.get(0).train().get("loss");
        assertEquals(want, first, 1e-5, name + ": the first batch's loss is Keras's mse of predict's outputs");
        assertTrue(history.get(2).train().get("loss") < first, name + ": the loss falls: " + losses(history));
    }

    /** Three epochs of one batch (the whole data), SGD at 0.1. */
    private static TrainOptions options(int batch) {
        return new TrainOptions(3, Math.max(1, batch), "sgd", 0.1, "mse", List.of(), 7, null, "all");
    }

    private static List<Double> losses(List<EpochRecord> history) {
        List<Double> out = new ArrayList<>();
        for (EpochRecord r : history) out.add(r.train().get("loss"));
        return out;
    }
}
