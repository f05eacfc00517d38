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
import dev.graft.model.HostArray;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * One {@code train} run without the command line: resolves the loss, optimizer and metrics
 * (options first, then the model's stored training configuration), checks the data against the
 * model before anything trains, prepares the network (frozen layers, optimizer, loss) and trains.
 */
public final class TrainJob {
    /** What was trained and how, for writing and reporting. */
    public record Outcome(TrainingResult result, LossKind loss, String optimizer, double learningRate, List<String> metrics,
                          Set<String> trained, ObjectNode trainingConfig) {
    }

    private TrainJob() {
    }

    public static Outcome run(ModelGraph model, TrainingData data, TrainOptions opts, TrainingListener listener) {
        ObjectNode stored = model.trainingConfig();
        LossKind loss = LossKind.parse(lossName(opts.loss(), stored));
        List<String> metrics = opts.metrics() != null ? opts.metrics() : storedMetrics(stored);
        String storedOptimizer = stored == null ? null : stored.path("optimizer_config").path("class_name").asText(null);
        String optimizer = (opts.optimizer() != null ? opts.optimizer() : storedOptimizer != null ? storedOptimizer : "adam").toLowerCase(Locale.ROOT);
        JsonNode storedConfig = stored == null || !optimizer.equalsIgnoreCase(String.valueOf(storedOptimizer)) ? null : stored.path("optimizer_config").path("config");
        double lr = opts.learningRate() != null ? opts.learningRate()
                : storedConfig != null && storedConfig.has("learning_rate") ? storedConfig.get("learning_rate").asDouble()
                : Optimizers.defaultLearningRate(optimizer);
        IUpdater updater = Optimizers.of(optimizer, lr, storedConfig);
        for (String m : metrics) Metric.parse(m, loss); // refuse unknown metrics before any work

        ObjectNode tc = trainingConfig(stored, loss, optimizer, lr, storedConfig, metrics);
        Set<String> trained = TrainableLayers.resolve(model, opts.trainable());
        EngineModel engine = isDl4j(model) ? EngineModel.ofDl4j(model.source().path()) : EngineModel.ofKerasForTraining(model.withTrainingConfig(tc));
        if (engine.inputs().size() != 1 || engine.outputs().size() != 1) {
            throw new GraftException("graft trains models with one input and one output; this one has " + engine.inputs().size()
                    + " and " + engine.outputs().size());
        }
        TensorSpec in = engine.inputs().get(0);
        TensorSpec out = engine.outputs().get(0);
        checkInputs(data.source(), data.x(), in);
        LabelChecks.check(data.source(), data.y(), data.x().shape()[0], out.kerasShape(), loss);
        if (data.hasValidation()) {
            checkInputs(data.validationSource(), data.validationX(), in);
            LabelChecks.check(data.validationSource(), data.validationY(), data.validationX().shape()[0], out.kerasShape(), loss);
        }
        if (opts.patience() != null && !data.hasValidation()) {
            throw new GraftException("--early-stopping watches the validation loss: give --validation or --validation-split");
        }
        ComputationGraph graph = TrainableGraph.prepare(engine.graph(), trained, updater, loss, opts.seed());
        TrainingSettings settings = new TrainingSettings(opts.epochs(), opts.batchSize(), opts.seed(), opts.patience(), loss, metrics);
        TrainingResult result = train(graph, trained, in, out, data, settings, listener);
        return new Outcome(result, loss, optimizer, lr, metrics, trained, tc);
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
        prefix.copyBack();
        return new TrainingResult(graph, r.history(), r.bestEpoch(), r.stoppedEarly(), r.samplesPerSecond());
    }

    static boolean isDl4j(ModelGraph m) {
        return m.source() != null && m.source().format() == ModelFormat.DL4J_ZIP;
    }

    private static String lossName(String option, ObjectNode stored) {
        if (option != null) return option;
        JsonNode l = stored == null ? null : stored.get("loss");
        String recorded = dev.graft.model.TrainingVocabulary.recordedLoss(l);
        if (recorded != null) return recorded;
        throw new GraftException("no loss to train with: the model records no training configuration; give --loss (e.g. binary_crossentropy)");
    }

    private static List<String> storedMetrics(ObjectNode stored) {
        List<String> out = new ArrayList<>();
        if (stored == null) return out;
        collect(stored.get("metrics"), out);
        out.removeIf(m -> m.equals("loss") || m.equals("compile_metrics"));
        return out;
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n == null || n.isNull()) return;
        if (n.isTextual()) out.add(n.asText());
        else if (n.isArray()) n.forEach(e -> collect(e, out));
        else if (n.isObject() && n.has("class_name")) out.add(n.path("config").path("name").asText(n.get("class_name").asText()));
    }

    /** The training configuration to record with the trained model: what this run used. */
    private static ObjectNode trainingConfig(ObjectNode stored, LossKind loss, String optimizer, double lr, JsonNode storedConfig,
                                             List<String> metrics) {
        ObjectNode tc = stored == null ? Json.object() : stored.deepCopy();
        tc.put("loss", loss.kerasName());
        ArrayNode m = tc.putArray("metrics");
        metrics.forEach(m::add);
        ObjectNode opt = dev.graft.surgery.TrainingSpec.optimizerConfig(optimizer);
        ObjectNode c = (ObjectNode) opt.get("config");
        if (storedConfig != null && storedConfig.isObject()) {
            storedConfig.fields().forEachRemaining(e -> c.set(e.getKey(), e.getValue().deepCopy()));
        }
        c.put("learning_rate", lr);
        tc.set("optimizer_config", opt);
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
