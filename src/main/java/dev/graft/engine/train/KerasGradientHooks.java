package dev.graft.engine.train;

import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What Keras 3's optimizer does to whole variables before its update rule
 * ({@code BaseOptimizer._clip_gradients} and {@code _apply_weight_decay}): clip each variable's
 * gradient to a norm ({@code clipnorm}), all of them together ({@code global_clipnorm}) or each
 * element ({@code clipvalue}), then shrink every trained variable by {@code variable · weight_decay ·
 * learning_rate}. It runs once per step, after the gradients are computed and before the engine's
 * updater (which is where {@link KerasUpdaterStep} runs).
 *
 * <p>The engine's gradients at this point are sums over the batch; it divides them by the batch
 * size afterwards. Keras clips the mean, so the thresholds are scaled by the batch size here.
 * The variables are the parameters of the layers that train with a {@link KerasUpdater} and that
 * the engine divides by the batch size (a batch normalisation's moving statistics are not Keras
 * variables that train).
 */
final class KerasGradientHooks extends BaseTrainingListener {
    private final OptimizerSettings settings;
    /** The rate weight decay uses: the optimizer's, or the epoch's under a learning-rate schedule. */
    private double learningRate;

    private KerasGradientHooks(OptimizerSettings settings) {
        this.settings = settings;
        this.learningRate = settings.learningRate();
    }

    void setLearningRate(double rate) {
        learningRate = rate;
    }

    /** Hooks for a prepared network, or null when the optimizer clips nothing and decays nothing. */
    static KerasGradientHooks of(OptimizerSettings settings, ComputationGraph graph) {
        boolean clips = settings.optional("clipnorm") != null || settings.optional("clipvalue") != null
                || settings.optional("global_clipnorm") != null;
        if (clips) {
            for (Variable v : variables(graph)) {
                var regularizers = v.layer.getConfig().getRegularizationByParam(v.param);
                if (regularizers != null && !regularizers.isEmpty()) {
                    throw new GraftException("layer '" + v.layer.getConfig().getLayerName() + "' has a weight regularizer, which the engine adds after"
                            + " clipping where Keras adds it before: clipnorm/clipvalue/global_clipnorm and regularizers together are not implemented");
                }
            }
        }
        Double wd = settings.optional("weight_decay");
        return clips || (wd != null && wd != 0) ? new KerasGradientHooks(settings) : null;
    }

    @Override
    public void onGradientCalculation(Model model) {
        ComputationGraph graph = (ComputationGraph) model;
        List<Variable> vars = variables(graph);
        Gradient gradient = graph.gradient();
        double batch = Math.max(1, graph.batchSize());
        List<INDArray> grads = new ArrayList<>();
        for (Variable v : vars) grads.add(gradient.getGradientFor(v.layer.getConfig().getLayerName() + "_" + v.param));
        clip(settings, grads, batch);
        List<INDArray> params = new ArrayList<>();
        for (Variable v : vars) params.add(v.layer.paramTable(false).get(v.param));
        decay(settings.optional("weight_decay"), learningRate, params);
    }

    /** {@code variable -= variable · weight_decay · learning_rate}, in place, for every variable. */
    static void decay(OptimizerSettings settings, List<INDArray> variables) {
        decay(settings.optional("weight_decay"), settings.learningRate(), variables);
    }

    private static void decay(Double wd, double learningRate, List<INDArray> variables) {
        if (wd == null || wd == 0) return;
        double factor = wd * learningRate;
        for (INDArray p : variables) p.subi(p.mul(factor));
    }

    /**
     * Keras's clipping, in place, of gradients that are {@code batch} times the mean gradient
     * Keras clips (1 for the mean itself).
     */
    static void clip(OptimizerSettings settings, List<INDArray> grads, double batch) {
        Double clipnorm = settings.optional("clipnorm");
        Double global = settings.optional("global_clipnorm");
        Double clipvalue = settings.optional("clipvalue");
        if (clipnorm != null && clipnorm > 0) {
            for (INDArray g : grads) {
                double norm = g.norm2Number().doubleValue() / batch;
                if (norm > clipnorm) g.muli(clipnorm / norm);
            }
        } else if (global != null && global > 0) {
            double sum = 0;
            for (INDArray g : grads) {
                double n = g.norm2Number().doubleValue() / batch;
                sum += n * n;
            }
            double norm = Math.sqrt(sum);
            if (norm > global) for (INDArray g : grads) g.muli(global / norm);
        } else if (clipvalue != null && clipvalue > 0) {
            double limit = clipvalue * batch;
            for (INDArray g : grads) g.assign(Transforms.min(Transforms.max(g, -limit, true), limit, false));
        }
    }

    private record Variable(Layer layer, String param) {
    }

    private static List<Variable> variables(ComputationGraph graph) {
        List<Variable> out = new ArrayList<>();
        for (Layer l : graph.getLayers()) {
            if (l.numParams() == 0 || l.getConfig() == null) continue;
            for (String p : l.paramTable(false).keySet()) {
                if (l.getConfig().getUpdaterByParam(p) instanceof KerasUpdater && l.updaterDivideByMinibatch(p)) out.add(new Variable(l, p));
            }
        }
        return out;
    }
}
