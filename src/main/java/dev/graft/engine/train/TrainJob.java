package dev.graft.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftException;
import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.engine.Layout;
import dev.graft.engine.TensorSpec;
import dev.graft.format.Json;
import dev.graft.format.dl4j.Dl4jNetworks;
import dev.graft.model.HostArray;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * One {@code train} run without the command line: resolves the loss, optimizer and metrics
 * (options first, then the model's stored training configuration), checks the data against the
 * model before anything trains, prepares the network (frozen layers, optimizer, loss) and trains.
 */
public final class TrainJob {
    /**
     * What was trained and how, for writing and reporting; {@code model} is the trained network with
     * the inputs and outputs (Keras shapes and layouts) of the model it was built from.
     */
    public record Outcome(TrainingResult result, LossKind loss, OptimizerSettings optimizerSettings, List<String> metrics,
                          Set<String> trained, ObjectNode trainingConfig, EngineModel model, ComputationGraph bestGraph, int bestEpoch) {
        public Outcome(TrainingResult result, LossKind loss, OptimizerSettings optimizerSettings, List<String> metrics,
                       Set<String> trained, ObjectNode trainingConfig, EngineModel model) {
            this(result, loss, optimizerSettings, metrics, trained, trainingConfig, model, null, 0);
        }

        /**
         * The run as of its best epoch (lowest validation loss, else training loss), for {@code --checkpoint};
         * null when the best weights were not kept.
         */
        public Outcome atBestEpoch() {
            if (bestGraph == null) return null;
            TrainingResult r = new TrainingResult(bestGraph, result.history().subList(0, bestEpoch), bestEpoch, result.stoppedEarly(),
                    result.samplesPerSecond());
            return new Outcome(r, loss, optimizerSettings, metrics, trained, trainingConfig,
                    EngineModel.of(bestGraph, model.inputs(), model.outputs()));
        }

        /** The optimizer's name as {@code --optimizer} takes it. */
        public String optimizer() {
            return optimizerSettings.kind().key();
        }

        public double learningRate() {
            return optimizerSettings.learningRate();
        }
    }

    private TrainJob() {
    }

    /** Trains a Keras model (a DL4J zip's model trains with the network read with it: {@link #run(ModelGraph, Dl4jNetworks.Network, ...)}). */
    public static Outcome run(ModelGraph model, TrainingData data, TrainOptions opts, TrainingListener listener) {
        return run(model, null, data, opts, listener);
    }

    /**
     * @param network for a DL4J zip's model, its network as graft's reader restored it with the model
     *                ({@link dev.graft.format.dl4j.Dl4jZipReader#readWithNetwork}): the file is not read again; null for a Keras model
     */
    public static Outcome run(ModelGraph model, Dl4jNetworks.Network network, TrainingData data, TrainOptions opts, TrainingListener listener) {
        if (isDl4j(model) && network == null) {
            throw new IllegalArgumentException("a DL4J zip's model trains with the network read with it (Dl4jZipReader.readWithNetwork)");
        }
        ObjectNode stored = model.trainingConfig();
        OutputLosses losses = losses(model, opts, stored);
        LossSettings lossSettings = losses.get(0);
        LossKind loss = lossSettings.kind();
        List<String> metrics = opts.metrics() != null ? opts.metrics() : storedMetrics(stored);
        OptimizerSettings optimizer = optimizer(model, stored, opts);
        IUpdater updater = KerasUpdater.of(optimizer);
        for (String m : metrics) for (LossSettings l : losses.losses()) Metric.parse(m, l.kind()); // refuse unknown metrics before any work

        ObjectNode tc = trainingConfig(stored, losses, optimizer, metrics);
        Set<String> trained = TrainableLayers.resolve(model, opts.trainable());
        ModelGraph flat = isDl4j(model) ? null : dev.graft.surgery.Flattener.flatten(model);
        Map<String, List<String>> sharedCalls = flat == null ? Map.of() : dev.graft.engine.SharedLayerCalls.callNames(flat);
        EngineModel engine = isDl4j(model) ? EngineModel.ofDl4j(network) : EngineModel.ofKerasForTraining(model.withTrainingConfig(tc));
        if (flat != null) TrainingNoise.check(flat, engine.graph().getConfiguration(), sharedCalls);
        if (engine.outputs().size() != losses.size()) {
            throw new GraftException("the engine's network has " + engine.outputs().size() + " outputs, the model " + losses.size() + " ("
                    + String.join(", ", losses.names()) + ")");
        }
        checkData(data, engine, losses);
        if (opts.patience() != null && !data.hasValidation()) {
            throw new GraftException("--early-stopping watches the validation loss: give --validation or --validation-split");
        }
        TensorSpec in = engine.inputs().get(0);
        TensorSpec out = engine.outputs().get(0);
        // a trained shared layer trains every engine copy of it, tied into one variable
        Set<String> trainedCalls = new java.util.LinkedHashSet<>(trained);
        for (String layer : trained) trainedCalls.addAll(sharedCalls.getOrDefault(layer, List.of()));
        Set<String> trainedVertices = TrainableGraph.engineVertices(engine.graph(), trainedCalls);
        List<List<String>> ties = SharedWeightTies.groups(engine.graph(), sharedCalls, trained);
        ComputationGraph graph = TrainableGraph.prepare(engine.graph(), trainedVertices, updater, losses, opts.seed(), engine.outputs());
        // a DL4J zip trains with its output layer's loss as DL4J defines it (-sum(y log p) of the outputs as they are)
        if (isDl4j(model)) KerasProbabilityLoss.engineLosses(graph);
        TruncatedBackprop.apply(graph, data);
        UnsetRnnFormats.apply(graph);
        if (opts.classWeight() != null && losses.size() > 1) {
            throw new GraftException("--class-weight weighs a sample by its class; this model has " + losses.size()
                    + " outputs (Keras takes class_weight for models with one output only)");
        }
        float[] sampleWeights = opts.classWeight() == null ? null : classWeights(opts.classWeight(), data, out, loss);
        LearningRateSchedule schedule = opts.lrSchedule() == null ? null : LearningRateSchedule.parse(opts.lrSchedule());
        TrainingSettings settings = new TrainingSettings(opts.epochs(), opts.batchSize(), opts.seed(), opts.patience(), loss, metrics, optimizer,
                lossSettings, schedule, sampleWeights, opts.keepBest(), ties);
        TrainingResult trainedWithHead = engine.inputs().size() == 1 && losses.size() == 1
                ? train(graph, trainedVertices, in, out, data, settings, listener)
                : new Trainer(graph, layouts(engine.inputs()), layouts(engine.outputs()), settings, losses)
                        .train(data.xs(), data.ys(), data.validationXs(), data.validationYs(), listener);
        List<String> outputs = engine.graph().getConfiguration().getNetworkOutputs();
        TrainingResult result = new TrainingResult(LossHead.strip(trainedWithHead.graph(), outputs),
                trainedWithHead.history(), trainedWithHead.bestEpoch(), trainedWithHead.stoppedEarly(), trainedWithHead.samplesPerSecond());
        TrainableGraph.withEngineUpdaters(result.graph());
        KerasProbabilityLoss.engineLosses(result.graph());
        PositionScaledLoss.removeFrom(result.graph());
        ComputationGraph best = null;
        if (trainedWithHead.bestParams() != null) {
            ComputationGraph withHead = dev.graft.engine.MergeAxes.cloned(trainedWithHead.graph());
            withHead.setParams(trainedWithHead.bestParams());
            best = LossHead.strip(withHead, outputs);
            TrainableGraph.withEngineUpdaters(best);
            KerasProbabilityLoss.engineLosses(best);
            PositionScaledLoss.removeFrom(best);
        }
        return new Outcome(result, loss, optimizer, metrics, trained, tc, EngineModel.of(result.graph(), engine.inputs(), engine.outputs()),
                best, bestEpoch(result.history()));
    }

    /** Trains, on the learning part of the network alone when a frozen prefix can be computed once. */
    private static TrainingResult train(ComputationGraph graph, Set<String> trained, TensorSpec in, TensorSpec out, TrainingData data,
                                        TrainingSettings settings, TrainingListener listener) {
        FrozenPrefix prefix = FrozenPrefix.of(graph, trained);
        if (prefix == null) {
            return new Trainer(graph, in.layout(), out.layout(), settings).train(data.x(), data.y(), data.validationX(), data.validationY(), listener);
        }
        HostArray x = prefix.features(data.x(), in.layout());
        HostArray vx = data.hasValidation() ? prefix.features(data.validationX(), in.layout()) : null;
        // The prefix's output is already what the rest of the network takes: no layout change.
        TrainingResult r = new Trainer(prefix.rest(), Layout.CHANNELS_LAST, out.layout(), settings).train(x, data.y(), vx, data.validationY(), listener);
        INDArray best = null;
        if (r.bestParams() != null) {
            // the whole network's parameters with the rest's best ones, then the last ones back
            INDArray last = prefix.rest().params().dup();
            prefix.rest().setParams(r.bestParams());
            prefix.copyBack();
            best = graph.params().dup();
            prefix.rest().setParams(last);
        }
        prefix.copyBack();
        return new TrainingResult(graph, r.history(), r.bestEpoch(), r.stoppedEarly(), r.samplesPerSecond(), best);
    }

    private static List<Layout> layouts(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::layout).toList();
    }

    /** Every input and label array against the model's inputs and outputs, before any training. */
    private static void checkData(TrainingData data, EngineModel engine, OutputLosses losses) {
        int ins = engine.inputs().size(), outs = engine.outputs().size();
        if (data.xs().size() != ins || data.ys().size() != outs) {
            throw new GraftException("the model has " + ins + " input(s) (" + String.join(", ", engine.inputNames()) + ") and " + outs
                    + " output(s) (" + String.join(", ", losses.names()) + "); the data gives " + data.xs().size() + " input and "
                    + data.ys().size() + " label array(s): give --x once per input and --y once per output, in order, or NAME=FILE");
        }
        for (int pass = 0; pass < (data.hasValidation() ? 2 : 1); pass++) {
            List<HostArray> xs = pass == 0 ? data.xs() : data.validationXs();
            List<HostArray> ys = pass == 0 ? data.ys() : data.validationYs();
            List<String> sources = pass == 0 ? data.sources() : data.validationSources();
            for (int i = 0; i < ins; i++) {
                String source = ins == 1 ? sources.get(0) : sources.get(0) + " (model input '" + engine.inputNames().get(i) + "')";
                checkInputs(source, xs.get(i), engine.inputs().get(i));
            }
            for (int o = 0; o < outs; o++) {
                String source = outs == 1 ? sources.get(0) : sources.get(Math.min(o, sources.size() - 1)) + " (model output '" + losses.names().get(o) + "')";
                LabelChecks.check(source, ys.get(o), xs.get(0).shape()[0], engine.outputs().get(o).kerasShape(), losses.get(o).kind());
            }
        }
    }

    /** The epoch {@code --checkpoint} keeps: the lowest validation loss (training loss without validation), the first of equals. */
    static int bestEpoch(List<EpochRecord> history) {
        int best = 0;
        double lowest = Double.POSITIVE_INFINITY;
        for (EpochRecord r : history) {
            double l = r.validation().isEmpty() ? r.train().get("loss") : r.validation().get("loss");
            if (l < lowest) {
                lowest = l;
                best = r.epoch();
            }
        }
        return best;
    }

    /** Each training sample's weight; one-per-sample outputs only (a sequence or map output has a loss per position). */
    private static float[] classWeights(String spec, TrainingData data, TensorSpec out, LossKind loss) {
        if (out.rank() > 2) {
            throw new GraftException("--class-weight weighs a sample by its class; this model's output has a loss per position (shape "
                    + out.kerasShape() + "), which graft does not weigh");
        }
        return ClassWeights.perSample(spec, data.y());
    }

    /**
     * The optimizer: {@code --optimizer}, else the stored one, else Adam; its arguments from the
     * stored configuration when it is the stored optimizer, then from the options.
     */
    static OptimizerSettings optimizer(ModelGraph model, ObjectNode stored, TrainOptions opts) {
        JsonNode storedOpt = stored == null ? null : stored.get("optimizer_config");
        String storedClass = storedOpt == null ? null : storedOpt.path("class_name").asText(null);
        OptimizerKind kind = OptimizerKind.parse(opts.optimizer() != null ? opts.optimizer() : storedClass != null ? storedClass : "adam");
        boolean useStored = storedClass != null && (opts.optimizer() == null || sameKind(storedClass, kind));
        Map<String, String> overrides = new LinkedHashMap<>(opts.optimizerArgs());
        if (opts.learningRate() != null) overrides.put("learning_rate", Double.toString(opts.learningRate()));
        String source = (model.source() != null && model.source().path() != null ? model.source().path().getFileName() + ": " : "")
                + "stored optimizer_config";
        return OptimizerSettings.resolve(kind, useStored ? storedClass : null, useStored ? storedOpt.path("config") : null, overrides, source);
    }

    private static boolean sameKind(String storedClass, OptimizerKind kind) {
        try {
            return OptimizerKind.parse(storedClass) == kind;
        } catch (GraftException e) {
            return false;
        }
    }

    static boolean isDl4j(ModelGraph m) {
        return m.source() != null && m.source().format() == ModelFormat.DL4J_ZIP;
    }

    /**
     * Each output's loss and weight: {@code --loss} (one name, or one per output) else the model's stored loss
     * (a name, Keras's object form, a list or a dict by output), and {@code --loss-weights} else the stored {@code loss_weights}.
     */
    static OutputLosses losses(ModelGraph model, TrainOptions opts, ObjectNode stored) {
        String source = opts.loss() != null ? "--loss" : (model.source() != null && model.source().path() != null
                ? model.source().path().getFileName() + ": " : "") + "stored loss";
        List<String> outputs = outputNames(model);
        if (outputs.isEmpty()) outputs = List.of("output");
        String file = model.source() != null && model.source().path() != null ? model.source().path() + ": " : "";
        return OutputLosses.resolve(outputs, opts.loss(), stored == null ? null : stored.get("loss"), l -> loss(l, opts, source, file),
                opts.lossWeights(), stored == null ? null : stored.get("loss_weights"));
    }

    /**
     * The model's outputs by the names {@code predict} and {@code inspect} report: the layer's name, and for a layer's
     * further outputs or later calls {@code layer[node][tensor]} (an LSTM's state {@code lstm[0][1]}, attention scores);
     * Keras 3 names them all after the layer, which cannot tell their losses apart.
     */
    public static List<String> outputNames(ModelGraph model) {
        List<String> names = new java.util.ArrayList<>();
        for (dev.graft.model.TensorRef r : model.outputs()) names.add(r.toString());
        return names;
    }

    /** One output's loss: a name or Keras's object form, with {@code --loss-arg}. */
    /** @param file the model file and ": ", for a refusal that names it; empty when the model has no file */
    private static LossSettings loss(JsonNode l, TrainOptions opts, String source, String file) {
        if (l == null || l.isNull()) {
            throw new GraftException(file + "no loss to train with: the model records no training configuration; give --loss (e.g. binary_crossentropy)");
        }
        if (opts.lossArgs().isEmpty()) return LossSettings.parse(l, source);
        ObjectNode withArgs = l.isObject() ? ((ObjectNode) l).deepCopy() : Json.object();
        if (!l.isObject()) withArgs.put("class_name", l.asText());
        ObjectNode config = withArgs.with("config");
        opts.lossArgs().forEach((k, v) -> config.set(k, LossSettings.argument(v)));
        return LossSettings.parse(withArgs, "--loss-arg");
    }

    /**
     * Refuses, before any training, a DL4J zip for a loss only graft computes (DL4J could not open
     * the zip): huber and log_cosh train into .h5.
     */
    public static void checkOutput(ModelGraph model, TrainOptions opts, dev.graft.surgery.OutputTarget target) {
        if (target.format() != dev.graft.surgery.OutputTarget.Format.ZIP) return;
        OutputLosses losses = losses(model, opts, model.trainingConfig());
        for (LossSettings loss : losses.losses()) {
            if (!loss.engineHasIt()) {
                throw new GraftException(target.path() + ": DL4J has no " + loss.kind().kerasName() + (loss.fromLogits() ? " from logits" : "")
                        + " loss to record in a .zip; write the model as .h5");
            }
        }
        if (losses.weightsConfig() != null) {
            throw new GraftException(target.path() + ": DL4J records no loss weights in a .zip; write the model as .h5");
        }
    }

    private static List<String> storedMetrics(ObjectNode stored) {
        List<String> out = new ArrayList<>();
        if (stored == null) return out;
        collect(stored.get("metrics"), out);
        out.removeIf(m -> m.equals("loss") || m.equals("compile_metrics"));
        return new ArrayList<>(new java.util.LinkedHashSet<>(out));
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n == null || n.isNull()) return;
        if (n.isTextual()) out.add(n.asText());
        else if (n.isArray()) n.forEach(e -> collect(e, out));
        else if (n.isObject() && n.has("class_name")) {
            JsonNode threshold = n.path("config").get("threshold");
            if (threshold != null && !threshold.isNull() && threshold.asDouble() != 0.5) {
                throw new GraftException("stored metric " + n.get("class_name").asText() + " with threshold " + threshold.asText()
                        + " is not implemented by graft train (0.5 is); give --metrics");
            }
            out.add(n.path("config").path("name").asText(n.get("class_name").asText()));
        } else if (n.isObject()) {
            // Keras's metrics by output name: graft reports each metric for every output
            n.forEach(e -> collect(e, out));
        }
    }

    /** The training configuration to record with the trained model: what this run used. */
    private static ObjectNode trainingConfig(ObjectNode stored, OutputLosses losses, OptimizerSettings optimizer, List<String> metrics) {
        ObjectNode tc = stored == null ? Json.object() : stored.deepCopy();
        tc.set("loss", losses.toKerasConfig());
        if (losses.weightsConfig() != null) tc.set("loss_weights", losses.weightsConfig());
        else if (tc.has("loss_weights")) tc.putNull("loss_weights");
        if (losses.size() == 1) {
            ArrayNode m = tc.putArray("metrics");
            metrics.forEach(m::add);
        } else {
            // Keras 3 takes the metrics of several outputs by output (a flat list does not load): each output's, as graft reports them
            ObjectNode byOutput = tc.putObject("metrics");
            for (String name : losses.names()) metrics.forEach(byOutput.putArray(name)::add);
        }
        tc.set("optimizer_config", optimizer.toKerasConfig(null));
        return tc;
    }

    /** The inputs' per-sample shape must be the model's, before any training starts. */
    private static void checkInputs(String source, HostArray x, TensorSpec spec) {
        Shape want = spec.kerasShape();
        long[] got = x.shape();
        boolean fits = want == null || got.length == want.rank();
        for (int d = 1; fits && want != null && d < got.length; d++) fits = want.dim(d) == null || want.dim(d) == got[d];
        if (!fits) {
            throw new GraftException(source + ": inputs of shape " + dev.graft.data.ModelInputs.shapeText(got) + " do not fit the model's input "
                    + want + " (rows first)");
        }
        for (long i = 0; i < x.size(); i++) {
            double v = x.getDouble(i);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new GraftException(source + ": row " + (i / Math.max(1, x.size() / got[0]) + 1) + " of the inputs holds "
                        + (Double.isNaN(v) ? "NaN" : "an infinite value"));
            }
        }
    }
}
