package dev.graft.engine.train;

import dev.graft.GraftException;
import dev.graft.engine.Freezing;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A network prepared for training: frozen layers wrapped so that training leaves their weights
 * bit for bit as they were, the optimizer on every layer that trains, and the loss on the output.
 * A frozen layer that no trainable layer feeds is frozen without backpropagation (nothing before
 * it needs its error, and it saves the work); one after a trainable layer passes the error on.
 */
public final class TrainableGraph {
    private TrainableGraph() {
    }

    /**
     * The network's vertices that hold the named Keras layers' weights: the layer's own vertex, and the halves of a
     * Bidirectional the engine computes as two layers ({@code <name>__forward}, {@code <name>__backward}), and the packed
     * vertex of a layer with several outputs ({@code <name>__lstm}, {@code <name>__attention}).
     */
    public static Set<String> engineVertices(ComputationGraph graph, Set<String> kerasLayers) {
        Set<String> out = new java.util.LinkedHashSet<>(kerasLayers);
        for (String name : kerasLayers) {
            for (String half : new String[] {"__forward", "__backward"}) {
                if (graph.getConfiguration().getVertices().containsKey(name + half)) out.add(name + half);
            }
            // a layer with several outputs keeps its weights in a packed vertex (an LSTM's state, attention scores)
            for (String packed : dev.graft.engine.KerasWriteback.PACKED_SUFFIXES) {
                if (graph.getConfiguration().getVertices().containsKey(name + packed)) out.add(name + packed);
            }
        }
        return out;
    }

    public static ComputationGraph prepare(ComputationGraph source, Set<String> trainable, IUpdater updater, LossKind loss, long seed) {
        return prepare(source, trainable, updater, LossSettings.of(loss), seed);
    }

    public static ComputationGraph prepare(ComputationGraph source, Set<String> trainable, IUpdater updater, LossSettings loss, long seed) {
        return prepare(source, trainable, updater, loss, seed, null);
    }

    /**
     * @param output the output's Keras shape and layout, for the loss head put after an output that
     *               is not Dense (null: such an output is taken as (batch, features))
     */
    public static ComputationGraph prepare(ComputationGraph source, Set<String> trainable, IUpdater updater, LossSettings loss, long seed,
                                           dev.graft.engine.TensorSpec output) {
        return prepare(source, trainable, updater, OutputLosses.single(output == null ? "" : output.name(), loss), seed,
                output == null ? null : List.of(output));
    }

    /**
     * @param losses  each output's loss and weight, in the engine's output order (one loss: every output's)
     * @param outputs each output's Keras shape and layout, in the engine's output order (null: as above)
     */
    public static ComputationGraph prepare(ComputationGraph source, Set<String> trainable, IUpdater updater, OutputLosses losses, long seed,
                                           List<dev.graft.engine.TensorSpec> outputs) {
        ComputationGraphConfiguration conf = dev.graft.engine.MergeAxes.cloned(source.getConfiguration());
        Map<String, GraphVertex> vertices = conf.getVertices();
        List<String> networkOutputs = List.copyOf(conf.getNetworkOutputs());
        // The loss goes on first: freezing wraps layers, and the output layer must be found unwrapped.
        Set<String> learning = downstreamOf(trainable, conf);
        learning.addAll(trainable);
        long[] rowsPerSample = new long[networkOutputs.size()];
        for (int i = 0; i < networkOutputs.size(); i++) {
            int k = losses.size() == 1 ? 0 : i;
            rowsPerSample[i] = withLoss(conf, networkOutputs.get(i), losses.get(k), losses.weight(k), updater,
                    outputs == null ? null : outputs.get(Math.min(i, outputs.size() - 1)), learning.contains(networkOutputs.get(i)));
        }
        // (-1: a length known only per batch)
        for (int i = 1; i < rowsPerSample.length; i++) {
            if (rowsPerSample[i] != rowsPerSample[0] || rowsPerSample[i] < 0) PositionScaledLoss.putOn(vertices.get(conf.getNetworkOutputs().get(i)));
        }
        Set<String> afterTrainable = downstreamOf(trainable, conf);
        // Keras's fit adds a noise layer's noise wherever it is: it runs per batch in training mode (not frozen, which computes
        // in inference mode), and the error passes back through what follows it (the engine's backward pass needs it there)
        Set<String> noisy = TrainingNoise.noisyVertices(conf);
        afterTrainable.addAll(noisy);
        afterTrainable.addAll(downstreamOf(noisy, conf));
        Set<String> passErrors = fedByMergeVertices(conf, learning);
        boolean anyTrainable = false;
        for (Map.Entry<String, GraphVertex> e : vertices.entrySet()) {
            // a loss head has no weights, and the engine takes no frozen output layer
            if (LossHead.isHead(e.getKey())) continue;
            if (!(e.getValue() instanceof LayerVertex lv)) {
                if (e.getValue().numParams(false) > 0) {
                    anyTrainable |= parameterisedVertex(e, trainable.contains(e.getKey()), afterTrainable.contains(e.getKey()), updater);
                }
                continue;
            }
            if (trainable.contains(e.getKey())) {
                anyTrainable = true;
                setUpdater(lv.getLayerConf().getLayer(), updater);
            } else if (!afterTrainable.contains(e.getKey()) && !passErrors.contains(e.getKey())) {
                // Nothing before it learns: no error needs to pass through, parameters or not
                // (and several of DL4J's channels-last backward passes are broken, so they must not run).
                e.setValue(Freezing.asFeatureExtractor(lv));
            } else if (e.getValue().numParams(false) > 0 || passErrors.contains(e.getKey())) {
                e.setValue(Freezing.withBackprop(lv));
            }
        }
        for (String v : noisy) {
            // a layer with weights and an input dropout (a recurrent layer's): a frozen layer computes in inference mode, without it
            if (vertices.get(v) instanceof LayerVertex lv && (lv.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop
                    || lv.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer)) {
                throw new GraftException("layer '" + v + "': its dropout is applied by Keras's fit also when the layer is frozen, and not by graft's"
                        + " train (train the layer too, or set its dropout to 0)");
            }
        }
        if (!anyTrainable) {
            throw new GraftException("nothing to train: every layer with weights is frozen (choose with --trainable all, bridges or LAYER,...)");
        }
        Set<String> backprop = new HashSet<>(afterTrainable);
        backprop.addAll(trainable);
        rankFreeMerges(conf, backprop);
        UntrainableLayers.check(conf, backprop, networkOutputs);
        conf.getDefaultConfiguration().setSeed(seed);
        // A fresh optimizer, as Keras's: its step count (bias corrections, Nadam's schedule) starts at 0.
        conf.setIterationCount(0);
        conf.setEpochCount(0);
        for (GraphVertex v : vertices.values()) if (v instanceof LayerVertex lv) lv.getLayerConf().setSeed(seed);
        // (counting the parameters of vertices too: DL4J's fit skips a network whose layers hold none)
        SameDiffTrainingWorkspaces.apply(conf); // reproducible steps: see there
        ComputationGraph g = new AllParametersGraph(conf);
        g.init(source.params().dup(), false);
        return g;
    }

    /**
     * Puts the engine's own updater closest to each Keras optimizer back on the layers that trained,
     * so that a written DL4J zip names only DL4J's classes and opens wherever DL4J runs.
     */
    public static void withEngineUpdaters(ComputationGraph graph) {
        for (Map.Entry<String, GraphVertex> e : graph.getConfiguration().getVertices().entrySet()) {
            if (e.getValue() instanceof org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex s) {
                engineUpdaters(e, s);
                continue;
            }
            if (!(e.getValue() instanceof LayerVertex lv)) continue;
            for (Layer l : withUpdaters(lv.getLayerConf().getLayer())) {
                if (l instanceof BaseLayer b && b.getIUpdater() instanceof KerasUpdater k) {
                    b.setIUpdater(EngineUpdaters.closest(k));
                    b.setBiasUpdater(EngineUpdaters.closest(k));
                }
                if (l instanceof org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer s && s.getUpdater() instanceof KerasUpdater k) {
                    s.setUpdater(EngineUpdaters.closest(k));
                    s.setBiasUpdater(EngineUpdaters.closest(k));
                }
            }
        }
    }

    /**
     * A vertex that trained gets DL4J's updater closest to the Keras optimizer; one kept frozen with a zero step is
     * recorded as DL4J records a frozen vertex (FrozenVertex, NoOp), which is what graft reads back as frozen.
     */
    private static void engineUpdaters(Map.Entry<String, GraphVertex> e, org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex s) {
        if (s.getUpdater() instanceof KerasUpdater k) s.setUpdater(EngineUpdaters.closest(k));
        if (s.getBiasUpdater() instanceof KerasUpdater k) s.setBiasUpdater(EngineUpdaters.closest(k));
        if (s.getUpdater() instanceof ZeroStep || s.getBiasUpdater() instanceof ZeroStep) {
            s.setUpdater(new org.nd4j.linalg.learning.config.NoOp());
            s.setBiasUpdater(new org.nd4j.linalg.learning.config.NoOp());
            e.setValue(new org.deeplearning4j.nn.conf.graph.FrozenVertex(s));
        }
    }

    /**
     * graft's multi-input layers (MultiHeadAttention) are SameDiff vertices holding parameters: trained with the
     * updater; frozen after a layer that learns, they stay vertices the error passes through, with an updater whose
     * step is zero ({@link ZeroStep}) and no regularisation (DL4J's FrozenVertex keeps the parameters but passes no
     * error back); frozen where nothing before learns, DL4J's FrozenVertex (no backward pass at all).
     */
    private static boolean parameterisedVertex(Map.Entry<String, GraphVertex> e, boolean train, boolean passesErrors, IUpdater updater) {
        GraphVertex v = e.getValue() instanceof org.deeplearning4j.nn.conf.graph.FrozenVertex f && (train || passesErrors)
                ? f.getUnderlying() : e.getValue();
        if ((train || passesErrors) && v instanceof org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex sd) {
            sd.setUpdater(train ? updater.clone() : new ZeroStep());
            sd.setBiasUpdater(train ? updater.clone() : new ZeroStep());
            if (!train) {
                sd.setRegularization(new java.util.ArrayList<>());
                sd.setRegularizationBias(new java.util.ArrayList<>());
            }
            e.setValue(sd);
            return train;
        }
        if (!(e.getValue() instanceof org.deeplearning4j.nn.conf.graph.FrozenVertex)) {
            e.setValue(new org.deeplearning4j.nn.conf.graph.FrozenVertex(e.getValue()));
        }
        return false;
    }

    private static void setUpdater(Layer layer, IUpdater updater) {
        for (Layer l : withUpdaters(layer)) {
            // graft's SameDiff layers (LayerNormalization, GRU, ...) are not BaseLayers: without this they kept the
            // updater of the build (the gradient check in LossHeadGradientTest found a 10x smaller step)
            if (l instanceof org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer s) {
                s.setUpdater(updater.clone());
                s.setBiasUpdater(updater.clone());
            }
            if (l instanceof BaseLayer b) {
                b.setIUpdater(updater.clone());
                b.setBiasUpdater(updater.clone());
            }
        }
    }

    /**
     * The layer and the layers inside it that hold updaters: a wrapper's layer, and both halves of a Bidirectional (not a
     * BaseLayer itself: each half steps with its own updater, so a DL4J zip's Bidirectional kept the zip's Adam whatever
     * {@code --optimizer} said).
     */
    private static List<Layer> withUpdaters(Layer layer) {
        List<Layer> layers = new java.util.ArrayList<>();
        layers.add(layer);
        Layer inner = layer instanceof BaseWrapperLayer w ? w.getUnderlying() : layer;
        if (inner != layer) layers.add(inner);
        if (inner instanceof org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional b) {
            for (Layer half : new Layer[] {b.getFwd(), b.getBwd()}) {
                layers.add(half);
                if (half instanceof BaseWrapperLayer w) layers.add(w.getUnderlying());
            }
        }
        return layers;
    }

    /**
     * Puts the loss on an output: an output or loss layer gets it as is; a Dense output (what
     * DL4J's importer leaves of a Keras Dense) becomes the identical OutputLayer (same parameters,
     * same activation). Any other output (a convolution, a recurrent layer, a vertex) gets a
     * {@link LossHead} after it. Returns the rows per sample of the output's labels as the engine takes them: a head's
     * positions (-1: not known before the batch), else 1.
     */
    private static long withLoss(ComputationGraphConfiguration conf, String out, LossSettings settings, double weight, IUpdater updater,
                                 dev.graft.engine.TensorSpec spec, boolean learns) {
        GraphVertex v = conf.getVertices().get(out);
        Layer layer = v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
        Layer inner = layer instanceof BaseWrapperLayer w ? w.getUnderlying() : layer;
        long outputs = inner instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer f ? f.getNOut() : 0;
        org.nd4j.linalg.lossfunctions.ILossFunction lossFn = weighted(settings.lossFunction(outputs), weight);
        if (inner instanceof BaseOutputLayer o) {
            o.setLossFn(lossFn);
        } else if (inner instanceof LossLayer l) {
            l.setLossFn(lossFn);
        } else if (inner instanceof RnnLossLayer l) {
            l.setLossFn(lossFn);
        } else if (inner instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer l) {
            // a DL4J zip's loss on every pixel (channels first, as the engine's labels are given to it)
            l.setLossFn(lossFn);
        } else if (layer instanceof DenseLayer d && v instanceof LayerVertex lv && (spec == null || spec.rank() <= 2) && learns) {
            // (a Dense output nothing before learns, one head of several, stays a Dense the engine can freeze: the head below takes its loss)
            OutputLayer o = new OutputLayer.Builder().lossFunction(lossFn).nIn(d.getNIn()).nOut(d.getNOut()).activation(d.getActivationFn())
                    .hasBias(d.hasBias()).updater(updater.clone()).build();
            o.setLayerName(d.getLayerName());
            if (d.getIUpdater() != null) o.setIUpdater(d.getIUpdater());
            lv.getLayerConf().setLayer(o);
        } else {
            LossHead.append(conf, out, weighted(settings.lossFunction(spec == null || spec.kerasShape() == null || spec.kerasShape().lastDim() == null
                    ? outputs : spec.kerasShape().lastDim()), weight), spec);
            return LossHead.positions(spec);
        }
        return 1;
    }

    /**
     * Each merge the error passes back through that joins tensors of rank 5 or more (along axis 4 or later) as graft's
     * {@link dev.graft.engine.layers.ConcatenateVertex}: DL4J's merge passes the error back through ranks 2 to 4 only.
     */
    private static void rankFreeMerges(ComputationGraphConfiguration conf, Set<String> backprop) {
        for (String name : backprop) {
            if (conf.getVertices().get(name) instanceof org.deeplearning4j.nn.conf.graph.MergeVertex m && m.getMergeAxis() >= 4) {
                conf.getVertices().put(name, new dev.graft.engine.layers.ConcatenateVertex(conf.getVertexInputs().get(name).size(), m.getMergeAxis()));
            }
        }
    }

    private static org.nd4j.linalg.lossfunctions.ILossFunction weighted(org.nd4j.linalg.lossfunctions.ILossFunction loss, double weight) {
        return weight == 1 ? loss : new WeightedOutputLoss(loss, weight);
    }

    /**
     * Frozen layers that must pass the error back although nothing before them learns: the engine runs the
     * backward pass of every vertex that is not a layer, and one joining several tensors (Concatenate, Add,
     * ...) fails without an error to split ("errors not set") where a frozen feature extractor after it (directly
     * or through other vertices that are not layers) passes none. A model with one input computes such a frozen
     * prefix once instead ({@link FrozenPrefix}); one with several inputs trains whole.
     */
    static Set<String> fedByMergeVertices(ComputationGraphConfiguration conf, Set<String> learning) {
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Set<String> joins = new HashSet<>();
        for (Map.Entry<String, List<String>> e : inputs.entrySet()) {
            GraphVertex v = conf.getVertices().get(e.getKey());
            if (e.getValue().size() > 1 && !(v instanceof LayerVertex) && !learning.contains(e.getKey())) joins.add(e.getKey());
        }
        Deque<String> todo = new ArrayDeque<>(joins);
        Set<String> seen = new HashSet<>(joins);
        Set<String> layers = new HashSet<>();
        while (!todo.isEmpty()) {
            String t = todo.pop();
            for (Map.Entry<String, List<String>> e : inputs.entrySet()) {
                if (!e.getValue().contains(t) || learning.contains(e.getKey())) continue;
                if (conf.getVertices().get(e.getKey()) instanceof LayerVertex) layers.add(e.getKey());
                else if (seen.add(e.getKey())) todo.push(e.getKey());
            }
        }
        return layers;
    }

    /** Vertices that some trainable vertex feeds, directly or not. */
    static Set<String> downstreamOf(Set<String> trainable, ComputationGraphConfiguration conf) {
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Set<String> out = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(trainable);
        while (!todo.isEmpty()) {
            String t = todo.pop();
            for (Map.Entry<String, List<String>> e : inputs.entrySet()) {
                if (e.getValue().contains(t) && out.add(e.getKey())) todo.push(e.getKey());
            }
        }
        return out;
    }
}
