package dev.graft.engine.train;

import dev.graft.engine.layers.DenseStage;
import dev.graft.engine.layers.HeapParameter;
import dev.graft.engine.layers.HeapStage;
import dev.graft.engine.layers.HeapStageChecks;
import dev.graft.engine.layers.HeapStageSource;
import dev.graft.engine.layers.HeapStages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training step of a network that is one chain of layers graft computes on the heap ({@link HeapStage}: Dense
 * layers and the families {@link HeapStages} knows) ending in a Dense output layer with its loss, computed in plain
 * Java on heap arrays instead of by the engine: the chain's stages forward, the output's loss and its gradient
 * ({@link HeapOutputLoss}), the stages backward down to the first that learns, each parameter's gradient divided by the
 * batch's size and turned into the step by the layer's Keras optimizer ({@link KerasUpdaterStep.Floats}), the step
 * subtracted. The weights live on the heap for the whole run; {@link #copyToGraph} writes them into the network before
 * anything else reads it (the epoch's evaluation, the best epoch's copy, the end).
 *
 * <p>Why: at the batch sizes people train with, the engine spends as long on its bookkeeping between layers (copies
 * between its native arrays and the heap, layout permutations, shape descriptors, workspaces, gradient views of frozen
 * layers, updater blocks) as on the arithmetic: 4-12x PyTorch's time on a Dense bridge.
 *
 * <p>What it computes is the engine's step, layer for layer; the only differences are the order of the additions inside
 * matrix products (floating-point rounding) and, where a chain has dropout, which values it drops (its own random
 * numbers, drawn from the run's seed). Anything a stage does not compute, or that the engine would add to the step
 * (regularizers, constraints, weight noise, gradient normalisation, dropout on a layer's input, optimizers other than
 * the Keras ones computed on the heap), keeps the engine's step: {@link #of} returns null.
 */
final class HeapChainTrainer {
    /** Set (to anything) to train every network with the engine's own step: for comparing the two and for measuring. */
    static final String OFF = "graft.train.engineStepOnly";

    private final ComputationGraph graph;
    private final List<HeapStage> stages;
    private final HeapOutputLoss loss;
    private final org.nd4j.linalg.activations.IActivation outputActivation;
    private final List<Update> updates = new ArrayList<>();
    /** The first stage with parameters that learn: the error is passed back no further. */
    private final int firstLearning;
    private int iteration;

    private HeapChainTrainer(ComputationGraph graph, List<HeapStage> stages, HeapOutputLoss loss, org.nd4j.linalg.activations.IActivation outputActivation,
                             int firstLearning) {
        this.graph = graph;
        this.stages = stages;
        this.loss = loss;
        this.outputActivation = outputActivation;
        this.firstLearning = firstLearning;
        for (HeapStage s : stages) for (HeapParameter p : s.parameters()) updates.add(new Update(p));
        this.iteration = graph.getConfiguration().getIterationCount();
    }

    /**
     * The heap step for a prepared network whose one input takes samples of {@code inputShape} (Keras's layout, without
     * the batch axis), or null when the network is not a chain it computes exactly.
     */
    static HeapChainTrainer of(ComputationGraph graph, int[] inputShape, long seed) {
        if (System.getProperty(OFF) != null) return null;
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getDataType() != DataType.FLOAT || conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) return null;
        List<String> chain = chain(conf);
        if (chain == null) return null;
        SplittableRandom random = new SplittableRandom(seed);
        List<HeapStage> stages = new ArrayList<>();
        int[] shape = inputShape.clone();
        boolean learningBefore = false;
        OutputLayer output = null;
        for (int i = 0; i < chain.size(); i++) {
            String name = chain.get(i);
            GraphVertex v = conf.getVertices().get(name);
            Layer layer = null;
            org.deeplearning4j.nn.api.Layer runtime = null;
            boolean learns = false;
            if (v instanceof LayerVertex lv) {
                if (lv.getPreProcessor() != null) return null;
                layer = lv.getLayerConf().getLayer();
                runtime = graph.getLayer(name);
                learns = true;
                if (layer instanceof FrozenLayerWithBackprop f) {
                    layer = f.getUnderlying();
                    runtime = runtime instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop r ? r.getInsideLayer() : null;
                    learns = false;
                } else if (layer instanceof FrozenLayer f) {
                    // passes no error back: nothing before it may learn
                    if (learningBefore) return null;
                    layer = f.getLayer();
                    runtime = runtime instanceof org.deeplearning4j.nn.layers.FrozenLayer r ? r.getInsideLayer() : null;
                    learns = false;
                }
                if (runtime == null || !plain(layer)) return null;
            }
            HeapStageSource source = new HeapStageSource(name, v, layer, runtime, learns, shape.clone(), random);
            HeapStage stage;
            if (i == chain.size() - 1) {
                if (!(layer instanceof OutputLayer o) || shape.length != 1) return null;
                output = o;
                stage = DenseStage.preActivation(source, o, shape[0]);
            } else {
                stage = HeapStages.of(source);
            }
            if (stage == null) return null;
            for (HeapParameter p : stage.parameters()) {
                if (!(p.updater() instanceof KerasUpdater k) || !KerasUpdaterStep.Floats.computes(k)) return null;
            }
            stages.add(stage);
            shape = stage.outputShape();
            learningBefore |= !stage.parameters().isEmpty();
        }
        HeapOutputLoss loss = HeapOutputLoss.of(output.getLossFn(), output.getActivationFn());
        int first = stages.size();
        for (int i = stages.size() - 1; i >= 0; i--) if (!stages.get(i).parameters().isEmpty()) first = i;
        if (first == stages.size()) return null;
        return new HeapChainTrainer(graph, stages, loss, output.getActivationFn(), first);
    }

    /** The network's vertices from its input to its output when each takes the one before it, else null. */
    private static List<String> chain(ComputationGraphConfiguration conf) {
        Map<String, List<String>> inputs = conf.getVertexInputs();
        List<String> chain = new ArrayList<>();
        String at = conf.getNetworkOutputs().get(0);
        while (!conf.getNetworkInputs().contains(at)) {
            List<String> in = inputs.get(at);
            if (in == null || in.size() != 1 || chain.contains(at)) return null;
            chain.add(0, at);
            at = in.get(0);
        }
        return chain.size() == conf.getVertices().size() ? chain : null;
    }

    /**
     * Nothing the engine adds to a layer's step: no weight noise, regularizer, constraint or gradient normalisation, and
     * no dropout on the layer's input that drops anything (the importer gives layers one with p = 1, which keeps every
     * value; a {@link DropoutLayer}'s dropout is the layer itself, its stage computes it). A wrapper's layer likewise.
     */
    private static boolean plain(Layer layer) {
        boolean ok = layer instanceof DropoutLayer d ? HeapStageChecks.plainApartFromDropout(d) : HeapStageChecks.plain(layer);
        return ok && (!(layer instanceof BaseWrapperLayer w) || plain(w.getUnderlying()));
    }

    /**
     * One training step on a batch: {@code x} its samples (Keras's layout, row-major), its labels as the output layer
     * takes them, as an array or as values, row-major. Returns the batch's loss as the engine's {@code score()} reports it.
     */
    double fit(float[] x, int rows, Supplier<INDArray> labels, Supplier<float[]> labelValues) {
        float[] a = x;
        for (HeapStage s : stages) a = s.forward(a, rows);
        float[] delta = new float[a.length];
        double score = loss.scoreAndGradient(a, rows, a.length / rows, labels, labelValues, delta) / rows;
        for (int k = stages.size() - 1; k >= firstLearning; k--) delta = stages.get(k).backward(delta, rows, k > firstLearning);
        for (Update u : updates) u.apply(rows, iteration);
        iteration++;
        return score;
    }

    /**
     * The network's output for {@code rows} samples in inference (Keras's {@code training=False}), with the weights as they
     * are now, row-major (rows, outputs): what the engine's {@code output} gives, without copying the weights back to it.
     */
    float[] predict(float[] x, int rows) {
        float[] a = x;
        for (HeapStage s : stages) a = s.infer(a, rows);
        INDArray pre = org.nd4j.linalg.factory.Nd4j.create(a, new long[] {rows, a.length / rows}, 'c');
        return outputActivation.getActivation(pre, false).dup('c').data().asFloat();
    }

    /** Writes the weights and the step count back into the network (before anything reads them: evaluation, the best epoch's copy, the end). */
    void copyToGraph() {
        for (HeapStage s : stages) if (!s.parameters().isEmpty()) s.copyToEngine();
        graph.getConfiguration().setIterationCount(iteration);
    }

    /** A parameter with its optimizer's state: the engine's update, the batch's mean gradient through the optimizer, the step subtracted. */
    private static final class Update {
        private final HeapParameter parameter;
        private final KerasUpdaterStep.Floats step;

        Update(HeapParameter parameter) {
            this.parameter = parameter;
            this.step = new KerasUpdaterStep.Floats((KerasUpdater) parameter.updater(), parameter.values().length);
        }

        void apply(int rows, int iteration) {
            float[] g = parameter.gradient(), p = parameter.values();
            float batch = rows;
            for (int i = 0; i < g.length; i++) g[i] /= batch;
            step.update(g, iteration);
            for (int i = 0; i < p.length; i++) p[i] -= g[i];
        }
    }
}
