package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.GraftException;
import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * One training step on every model of the Keras 3 layer zoo that {@code predict} computes: each either
 * trains (every layer with weights, SGD on {@code mse} against the model's outputs shifted by 0.25 or -0.5,
 * two rows in one batch) or is refused with one line naming the layer that cannot train. A model with several
 * inputs or outputs (a merge layer, attention's query and value, an LSTM returning its states) takes one array per
 * input and per output, with {@code mse} on each output. A trained
 * model's first-batch loss must be Keras's {@code mse} of the model's own (inference) outputs (summed over the outputs), unless a
 * layer behaves differently in training (dropout, noise, batch statistics), and some weight must move.
 * One file per case (the {@code .keras} one, else the {@code .h5}): both files of a case build the
 * same network, which {@code KerasZooTest} checks, so training both would only double the time.
 * Models with no weights at all (an activation, a pooling) have nothing to train and are counted apart.
 * The counts are printed.
 */
class ZooTrainingTest {
    /** Layers whose training forward pass differs from inference by design: the first loss is not checked for them. */
    private static final Set<String> TRAINING_DIFFERS = Set.of("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
            "GaussianNoise", "GaussianDropout", "AlphaDropout", "BatchNormalization", "ActivityRegularization");

    @Test
    void everyComputableZooModelTrainsOneStepOrNamesTheLayer() {
        Map<String, String> results = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Path io : Fixtures.files("keras3-zoo", p -> p.toString().endsWith("_inputs_and_outputs.h5"))) {
            String name = io.getFileName().toString().replace("_inputs_and_outputs.h5", "");
            Path model = io.resolveSibling(name + ".keras");
            if (!Files.exists(model)) model = io.resolveSibling(name + ".h5");
            if (!Files.exists(model)) continue;
            String outcome = trainOnce(model, io);
            results.put(name, outcome);
            if (outcome.startsWith("PROBLEM")) problems.add(name + ": " + outcome);
        }
        Map<String, Integer> counts = new TreeMap<>();
        StringBuilder detail = new StringBuilder();
        for (Map.Entry<String, String> e : results.entrySet()) {
            String kind = e.getValue().split(":")[0];
            counts.merge(kind, 1, Integer::sum);
            if (!kind.equals("trained") && !kind.equals("not computable") && !kind.equals("no weights")) {
                detail.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
        System.out.println("keras3-zoo training: " + counts + "\n" + detail);
        assertTrue(problems.isEmpty(), problems.size() + " zoo models neither train nor name the layer:\n" + String.join("\n", problems));
        // 121 since the models whose weights all live in graft's SameDiff vertices (MultiHeadAttention, LSTM going backwards) train
        // 124 since a BatchNormalization with center=False trains (its beta kept at 0, FixedParamsBatchNormalization) and a
        // masked LSTM trains as the model's output
        // 128 with ConvLSTM1D and ConvLSTM2D (graft's KerasConvLstmLayer) and attention layers returning their scores
        // 129 since a Bidirectional concatenating its halves' sequences trains as its halves (a merge keeps its axis: MergeAxes)
        // 130 since a shared layer trains, its calls tied into one variable (SharedWeightTies): nothing refused
        // 125 since training noise graft's train does not compute as Keras's fit is refused by layer, argument and value (it trained
        // as the identity): a GRU's, LSTM's, SimpleRNN's and MultiHeadAttention's dropout, SpatialDropout1D/2D, GaussianDropout
        // 127 since GaussianDropout (KerasGaussianDropout) and a SimpleRNN's dropout (RecurrentInputDropout) are computed
        // 128 with MultiHeadAttention's dropout on its weights (AttentionDropoutVertexRuntime)
        assertTrue(counts.getOrDefault("trained", 0) >= 128, "trained: " + counts);
        // 5 refused since SpatialDropout1D/2D drop whole channels in training (ChannelAxisDropout): those two have no weights
        // 3 since GaussianDropout and a SimpleRNN's dropout train: left, a recurrent_dropout (LSTM, GRU) and MultiHeadAttention's dropout
        // 2 with MultiHeadAttention's dropout: left, a recurrent_dropout (LSTM, GRU)
        assertTrue(counts.getOrDefault("refused", 0) <= 2, "refused: " + counts);
    }

    private static String trainOnce(Path model, Path io) {
        ModelGraph graph;
        EngineModel engine;
        StoredPredictions stored = StoredPredictions.read(io);
        HostArray[] before;
        try {
            graph = ModelFiles.read(model);
            engine = EngineModel.ofKeras(graph);
            before = engine.predict(firstRows(stored.inputs()).toArray(HostArray[]::new));
        } catch (GraftException e) {
            return "not computable";
        }
        // several inputs and outputs (a merge layer, MultiHeadAttention's query and value, an LSTM's states):
        // the loss is the sum of each output's mse, as Keras's with one mse per output
        List<HostArray> x = firstRows(stored.inputs());
        List<HostArray> y = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (HostArray b : before) {
            y.add(shifted(b));
            sources.add("zoo labels");
        }
        TrainingData data = new TrainingData(x, y, sources, null, null, null);
        TrainOptions options = new TrainOptions(1, 2, "sgd", 0.01, "mse", List.of(), 7, null, "all");
        TrainJob.Outcome outcome;
        try {
            outcome = TrainJob.run(graph, data, options, TrainingListener.SILENT);
        } catch (GraftException e) {
            String line = e.getMessage();
            if (line.startsWith("nothing to train")) return "no weights";
            if (line.contains("\n") || !line.matches("(?s).*layer '[^'?]+'.*")) return "PROBLEM: a refusal that does not name the layer: " + line;
            return "refused: " + line;
        } catch (RuntimeException | Error e) {
            return "PROBLEM: " + e;
        }
        double loss = outcome.result().history().get(0).train().get("loss");
        double want = 0;
        for (int o = 0; o < before.length; o++) want += mse(before[o], y.get(o));
        if (!Double.isFinite(loss)) return "PROBLEM: loss " + loss;
        boolean differs = graph.layers().stream().anyMatch(l -> TRAINING_DIFFERS.contains(l.className())) || arguments(io).contains("dropout");
        if (!differs && Math.abs(loss - want) > 1e-4 * Math.max(1, want)) {
            return "PROBLEM: first-batch loss " + loss + ", Keras's mse of the outputs " + want;
        }
        HostArray[] after = outcome.model().predict(x.toArray(HostArray[]::new));
        double moved = 0;
        for (int o = 0; o < after.length; o++) moved += mse(after[o], before[o]);
        if (moved == 0) {
            // a relu that outputs only 0, a sparsemax that outputs one-hot rows: the loss has no gradient
            for (HostArray b : before) {
                for (long i = 0; i < b.size(); i++) {
                    double v = b.getDouble(i);
                    if (v != 0 && v != 1) return "PROBLEM: no weight moved";
                }
            }
            return "saturated: no gradient";
        }
        return "trained";
    }

    /** The case's layer arguments from the zoo's manifest (a recurrent layer's dropout makes training differ from inference). */
    private static String arguments(Path io) {
        String name = io.getFileName().toString().replace("_inputs_and_outputs.h5", "");
        try {
            for (String line : Files.readAllLines(io.resolveSibling("MANIFEST.tsv"))) {
                String[] f = line.split("\t");
                if (f[0].equals(name) && f.length > 2) return f[2];
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return "";
    }

    /** Two rows: one tiny batch. */
    private static List<HostArray> firstRows(List<HostArray> arrays) {
        List<HostArray> out = new ArrayList<>();
        for (HostArray a : arrays) {
            long[] s = a.shape().clone();
            long rows = Math.min(2, s[0]);
            long per = a.size() / s[0];
            s[0] = rows;
            double[] d = new double[Math.toIntExact(rows * per)];
            for (int i = 0; i < d.length; i++) d[i] = a.getDouble(i);
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
            out.add(HostArray.ofFloats(s, f));
        }
        return out;
    }

    /** Targets away from the model's outputs, unevenly (a softmax has no gradient for an even shift), so that the loss has a gradient. */
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
