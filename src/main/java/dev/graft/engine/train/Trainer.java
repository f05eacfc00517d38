package dev.graft.engine.train;

import dev.graft.data.RowSelection;
import dev.graft.engine.Layout;
import dev.graft.engine.Tensors;
import dev.graft.model.HostArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop: shuffled mini-batches each epoch (as Keras's {@code fit} does), the loss
 * averaged over the epoch's batches, metrics and validation loss at the end of each epoch,
 * early stopping on the validation loss with the best weights restored. Everything random
 * (shuffling, dropout) is drawn from the seed.
 */
public final class Trainer {
    /** Rows per forward pass when evaluating, to bound memory. */
    private static final int EVAL_ROWS = 1024;

    private final ComputationGraph graph;
    private final Layout inputLayout;
    private final Layout outputLayout;
    private final TrainingSettings settings;
    private final List<Metric> metrics = new ArrayList<>();
    private final List<String> metricNames = new ArrayList<>();

    public Trainer(ComputationGraph graph, Layout inputLayout, Layout outputLayout, TrainingSettings settings) {
        this.graph = graph;
        this.inputLayout = inputLayout;
        this.outputLayout = outputLayout;
        this.settings = settings;
        KerasGradientHooks hooks = settings.optimizer() == null ? null : KerasGradientHooks.of(settings.optimizer(), graph);
        if (hooks != null) graph.setListeners(hooks);
        for (String m : settings.metrics()) {
            Metric metric = Metric.parse(m, settings.loss());
            metrics.add(metric);
            metricNames.add(metric.label(m));
        }
    }

    /** Trains on Keras-layout data; {@code vx}/{@code vy} may be null (no validation). */
    public TrainingResult train(HostArray x, HostArray y, HostArray vx, HostArray vy, TrainingListener listener) {
        Nd4j.getRandom().setSeed(settings.seed());
        SplittableRandom shuffle = new SplittableRandom(settings.seed());
        DataType type = graph.getConfiguration().getDataType();
        int rows = Math.toIntExact(x.shape()[0]);
        int batch = Math.max(1, Math.min(settings.batchSize(), rows));
        int batches = (rows + batch - 1) / batch;
        HostArray lossLabels = settings.lossSettings().lossLabels(y); // smoothed (or hinge's -1/1) for the loss; metrics see y
        List<EpochRecord> history = new ArrayList<>();
        INDArray bestParams = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        boolean stopped = false;
        long trainNanos = 0;
        long samples = 0;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            long start = System.nanoTime();
            listener.epochStarted(epoch, settings.epochs(), batches);
            int[] order = permutation(rows, shuffle);
            double lossSum = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * batch, to = Math.min(rows, from + batch);
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                INDArray in = inputLayout.fromKeras(Tensors.toNd4j(RowSelection.of(x, idx), type));
                INDArray lab = outputLayout.fromKeras(Tensors.toNd4j(labelsAsMatrix(RowSelection.of(lossLabels, idx)), type));
                graph.fit(new MultiDataSet(new INDArray[] {in}, new INDArray[] {lab}));
                lossSum += graph.score() * idx.length;
                listener.batchDone(b + 1, lossSum / to);
            }
            trainNanos += System.nanoTime() - start;
            samples += rows;
            Map<String, Double> train = new LinkedHashMap<>();
            train.put("loss", lossSum / rows);
            if (!metrics.isEmpty()) train.putAll(evaluate(x, y, type, false));
            Map<String, Double> val = vx == null ? new LinkedHashMap<>() : evaluate(vx, vy, type, true);
            double monitored = vx != null ? val.get("loss") : train.get("loss");
            boolean improved = monitored < bestLoss;
            if (improved) {
                bestLoss = monitored;
                bestEpoch = epoch;
                sinceBest = 0;
                if (settings.patience() != null) bestParams = graph.params().dup();
            } else {
                sinceBest++;
            }
            EpochRecord record = new EpochRecord(epoch, train, val, (System.nanoTime() - start) / 1e9);
            history.add(record);
            listener.epochDone(record, improved);
            if (settings.patience() != null && sinceBest >= settings.patience() && epoch < settings.epochs()) {
                stopped = true;
                break;
            }
        }
        if (settings.patience() != null && bestParams != null) graph.setParams(bestParams);
        int best = settings.patience() != null ? bestEpoch : history.size();
        return new TrainingResult(graph, history, best, stopped, samples / (trainNanos / 1e9));
    }

    /** Keras's {@code fit} shuffles the sample order every epoch. */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** DL4J's losses want labels as a matrix (rows x values): a vector of labels becomes one column. */
    private static HostArray labelsAsMatrix(HostArray y) {
        return y.rank() == 1 ? y.reshape(y.shape()[0], 1) : y;
    }

    /** Loss (when asked) and metrics of the network as it is now, in inference mode. */
    private Map<String, Double> evaluate(HostArray x, HostArray y, DataType type, boolean withLoss) {
        Map<String, Double> out = new LinkedHashMap<>();
        HostArray pred = predict(x, type);
        float[] p = pred.toFloatArray();
        float[] l = y.toFloatArray();
        long[] ps = pred.shape();
        int width = Math.toIntExact(ps[ps.length - 1]);
        int predRows = p.length / width;
        int labelWidth = Math.max(1, l.length / predRows);
        if (withLoss) {
            LossSettings ls = settings.lossSettings();
            HostArray forLoss = ls.lossLabels(y);
            float[] smoothed = forLoss == y ? l : forLoss.toFloatArray();
            out.put("loss", ls.evaluate(p, smoothed, predRows, width, labelWidth));
        }
        for (int i = 0; i < metrics.size(); i++) out.put(metricNames.get(i), metrics.get(i).compute(p, l, predRows, width, labelWidth));
        return out;
    }

    private HostArray predict(HostArray x, DataType type) {
        int rows = Math.toIntExact(x.shape()[0]);
        List<HostArray> parts = new ArrayList<>();
        for (int from = 0; from < rows; from += EVAL_ROWS) {
            INDArray in = inputLayout.fromKeras(Tensors.toNd4j(RowSelection.of(x, range(from, Math.min(rows, from + EVAL_ROWS))), type));
            parts.add(Tensors.fromNd4j(outputLayout.toKeras(graph.output(false, in)[0])));
        }
        return RowSelection.concat(parts);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}
