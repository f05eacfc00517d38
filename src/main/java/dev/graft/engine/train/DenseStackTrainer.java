package dev.graft.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The training step of a network that is one chain of Dense layers ending in a Dense output with its loss
 * (a hybrid's bridge between frozen Dense donors, once {@link FrozenPrefix} has split off what it computes
 * once; a plain MLP trained whole), computed in plain Java on heap arrays instead of by the engine.
 *
 * <p>Why: at the batch sizes people train with, such a network's arithmetic is a few tens of microseconds;
 * the engine spends ten times that per step on the bookkeeping of its hundred-odd operations (shape
 * descriptors, native buffers and their deallocators, gradient views of frozen layers, updater blocks),
 * which made {@code train} 4-12x slower than PyTorch on the example-3 bridge.
 *
 * <p>What it computes is the engine's step, operation for operation: the forward pass with each layer's
 * activation, the output's loss and its gradient through the layer's own loss function and activation (the
 * same {@link ILossFunction} calls the engine's output layer makes), the weight gradients summed over the batch
 * and divided by its size, the Keras optimizer's update ({@link KerasUpdaterStep}) and the step subtracted from
 * the weights. Frozen layers pass the error on and compute no weight gradient (the engine computes one and
 * zeroes it). The only difference is the order of the additions inside a matrix product (floating-point
 * rounding, 1e-7 relative). Anything else (dropout, regularizers, constraints, other activations, gradient
 * normalisation, clipping or weight-decay hooks, sample weights) keeps the engine's step: {@link #of} returns null.
 */
final class DenseStackTrainer {
    private final ComputationGraph graph;
    private final List<Dense> layers;
    private final ILossFunction loss;
    private final IActivation outputActivation;
    /** The output's loss computed on the heap, when it is one computed here; else null (the engine's loss function computes it). */
    private final SigmoidCrossentropy sigmoidCrossentropy;
    /** The first layer that learns: the error is passed back no further. */
    private final int firstLearning;
    private int iteration;

    private DenseStackTrainer(ComputationGraph graph, List<Dense> layers, ILossFunction loss, IActivation outputActivation) {
        this.graph = graph;
        this.layers = layers;
        this.loss = loss;
        this.outputActivation = outputActivation;
        this.sigmoidCrossentropy = SigmoidCrossentropy.of(loss, outputActivation);
        int first = layers.size();
        for (int i = layers.size() - 1; i >= 0; i--) if (layers.get(i).learns) first = i;
        this.firstLearning = first;
        this.iteration = graph.getConfiguration().getIterationCount();
    }

    /** Set (to anything) to train every network with the engine's own step: for comparing the two and for measuring. */
    static final String OFF = "graft.train.engineStepOnly";

    /** The plain-Java step for a prepared network, or null when the network is not a chain of Dense layers it computes exactly. */
    static DenseStackTrainer of(ComputationGraph graph) {
        if (System.getProperty(OFF) != null) return null;
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getDataType() != DataType.FLOAT || conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) return null;
        Map<String, List<String>> inputs = conf.getVertexInputs();
        List<String> chain = new ArrayList<>();
        String at = conf.getNetworkOutputs().get(0);
        while (!conf.getNetworkInputs().contains(at)) {
            List<String> in = inputs.get(at);
            if (in == null || in.size() != 1 || chain.contains(at)) return null;
            chain.add(0, at);
            at = in.get(0);
        }
        if (chain.size() != conf.getVertices().size()) return null;
        List<Dense> layers = new ArrayList<>();
        boolean learningBefore = false;
        for (int i = 0; i < chain.size(); i++) {
            GraphVertex v = conf.getVertices().get(chain.get(i));
            if (!(v instanceof LayerVertex lv) || lv.getPreProcessor() != null) return null;
            Layer layer = lv.getLayerConf().getLayer();
            boolean learns = true, passesError = true;
            if (layer instanceof FrozenLayerWithBackprop f) {
                layer = f.getUnderlying();
                learns = false;
            } else if (layer instanceof FrozenLayer f) {
                layer = f.getLayer();
                learns = false;
                passesError = false;
            }
            if (!passesError && learningBefore) return null;
            boolean last = i == chain.size() - 1;
            if (last ? !(layer instanceof OutputLayer) : !(layer instanceof DenseLayer d) || d.hasLayerNorm()) return null;
            BaseLayer b = (BaseLayer) layer;
            if (!plain(b, learns)) return null;
            if (!last && activation(b.getActivationFn()) < 0) return null;
            org.deeplearning4j.nn.api.Layer runtime = graph.getLayer(chain.get(i));
            Dense d = Dense.of(runtime, (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) b, learns, last ? -1 : activation(b.getActivationFn()));
            if (d == null) return null;
            layers.add(d);
            learningBefore |= learns;
        }
        if (layers.stream().noneMatch(d -> d.learns)) return null;
        OutputLayer out = (OutputLayer) unwrapped(((LayerVertex) conf.getVertices().get(chain.get(chain.size() - 1))).getLayerConf().getLayer());
        return new DenseStackTrainer(graph, layers, out.getLossFn(), out.getActivationFn());
    }

    private static Layer unwrapped(Layer l) {
        if (l instanceof FrozenLayerWithBackprop f) return f.getUnderlying();
        if (l instanceof FrozenLayer f) return f.getLayer();
        return l;
    }

    /** No dropout (none that drops anything), weight noise, regularizer, constraint or gradient normalisation; a learning layer's optimizer is Keras's. */
    private static boolean plain(BaseLayer b, boolean learns) {
        // (the importer gives layers a dropout that keeps every value, p = 1: it changes nothing)
        boolean noDropout = b.getIDropout() == null
                || b.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.Dropout d && d.getP() == 1.0 && d.getPSchedule() == null;
        if (!noDropout || b.getWeightNoise() != null) return false;
        if (b.getConstraints() != null && !b.getConstraints().isEmpty()) return false;
        if (b.getRegularization() != null && !b.getRegularization().isEmpty()) return false;
        if (b.getRegularizationBias() != null && !b.getRegularizationBias().isEmpty()) return false;
        if (b.getGradientNormalization() != null && b.getGradientNormalization() != GradientNormalization.None) return false;
        return !learns || b.getIUpdater() instanceof KerasUpdater && (b.getBiasUpdater() == null || b.getBiasUpdater() instanceof KerasUpdater);
    }

    private static final int IDENTITY = 0, RELU = 1, SIGMOID = 2, TANH = 3;

    /** The hidden activations computed here, or -1. */
    private static int activation(IActivation a) {
        if (a instanceof ActivationIdentity) return IDENTITY;
        if (a instanceof ActivationReLU r) {
            boolean plain = (r.getMax() == null || Double.isInfinite(r.getMax())) && (r.getThreshold() == null || r.getThreshold() == 0)
                    && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0);
            return plain ? RELU : -1;
        }
        if (a instanceof ActivationSigmoid) return SIGMOID;
        if (a instanceof ActivationTanH) return TANH;
        return -1;
    }

    /**
     * One training step on a batch: {@code x} its rows (row-major, the first layer's inputs wide), its labels as the
     * output layer takes them, as an array or (for the loss computed here) as values, row-major. Returns the batch's
     * loss as the engine's {@code score()} reports it.
     */
    double fit(float[] x, int rows, java.util.function.Supplier<INDArray> labels, java.util.function.Supplier<float[]> labelValues) {
        int n = layers.size();
        if (x.length != rows * layers.get(0).nIn) {
            throw new IllegalStateException("the batch has " + x.length + " values for " + rows + " rows of " + layers.get(0).nIn + " inputs");
        }
        float[][] acts = new float[n + 1][];
        float[][] pre = new float[n][];
        acts[0] = x;
        for (int k = 0; k < n; k++) {
            Dense d = layers.get(k);
            float[] z = d.forward(acts[k], rows);
            pre[k] = z;
            acts[k + 1] = k < n - 1 ? activate(d.activation, z) : null;
        }
        Dense outLayer = layers.get(n - 1);
        float[] delta = new float[rows * outLayer.nOut];
        double score;
        if (sigmoidCrossentropy != null) {
            score = sigmoidCrossentropy.scoreAndGradient(pre[n - 1], labelValues.get(), rows, outLayer.nOut, delta) / rows;
        } else {
            INDArray preOut = Nd4j.create(pre[n - 1], new long[] {rows, outLayer.nOut}, 'c');
            INDArray lab = labels.get();
            // (a loss may apply the activation to the array it is given in place: each call gets its own, as the engine's calls do)
            INDArray deltaArray = loss.computeGradient(lab, preOut.dup(), outputActivation, null);
            score = loss.computeScore(lab, preOut, outputActivation, null, false) / rows;
            delta = deltaArray.dup('c').data().asFloat();
        }
        for (int k = n - 1; k >= firstLearning; k--) {
            Dense d = layers.get(k);
            if (d.learns) d.weightGradients(acts[k], delta, rows);
            if (k > firstLearning) {
                float[] eps = d.inputError(delta, rows);
                delta = derivative(layers.get(k - 1).activation, pre[k - 1], acts[k], eps);
            }
        }
        for (int k = firstLearning; k < n; k++) {
            Dense d = layers.get(k);
            if (d.learns) d.step(rows, iteration);
        }
        iteration++;
        return score;
    }

    /** Writes the weights and the step count back into the network (before anything reads them: evaluation, the best epoch's copy, the end). */
    void copyToGraph() {
        for (Dense d : layers) if (d.learns) d.copyToGraph();
        graph.getConfiguration().setIterationCount(iteration);
    }

    private static float[] activate(int kind, float[] z) {
        float[] a = new float[z.length];
        switch (kind) {
            case IDENTITY: System.arraycopy(z, 0, a, 0, z.length); break;
            case RELU: for (int i = 0; i < z.length; i++) a[i] = z[i] > 0 ? z[i] : 0f; break;
            case SIGMOID: for (int i = 0; i < z.length; i++) a[i] = sigmoid(z[i]); break;
            case TANH: for (int i = 0; i < z.length; i++) a[i] = (float) Math.tanh(z[i]); break;
            default: throw new IllegalStateException(String.valueOf(kind));
        }
        return a;
    }

    /** The engine's sigmoid, in float arithmetic as it computes it: 1 / (1 + exp(−x)). */
    static float sigmoid(float x) {
        return 1f / (1f + (float) Math.exp(-x));
    }

    /** The error at a layer's pre-activations from the error at its outputs ({@code a}: its outputs). */
    private static float[] derivative(int kind, float[] z, float[] a, float[] eps) {
        float[] out = new float[eps.length];
        switch (kind) {
            case IDENTITY: System.arraycopy(eps, 0, out, 0, eps.length); break;
            case RELU: for (int i = 0; i < eps.length; i++) out[i] = z[i] > 0 ? eps[i] : 0f; break;
            case SIGMOID: for (int i = 0; i < eps.length; i++) out[i] = eps[i] * (a[i] * (1f - a[i])); break;
            case TANH: for (int i = 0; i < eps.length; i++) out[i] = eps[i] * (1f - a[i] * a[i]); break;
            default: throw new IllegalStateException(String.valueOf(kind));
        }
        return out;
    }

    /** One Dense layer: its weights on the heap (row-major, inputs by outputs), their gradients and the optimizer's state. */
    private static final class Dense {
        final int nIn, nOut, activation;
        final boolean learns;
        final float[] w, b;
        final INDArray wParam, bParam;
        final float[] gw, gb;
        final KerasUpdaterStep.Floats wStep, bStep;

        private Dense(int nIn, int nOut, int activation, boolean learns, INDArray wParam, INDArray bParam, KerasUpdater wu, KerasUpdater bu) {
            this.nIn = nIn;
            this.nOut = nOut;
            this.activation = activation;
            this.learns = learns;
            this.wParam = wParam;
            this.bParam = bParam;
            this.w = wParam.dup('c').data().asFloat();
            this.b = bParam == null ? null : bParam.dup('c').data().asFloat();
            this.gw = learns ? new float[w.length] : null;
            this.gb = learns && b != null ? new float[b.length] : null;
            this.wStep = learns ? new KerasUpdaterStep.Floats(wu, w.length) : null;
            this.bStep = learns && b != null ? new KerasUpdaterStep.Floats(bu, b.length) : null;
        }

        static Dense of(org.deeplearning4j.nn.api.Layer runtime, org.deeplearning4j.nn.conf.layers.FeedForwardLayer conf, boolean learns, int activation) {
            Map<String, INDArray> params = runtime.paramTable(false);
            INDArray w = params.get("W"), b = params.get("b");
            if (w == null || params.size() != (b == null ? 1 : 2) || w.rank() != 2) return null;
            int nIn = Math.toIntExact(w.size(0)), nOut = Math.toIntExact(w.size(1));
            if (b != null && b.length() != nOut) return null;
            KerasUpdater wu = null, bu = null;
            if (learns) {
                BaseLayer bl = (BaseLayer) conf;
                wu = (KerasUpdater) bl.getIUpdater();
                bu = bl.getBiasUpdater() == null ? wu : (KerasUpdater) bl.getBiasUpdater();
                if (!KerasUpdaterStep.Floats.computes(wu) || !KerasUpdaterStep.Floats.computes(bu)) return null;
            }
            return new Dense(nIn, nOut, activation, learns, w, b, wu, bu);
        }

        /** z = x·W + b, row by row. */
        float[] forward(float[] x, int rows) {
            float[] z = new float[rows * nOut];
            for (int r = 0; r < rows; r++) {
                int zo = r * nOut, xo = r * nIn;
                for (int i = 0; i < nIn; i++) {
                    float xi = x[xo + i];
                    int wo = i * nOut;
                    for (int j = 0; j < nOut; j++) z[zo + j] += xi * w[wo + j];
                }
                if (b != null) for (int j = 0; j < nOut; j++) z[zo + j] += b[j];
            }
            return z;
        }

        /** dW = xᵀ·delta and db = the column sums of delta, summed over the batch as the engine sums them. */
        void weightGradients(float[] x, float[] delta, int rows) {
            java.util.Arrays.fill(gw, 0f);
            for (int r = 0; r < rows; r++) {
                int xo = r * nIn, dox = r * nOut;
                for (int i = 0; i < nIn; i++) {
                    float xi = x[xo + i];
                    int wo = i * nOut;
                    for (int j = 0; j < nOut; j++) gw[wo + j] += xi * delta[dox + j];
                }
            }
            if (gb != null) {
                java.util.Arrays.fill(gb, 0f);
                for (int r = 0; r < rows; r++) for (int j = 0; j < nOut; j++) gb[j] += delta[r * nOut + j];
            }
        }

        /** The error at the layer's inputs: delta·Wᵀ. */
        float[] inputError(float[] delta, int rows) {
            float[] eps = new float[rows * nIn];
            for (int r = 0; r < rows; r++) {
                int eo = r * nIn, dox = r * nOut;
                for (int i = 0; i < nIn; i++) {
                    int wo = i * nOut;
                    float s = 0f;
                    for (int j = 0; j < nOut; j++) s += delta[dox + j] * w[wo + j];
                    eps[eo + i] = s;
                }
            }
            return eps;
        }

        /** The engine's update: the batch's mean gradient through the optimizer, the step subtracted. */
        void step(int rows, int iteration) {
            apply(w, gw, wStep, rows, iteration);
            if (b != null) apply(b, gb, bStep, rows, iteration);
        }

        private static void apply(float[] p, float[] g, KerasUpdaterStep.Floats step, int rows, int iteration) {
            float batch = rows;
            for (int i = 0; i < g.length; i++) g[i] /= batch;
            step.update(g, iteration);
            for (int i = 0; i < p.length; i++) p[i] -= g[i];
        }

        void copyToGraph() {
            wParam.assign(Nd4j.create(w, new long[] {nIn, nOut}, 'c'));
            if (bParam != null) bParam.assign(Nd4j.create(b, bParam.shape(), 'c'));
        }
    }

    /**
     * The engine's binary cross-entropy ({@code LossBinaryXENT}) after a sigmoid, as it computes it: the output
     * clipped to [eps, 1 - eps]; each element's score y·log(o) + (1 − y)·log(1 − o), times the output's weight, the
     * batch's loss minus their sum; the gradient (o − y) / (o·(1 − o)) through the sigmoid's derivative s·(1 − s) of
     * the unclipped output, times the weight. Each operation rounded to float as the engine's are.
     */
    private static final class SigmoidCrossentropy {
        private final float low, high;
        private final float[] weights;

        private SigmoidCrossentropy(double clipEps, float[] weights) {
            this.low = (float) clipEps;
            this.high = (float) (1 - clipEps);
            this.weights = weights;
        }

        static SigmoidCrossentropy of(ILossFunction loss, IActivation activation) {
            if (loss.getClass() != org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT.class || !(activation instanceof ActivationSigmoid)) return null;
            org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT x = (org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT) loss;
            if (!(x.getClipEps() > 0)) return null;
            return new SigmoidCrossentropy(x.getClipEps(), x.getWeights() == null ? null : x.getWeights().castTo(DataType.FLOAT).dup('c').data().asFloat());
        }

        /** The sum of the elements' losses (positive), and their gradients by the pre-activations into {@code grad}. */
        double scoreAndGradient(float[] z, float[] y, int rows, int width, float[] grad) {
            if (weights != null && weights.length != width) throw new IllegalStateException("loss weights for " + weights.length + " outputs, " + width + " given");
            if (y.length != rows * width) throw new IllegalStateException(y.length + " labels for " + rows + " rows of " + width + " outputs");
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < width; j++) {
                    int i = r * width + j;
                    float s = sigmoid(z[i]);
                    float o = Math.min(Math.max(s, low), high);
                    float yi = y[i];
                    float score = (float) Math.log(o) * yi + (float) Math.log(1f - o) * (1f - yi);
                    float dLda = (o - yi) / (o * (1f - o));
                    float g = dLda * (s * (1f - s));
                    if (weights != null) {
                        score = score * weights[j];
                        g = g * weights[j];
                    }
                    sum += score;
                    grad[i] = g;
                }
            }
            return -sum;
        }
    }
}
