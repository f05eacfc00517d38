package dev.graft.engine.layers;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.recurrent.FwdPassReturn;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.layers.recurrent.LSTMHelper;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J's LSTM forward pass for inference, computed on contiguous arrays: DL4J's own loop
 * ({@code LSTMHelpers.activateHelper}) multiplies each step's input separately and applies every gate activation and
 * product to a strided column block of a {@code [batch, 4·units]} matrix, which ND4J computes element by element; JFR
 * put nine tenths of an LSTM model's predict time there. This helper keeps each step's pre-activations as
 * {@code [4·units, batch]} rows (DL4J's gate order: block input, forget, output, input gate), so every gate is one
 * contiguous block, folds the bias into the input product, and writes each step's output straight into the output
 * array's memory. The arithmetic is DL4J's, operation for operation: {@code c = f·c' + g·a(z)}, {@code h = o·a(c)}.
 *
 * <p>It serves through the helper slot DL4J gives cuDNN and oneDNN ({@link LSTM}'s {@code helper}), installed by
 * {@link #whileInferring} for one forward pass only, and answers null (DL4J computes it itself) for anything but a
 * plain inference pass: a pass kept for backpropagation, masks, peepholes, or an activation that is not elementwise.
 * Networks keep DL4J's stock classes, so the zips graft writes open anywhere.
 */
public final class LstmInferenceHelper implements LSTMHelper {
    private static final LstmInferenceHelper INSTANCE = new LstmInferenceHelper();
    private static final Field HELPER = helperField();
    /** Activations applied element by element, so a gate's block may be transposed: DL4J's and graft's scale-and-offset. */
    private static final Set<Class<?>> ELEMENTWISE = Set.of(ActivationSigmoid.class, ActivationTanH.class, ActivationHardSigmoid.class,
            ActivationHardTanH.class, ActivationReLU.class, ActivationIdentity.class, ActivationSoftSign.class, ScaleOffsetActivation.class);

    private static final IActivation SIGMOID = new ActivationSigmoid();

    private LstmInferenceHelper() {
    }

    /** Runs {@code pass} with the helper in every stock LSTM of the graph (inside wrappers such as LastTimeStep too; Bidirectional's halves stay DL4J's) that has none. */
    public static <T> T whileInferring(ComputationGraph graph, Supplier<T> pass) {
        List<LSTM> installed = new ArrayList<>();
        try {
            if (HELPER != null && graph.getLayers() != null) {
                for (Layer l : graph.getLayers()) install(l, installed);
            }
            return pass.get();
        } finally {
            for (LSTM l : installed) set(l, null);
        }
    }

    private static void install(Layer l, List<LSTM> installed) {
        if (l instanceof BaseWrapperLayer w) {
            install(w.getUnderlying(), installed);
        } else if (l != null && l.getClass() == LSTM.class && get(l) == null) {
            set(l, INSTANCE);
            installed.add((LSTM) l);
        }
    }

    private static Object get(Layer l) {
        try {
            return HELPER.get(l);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(Layer l, LSTMHelper h) {
        try {
            HELPER.set(l, h);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field helperField() {
        try {
            Field f = LSTM.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;   // another DL4J: DL4J computes every LSTM itself
        }
    }

    @Override
    public FwdPassReturn activate(Layer layer, NeuralNetConfiguration conf, IActivation gateFn, INDArray input, INDArray recurrentWeights,
                                  INDArray inputWeights, INDArray biases, boolean training, INDArray prevOutput, INDArray prevCell,
                                  boolean forBackprop, boolean forwards, String inputWeightKey, INDArray maskArray, boolean peepholes,
                                  LayerWorkspaceMgr workspaceMgr) {
        if (training || forBackprop || maskArray != null || peepholes || input.rank() != 3) return null;
        IActivation afn = ((org.deeplearning4j.nn.conf.layers.BaseLayer) conf.getLayer()).getActivationFn();
        if (!ELEMENTWISE.contains(afn.getClass()) || !ELEMENTWISE.contains(gateFn.getClass())) return null;
        DataType type = input.dataType();
        long batch = input.size(0);
        long in = input.size(1);
        int steps = (int) input.size(2);
        long units = recurrentWeights.size(0);
        if (inputWeights.size(0) != in || inputWeights.size(1) != 4 * units || biases.length() != 4 * units) return null;

        // Steps as [in + 1, batch] matrices with a row of ones, the kernel transposed with the bias as its last column.
        INDArray x = Nd4j.create(type, steps, in + 1, batch);
        x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, in), NDArrayIndex.all()).assign(input.permute(2, 1, 0));
        x.get(NDArrayIndex.all(), NDArrayIndex.point(in), NDArrayIndex.all()).assign(1);
        INDArray kernel = Nd4j.create(type, 4 * units, in + 1);
        kernel.get(NDArrayIndex.all(), NDArrayIndex.interval(0, in)).assign(inputWeights.transpose());
        kernel.get(NDArrayIndex.all(), NDArrayIndex.point(in)).assign(biases.reshape(4 * units));
        INDArray recurrent = recurrentWeights.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4 * units)).transpose().dup('c');

        INDArray output = workspaceMgr.create(ArrayType.ACTIVATIONS, type, new long[] {batch, units, steps}, 'f');
        INDArray byStep = output.permute(2, 1, 0);   // [steps, units, batch], each step one contiguous block
        INDArray h = prevOutput.transpose().dup('c');
        INDArray c = prevCell.transpose().dup('c');
        INDArray z = Nd4j.create(type, 4 * units, batch);
        INDArray blockInput = z.get(NDArrayIndex.interval(0, units), NDArrayIndex.all());
        INDArray gates = z.get(NDArrayIndex.interval(units, 4 * units), NDArrayIndex.all());
        INDArray forget = z.get(NDArrayIndex.interval(units, 2 * units), NDArrayIndex.all());
        INDArray out = z.get(NDArrayIndex.interval(2 * units, 3 * units), NDArrayIndex.all());
        INDArray inputGate = z.get(NDArrayIndex.interval(3 * units, 4 * units), NDArrayIndex.all());
        boolean tanhSigmoid = afn.getClass() == ActivationTanH.class && gateFn.getClass() == ActivationSigmoid.class;
        for (int i = 0; i < steps; i++) {
            int t = forwards ? i : steps - 1 - i;
            Nd4j.gemm(kernel, x.get(NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all()), z, false, false, 1.0, 0.0);
            Nd4j.gemm(recurrent, h, z, false, false, 1.0, 1.0);
            if (tanhSigmoid) {
                // tanh(x) = 2·sigmoid(2x) - 1: ND4J's tanh costs five times its sigmoid per element, and so the block
                // input's rows and the gates' take one sigmoid over the whole block
                blockInput.muli(2);
                SIGMOID.getActivation(z, false);
                blockInput.muli(2).subi(1);
            } else {
                afn.getActivation(blockInput, false);
                gateFn.getActivation(gates, false);
            }
            c.muli(forget);
            c.addi(blockInput.muli(inputGate));
            INDArray ht = byStep.get(NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all());
            if (tanhSigmoid) {
                ht.assign(c).muli(2);
                SIGMOID.getActivation(ht, false);
                ht.muli(2).subi(1);
            } else {
                ht.assign(c);
                afn.getActivation(ht, false);
            }
            ht.muli(out);
            h = ht;
        }
        FwdPassReturn r = new FwdPassReturn();
        r.fwdPassOutput = output;
        r.lastAct = h.transpose();
        r.lastMemCell = c.transpose();
        return r;
    }

    @Override
    public boolean checkSupported(IActivation gateFn, IActivation activationFn, boolean peepholes) {
        return !peepholes && ELEMENTWISE.contains(gateFn.getClass()) && ELEMENTWISE.contains(activationFn.getClass());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(NeuralNetConfiguration conf, IActivation gateFn, INDArray input, INDArray recurrentWeights,
                                                      INDArray inputWeights, INDArray epsilon, boolean truncatedBPTT, int tbpttBackwardLength,
                                                      FwdPassReturn fwdPass, boolean forwards, String inputWeightKey, String recurrentWeightKey,
                                                      String biasWeightKey, Map<String, INDArray> gradientViews, INDArray maskArray,
                                                      boolean peepholes, LayerWorkspaceMgr workspaceMgr) {
        return null;   // never installed while training: DL4J backpropagates itself
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }

    @Override
    public boolean checkSupported() {
        return true;
    }
}
