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
    private final List<Layout> inputLayouts;
    private final List<Layout> outputLayouts;
    private final TrainingSettings settings;
    private final OutputLosses losses;
    /** Per output: its metrics and their history names. */
    private final List<List<Metric>> metrics = new ArrayList<>();
    private final List<List<String>> metricNames = new ArrayList<>();
    private final KerasGradientHooks hooks;
    private final SharedWeightTies ties;

    public Trainer(ComputationGraph graph, Layout inputLayout, Layout outputLayout, TrainingSettings settings) {
        this(graph, List.of(inputLayout), List.of(outputLayout), settings, OutputLosses.single("", settings.lossSettings()));
    }

    /**
     * A network with several inputs or outputs: the layouts in the network's input and output order,
     * and each output's loss (Keras's {@code loss} list or dict, {@code loss_weights}).
     */
    public Trainer(ComputationGraph graph, List<Layout> inputLayouts, List<Layout> outputLayouts, TrainingSettings settings, OutputLosses losses) {
        this.graph = graph;
        dev.graft.engine.layers.ContiguousLstmHelper.installForTraining(graph);
        this.inputLayouts = List.copyOf(inputLayouts);
        this.outputLayouts = List.copyOf(outputLayouts);
        this.settings = settings;
        this.losses = losses;
        hooks = settings.optimizer() == null ? null : KerasGradientHooks.of(settings.optimizer(), graph);
        ties = SharedWeightTies.of(graph, settings.tiedVertices());
        // the ties first: clipping and weight decay see each shared variable's whole gradient
        List<org.deeplearning4j.optimize.api.TrainingListener> listeners = new ArrayList<>();
        if (ties != null) listeners.add(ties);
        if (hooks != null) listeners.add(hooks);
        if (!listeners.isEmpty()) graph.setListeners(listeners);
        for (int o = 0; o < losses.size(); o++) {
            List<Metric> ms = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String m : settings.metrics()) {
                Metric metric = Metric.parse(m, losses.get(o).kind());
                ms.add(metric);
                names.add(losses.key(o, metric.label(m)));
            }
            metrics.add(ms);
            metricNames.add(names);
        }
    }

    /** Trains on Keras-layout data; {@code vx}/{@code vy} may be null (no validation). */
    public TrainingResult train(HostArray x, HostArray y, HostArray vx, HostArray vy, TrainingListener listener) {
        return train(List.of(x), List.of(y), vx == null ? null : List.of(vx), vy == null ? null : List.of(vy), listener);
    }

    /**
     * Trains on Keras-layout data, one array per network input and per output in the network's order;
     * {@code vx}/{@code vy} may be null (no validation).
     */
    public TrainingResult train(List<HostArray> x, List<HostArray> y, List<HostArray> vx, List<HostArray> vy, TrainingListener listener) {
        Nd4j.getRandom().setSeed(settings.seed());
        SplittableRandom shuffle = new SplittableRandom(settings.seed());
        DataType type = graph.getConfiguration().getDataType();
        int rows = Math.toIntExact(x.get(0).shape()[0]);
        int batch = Math.max(1, Math.min(settings.batchSize(), rows));
        int batches = (rows + batch - 1) / batch;
        SampleWeightedLoss weighted = settings.sampleWeights() == null ? null : new SampleWeightedLoss(outputLoss());
        if (weighted != null) setOutputLoss(weighted);
        // smoothed (or hinge's -1/1) for the loss; metrics see y
        List<HostArray> lossLabels = new ArrayList<>();
        for (int o = 0; o < y.size(); o++) lossLabels.add(losses.get(o).lossLabels(y.get(o)));
        boolean several = losses.size() > 1;
        HeapChainTrainer heap = heapStep(x, weighted);
        var unusedInputGradients = dev.graft.engine.layers.UnusedInputGradients.skipWhileTraining(graph);
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
            double rate = settings.schedule() == null ? Double.NaN
                    : settings.schedule().rate(epoch, settings.epochs(), settings.optimizer().learningRate());
            if (settings.schedule() != null) setLearningRate(rate);
            listener.epochStarted(epoch, settings.epochs(), batches);
            int[] order = permutation(rows, shuffle);
            double lossSum = 0;
            double[] outputSums = new double[losses.size()];
            for (int b = 0; b < batches; b++) {
                int from = b * batch, to = Math.min(rows, from + batch);
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                if (heap != null) {
                    HostArray rowsOfLabels = RowSelection.of(lossLabels.get(0), idx);
                    lossSum += heap.fit(RowSelection.of(x.get(0), idx).toFloatArray(), idx.length, () -> labels(0, rowsOfLabels, type),
                            rowsOfLabels::toFloatArray) * idx.length;
                    listener.batchDone(b + 1, lossSum / to);
                    continue;
                }
                INDArray[] in = new INDArray[x.size()];
                for (int i = 0; i < in.length; i++) in[i] = inputLayouts.get(i).fromKeras(Tensors.toNd4j(RowSelection.of(x.get(i), idx), type));
                INDArray[] lab = new INDArray[y.size()];
                for (int o = 0; o < lab.length; o++) lab[o] = labels(o, RowSelection.of(lossLabels.get(o), idx), type);
                if (weighted != null) weighted.weights = sampleWeights(idx, type);
                if (several) PositionScaledLoss.setEngineRows(graph, lab[0].size(0));
                graph.fit(new MultiDataSet(in, lab));
                lossSum += graph.score() * idx.length;
                // each output layer keeps its own (weighted) loss of the batch: Keras's history reports each output's
                if (several) for (int o = 0; o < outputSums.length; o++) outputSums[o] += graph.getOutputLayer(o).score() / losses.weight(o) * idx.length;
                listener.batchDone(b + 1, lossSum / to);
            }
            if (heap != null) heap.copyToGraph();
            trainNanos += System.nanoTime() - start;
            samples += rows;
            Map<String, Double> train = new LinkedHashMap<>();
            train.put("loss", lossSum / rows);
            if (several) for (int o = 0; o < outputSums.length; o++) train.put(losses.key(o, "loss"), outputSums[o] / rows);
            if (settings.schedule() != null) train.put("learning_rate", rate);
            if (!settings.metrics().isEmpty()) train.putAll(evaluate(x, y, type, false, heap));
            Map<String, Double> val = vx == null ? new LinkedHashMap<>() : evaluate(vx, vy, type, true, heap);
            double monitored = vx != null ? val.get("loss") : train.get("loss");
            boolean improved = monitored < bestLoss;
            if (settings.schedule() != null) settings.schedule().epochEnded(monitored, rate);
            if (improved) {
                bestLoss = monitored;
                bestEpoch = epoch;
                sinceBest = 0;
                if (settings.patience() != null || settings.keepBest()) bestParams = graph.params().dup();
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
        if (weighted != null) setOutputLoss(weighted.loss);
        unusedInputGradients.restore();
        if (settings.patience() != null && bestParams != null) graph.setParams(bestParams);
        int best = settings.patience() != null ? bestEpoch : history.size();
        return new TrainingResult(graph, history, best, stopped, samples / (trainNanos / 1e9), settings.keepBest() ? bestParams : null);
    }

    /**
     * The training step on the heap when the network is a chain of layers it computes as the engine does
     * ({@link HeapChainTrainer}), else null: one input, one output, no sample weights, no clipping or weight decay, no
     * shared layer.
     */
    private HeapChainTrainer heapStep(List<HostArray> x, SampleWeightedLoss weighted) {
        if (x.size() != 1 || losses.size() != 1 || weighted != null || hooks != null || ties != null) return null;
        if (LossHead.isHead(graph.getConfiguration().getNetworkOutputs().get(0))) return null;
        long[] shape = x.get(0).shape();
        int[] sample = new int[shape.length - 1];
        for (int i = 0; i < sample.length; i++) sample[i] = Math.toIntExact(shape[i + 1]);
        return HeapChainTrainer.of(graph, sample, settings.seed());
    }

    /** The batch's sample weights, a column, one per row of the loss. */
    private INDArray sampleWeights(int[] idx, DataType type) {
        float[] w = new float[idx.length];
        for (int i = 0; i < idx.length; i++) w[i] = settings.sampleWeights()[idx[i]];
        return org.nd4j.linalg.factory.Nd4j.create(w, new long[] {idx.length, 1}).castTo(type);
    }

    private org.deeplearning4j.nn.conf.layers.Layer outputLayerConf() {
        return graph.getOutputLayer(0).conf().getLayer();
    }

    private org.nd4j.linalg.lossfunctions.ILossFunction outputLoss() {
        org.deeplearning4j.nn.conf.layers.Layer l = outputLayerConf();
        if (l instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer o) return o.getLossFn();
        if (l instanceof org.deeplearning4j.nn.conf.layers.LossLayer o) return o.getLossFn();
        throw new dev.graft.GraftException("--class-weight: the model's output layer takes no sample weights");
    }

    private void setOutputLoss(org.nd4j.linalg.lossfunctions.ILossFunction fn) {
        org.deeplearning4j.nn.conf.layers.Layer l = outputLayerConf();
        if (l instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer o) o.setLossFn(fn);
        if (l instanceof org.deeplearning4j.nn.conf.layers.LossLayer o) o.setLossFn(fn);
    }

    /**
     * Every Keras optimizer of the network takes the rate (the update steps read it from their
     * configuration at each step), and so does the weight decay.
     */
    private void setLearningRate(double rate) {
        java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (org.deeplearning4j.nn.api.Layer l : graph.getLayers()) setRate(l.conf().getLayer(), rate, seen);
        for (org.deeplearning4j.nn.conf.graph.GraphVertex v : graph.getConfiguration().getVertices().values()) {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) setRate(lv.getLayerConf().getLayer(), rate, seen);
            if (v instanceof org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex sv) {
                for (Object u : new Object[] {sv.getUpdater(), sv.getBiasUpdater()}) if (u instanceof KerasUpdater k) k.learningRate = rate;
            }
        }
        if (hooks != null) hooks.setLearningRate(rate);
    }

    private static void setRate(org.deeplearning4j.nn.conf.layers.Layer layer, double rate, java.util.Set<Object> seen) {
        if (layer == null || !seen.add(layer)) return;
        if (layer instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b) {
            if (b.getIUpdater() instanceof KerasUpdater k) k.learningRate = rate;
            if (b.getBiasUpdater() instanceof KerasUpdater k) k.learningRate = rate;
        }
        if (layer instanceof org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer s) {
            if (s.getUpdater() instanceof KerasUpdater k) k.learningRate = rate;
            if (s.getBiasUpdater() instanceof KerasUpdater k) k.learningRate = rate;
        }
        if (layer instanceof org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer w) setRate(w.getUnderlying(), rate, seen);
        if (layer instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f) setRate(f.getLayer(), rate, seen);
        if (layer instanceof org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional bi) {
            setRate(bi.getFwd(), rate, seen);
            setRate(bi.getBwd(), rate, seen);
        }
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

    /** An output's labels as the network's loss takes them: the output layer's layout, or one row per position for a {@link LossHead}. */
    private INDArray labels(int output, HostArray y, DataType type) {
        if (LossHead.isHead(graph.getConfiguration().getNetworkOutputs().get(output))) {
            return Tensors.toNd4j(LossHead.rows(y, losses.get(output).kind().labels() == LossKind.Labels.CLASS_INDEX), type);
        }
        return outputLayouts.get(output).fromKeras(Tensors.toNd4j(labelsAsMatrix(y), type));
    }

    /** DL4J's losses want labels as a matrix (rows x values): a vector of labels becomes one column. */
    private static HostArray labelsAsMatrix(HostArray y) {
        return y.rank() == 1 ? y.reshape(y.shape()[0], 1) : y;
    }

    /**
     * Loss (when asked) and metrics of the network as it is now, in inference mode. Keras reports training
     * metrics as running means over the epoch's batches, each computed in training mode by weights that change
     * from batch to batch; graft reports them for the weights the epoch ends with, which needs this pass.
     */
    private Map<String, Double> evaluate(List<HostArray> x, List<HostArray> y, DataType type, boolean withLoss, HeapChainTrainer heap) {
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, Double> perOutput = new LinkedHashMap<>();
        Map<String, Double> perMetric = new LinkedHashMap<>();
        List<HostArray> preds = heap != null ? List.of(predict(heap, x.get(0))) : predict(x, type);
        double total = 0;
        for (int o = 0; o < preds.size(); o++) {
            HostArray pred = preds.get(o);
            float[] p = pred.toFloatArray();
            float[] l = y.get(o).toFloatArray();
            long[] ps = pred.shape();
            int width = Math.toIntExact(ps[ps.length - 1]);
            int predRows = p.length / width;
            int labelWidth = Math.max(1, l.length / predRows);
            if (withLoss) {
                LossSettings ls = losses.get(o);
                HostArray forLoss = ls.lossLabels(y.get(o));
                float[] smoothed = forLoss == y.get(o) ? l : forLoss.toFloatArray();
                double loss = ls.evaluate(p, smoothed, predRows, width, labelWidth);
                total += losses.weight(o) * loss;
                if (preds.size() > 1) perOutput.put(losses.key(o, "loss"), loss);
            }
            for (int i = 0; i < metrics.get(o).size(); i++) {
                perMetric.put(metricNames.get(o).get(i), metrics.get(o).get(i).compute(p, l, predRows, width, labelWidth));
            }
        }
        if (withLoss) out.put("loss", total);
        out.putAll(perOutput);
        out.putAll(perMetric);
        return out;
    }

    /**
     * The outputs of a network trained on the heap, computed there in batches of the training's size (the stages' buffers
     * keep their sizes): the engine's own pass on this network took longer than the epoch's training.
     */
    private HostArray predict(HeapChainTrainer heap, HostArray x) {
        int rows = Math.toIntExact(x.shape()[0]);
        int chunk = Math.max(1, Math.min(settings.batchSize(), rows));
        List<HostArray> parts = new ArrayList<>();
        for (int from = 0; from < rows; from += chunk) {
            int n = Math.min(rows, from + chunk) - from;
            float[] p = heap.predict(RowSelection.of(x, range(from, from + n)).toFloatArray(), n);
            parts.add(HostArray.ofFloats(new long[] {n, p.length / n}, p));
        }
        return RowSelection.concat(parts);
    }

    private List<HostArray> predict(List<HostArray> x, DataType type) {
        int rows = Math.toIntExact(x.get(0).shape()[0]);
        List<List<HostArray>> parts = new ArrayList<>();
        for (int o = 0; o < outputLayouts.size(); o++) parts.add(new ArrayList<>());
        for (int from = 0; from < rows; from += EVAL_ROWS) {
            int[] range = range(from, Math.min(rows, from + EVAL_ROWS));
            INDArray[] in = new INDArray[x.size()];
            for (int i = 0; i < in.length; i++) in[i] = inputLayouts.get(i).fromKeras(Tensors.toNd4j(RowSelection.of(x.get(i), range), type));
            INDArray[] outs = graph.output(false, in);
            for (int o = 0; o < parts.size(); o++) parts.get(o).add(Tensors.fromNd4j(outputLayouts.get(o).toKeras(outs[o])));
        }
        List<HostArray> out = new ArrayList<>();
        for (List<HostArray> p : parts) out.add(RowSelection.concat(p));
        return out;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}
