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
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradient check of the loss put after outputs that are not Dense ({@link LossHead}): one SGD step
 * ({@code w -= lr * g}) moves each weight by the gradient of Keras's {@code mse} averaged over the batch
 * and every position, which is checked against central differences of that loss computed on the
 * model's outputs (Keras layout) with the weight nudged. Channels-last Conv2D (rank-4 output), a
 * channels-first Conv1D, an LSTM returning sequences (rank 3), a per-step Dense, and graft's own
 * LayerNormalization and RMSNormalization on ranks 2 to 4 (which used to keep the build's optimizer:
 * a step 10 times too small), and through pooling, transposed and separable convolutions, Conv3D, PReLU, Embedding,
 * GRU, stacked LSTMs and a transformer block (the zoo models listed).
 */
class LossHeadGradientTest {
    private static final double LR = 0.01;

    @ParameterizedTest
    @ValueSource(strings = {"conv2d_valid", "conv1d_cf", "lstm_seq", "td_dense", "layernorm_default", "layernorm_rank4_axis_last", "rmsnorm_default",
        "layernorm_center_off", "conv_autoencoder", "conv1d_causal_dil2", "conv1d_lstm_ts", "conv3d_valid", "conv2dt_same_s2", "sepconv2d_k3",
        "prelu_conv_shared3", "embedding_10x4", "gru_seq_backwards", "gru_reset_before", "stacked_lstm_lstm", "transformer_postnorm_relu",
        "dense_nobias", "gru_default", "lstm_default"})
    void oneSgdStepFollowsKerasLossGradient(String name) {
        var io = Fixtures.file("keras3-zoo/" + name + "_inputs_and_outputs.h5");
        ModelGraph graph = ModelFiles.read(io.resolveSibling(name + ".keras"));
        HostArray x = firstRows(StoredPredictions.read(io).inputs().get(0));
        EngineModel engine = EngineModel.ofKerasForTraining(graph); // the build train uses: same parameter layout
        HostArray y = shifted(engine.predict(x)[0]);
        TrainJob.Outcome out = TrainJob.run(graph, new TrainingData(x, y, "labels", null, null, null),
                new TrainOptions(1, 2, "sgd", LR, "mse", List.of(), 3, null, "all"), TrainingListener.SILENT);
        int checked = 0;
        for (GraphVertex v : engine.graph().getVertices()) {
            if (v.numParams() == 0) continue;
            Map<String, INDArray> before = v.paramTable(false);
            Map<String, INDArray> after = out.result().graph().getVertex(v.getVertexName()).paramTable(false);
            for (Map.Entry<String, INDArray> p : before.entrySet()) {
                INDArray w = p.getValue();
                for (long k = 0; k < w.length(); k += Math.max(1, w.length() / 4)) {
                    double applied = (w.getDouble(k) - after.get(p.getKey()).getDouble(k)) / LR;
                    double original = w.getDouble(k), h = 2e-3; // small: max pooling and relu have kinks
                    w.putScalar(k, original + h);
                    double up = mse(engine.predict(x)[0], y);
                    w.putScalar(k, original - h);
                    double down = mse(engine.predict(x)[0], y);
                    w.putScalar(k, original);
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, applied, 2e-3 + 2e-2 * Math.abs(numeric), name + java.util.Arrays.toString(x.shape()) + " " + v.getVertexName() + "/" + p.getKey() + "[" + k + "]");
                    checked++;
                }
            }
        }
        assertTrue(checked >= 4, name + ": " + checked + " weights checked");
    }

    private static HostArray firstRows(HostArray a) {
        long[] s = a.shape().clone();
        long per = a.size() / s[0];
        s[0] = 2;
        float[] f = new float[Math.toIntExact(2 * per)];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.getDouble(i);
        return HostArray.ofFloats(s, f);
    }

    private static HostArray shifted(HostArray a) {
        float[] f = a.toFloatArray();
        for (int i = 0; i < f.length; i++) f[i] += i % 2 == 0 ? 0.25f : -0.5f;
        return HostArray.ofFloats(a.shape(), f);
    }

    private static double mse(HostArray a, HostArray b) {
        double s = 0;
        for (long i = 0; i < a.size(); i++) s += (a.getDouble(i) - b.getDouble(i)) * (a.getDouble(i) - b.getDouble(i));
        return s / a.size();
    }
}
