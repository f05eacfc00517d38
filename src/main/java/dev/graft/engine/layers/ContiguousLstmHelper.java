package dev.graft.engine.layers;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
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
 * DL4J's LSTM forward and backward passes, computed on contiguous arrays: DL4J's own loop
 * ({@code LSTMHelpers.activateHelper}) multiplies each step's input separately and applies every gate activation and
 * product to a strided column block of a {@code [batch, 4·units]} matrix, which ND4J computes element by element; JFR
 * put nine tenths of an LSTM model's predict time there. This helper keeps each step's pre-activations as
 * {@code [4·units, batch]} rows (DL4J's gate order: block input, forget, output, input gate), so every gate is one
 * contiguous block, folds the bias into the input product, and writes each step's output straight into the output
 * array's memory. The arithmetic is DL4J's, operation for operation: {@code c = f·c' + g·a(z)}, {@code h = o·a(c)}.
 *
 * <p>It serves through the helper slot DL4J gives cuDNN and oneDNN ({@link LSTM}'s {@code helper}), installed by
 * {@link #whileInferring} for one forward pass or by {@link #installForTraining} for a network that trains, and answers
 * null (DL4J computes it itself) for masks, peepholes, an activation that is not elementwise, and, for a pass kept for
 * backpropagation, anything but tanh with sigmoid gates. Training keeps every step's gates and cell state from the
 * forward pass (DL4J computes the forward pass again inside its backward pass) and backpropagates over them with
 * matrix products of whole blocks.
 * The common case, float32 with tanh and sigmoid gates, is computed on heap arrays instead ({@link JavaLstmPass}: one
 * matrix product and one loop per step, forward and backward), in inference and training alike; an LSTM inside a
 * frozen layer then computes no weight gradients, which DL4J drops.
 * Networks keep DL4J's stock classes, so the zips graft writes open anywhere.
 */
public final class ContiguousLstmHelper implements LSTMHelper {
    private static final ContiguousLstmHelper INSTANCE = new ContiguousLstmHelper(true);
    /** For an LSTM inside a frozen layer, whose weight gradients DL4J throws away: only the error towards the input is computed. */
    private static final ContiguousLstmHelper FROZEN = new ContiguousLstmHelper(false);
    private static final Field HELPER = helperField();
    /** Activations applied element by element, so a gate's block may be transposed: DL4J's and graft's scale-and-offset. */
    private static final Set<Class<?>> ELEMENTWISE = Set.of(ActivationSigmoid.class, ActivationTanH.class, ActivationHardSigmoid.class,
            ActivationHardTanH.class, ActivationReLU.class, ActivationIdentity.class, ActivationSoftSign.class, ScaleOffsetActivation.class);

    private static final IActivation SIGMOID = new ActivationSigmoid();
    /**
     * Batches up to this size infer through {@link JavaLstmPass}; larger ones are faster in ND4J's whole-block operations
     * (measured on 16 steps of 32 units, one thread: 2.3x ND4J's rows per second at 32, 0.77 at 128, 0.41 at 1,024).
     * Training takes the Java pass at any batch size (1.3x at batch 256: no forward pass computed twice).
     */
    static final int JAVA_INFERENCE_MAX_BATCH = 64;

    private final boolean weightGradients;

    private ContiguousLstmHelper(boolean weightGradients) {
        this.weightGradients = weightGradients;
    }

    /** Runs {@code pass} with the helper in every stock LSTM of the graph (inside wrappers such as LastTimeStep too; Bidirectional's halves stay DL4J's) that has none. */
    public static <T> T whileInferring(ComputationGraph graph, Supplier<T> pass) {
        List<LSTM> installed = new ArrayList<>();
        try {
            if (HELPER != null && graph.getLayers() != null) {
                for (Layer l : graph.getLayers()) install(l, installed, false);
            }
            return pass.get();
        } finally {
            for (LSTM l : installed) set(l, null);
        }
    }

    /**
     * Puts the helper in every stock LSTM of a graph that trains, for good: its forward passes keep what
     * {@link #backpropGradient} reads, so DL4J neither recomputes the forward pass step by step nor walks strided blocks.
     */
    public static void installForTraining(ComputationGraph graph) {
        if (HELPER != null && graph.getLayers() != null) {
            for (Layer l : graph.getLayers()) install(l, new ArrayList<>(), false);
        }
    }

    private static void install(Layer l, List<LSTM> installed, boolean frozen) {
        if (l instanceof BaseWrapperLayer w) {
            install(w.getUnderlying(), installed, frozen || l instanceof FrozenLayer || l instanceof FrozenLayerWithBackprop);
        } else if (l != null && l.getClass() == LSTM.class && get(l) == null) {
            set(l, frozen ? FROZEN : INSTANCE);
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
        if (maskArray != null || peepholes || input.rank() != 3) return null;
        IActivation afn = ((org.deeplearning4j.nn.conf.layers.BaseLayer) conf.getLayer()).getActivationFn();
        if (!ELEMENTWISE.contains(afn.getClass()) || !ELEMENTWISE.contains(gateFn.getClass())) return null;
        boolean tanhSigmoid = afn.getClass() == ActivationTanH.class && gateFn.getClass() == ActivationSigmoid.class;
        // The backward pass below knows tanh and sigmoid's derivatives only: any other pair trains through DL4J.
        if (forBackprop && !tanhSigmoid) return null;
        DataType type = input.dataType();
        long batch = input.size(0);
        long in = input.size(1);
        int steps = (int) input.size(2);
        long units = recurrentWeights.size(0);
        if (inputWeights.size(0) != in || inputWeights.size(1) != 4 * units || biases.length() != 4 * units) return null;
        // Inference of a small LSTM: on batch columns in Java, at any batch size; training (and larger
        // LSTMs at small batches) take the whole pass on the heap below, which keeps the training pass for the backward one.
        if (!training && !forBackprop && tanhSigmoid && SmallLstmInference.suits(input, units)) {
            return SmallLstmInference.forward(input, inputWeights, recurrentWeights, biases, prevOutput, prevCell, forwards, workspaceMgr);
        }
        if (tanhSigmoid && type == DataType.FLOAT && (training || forBackprop || batch <= JAVA_INFERENCE_MAX_BATCH)) {
            // DL4J computes a training forward pass twice, for the activations and again inside the backward pass
            // (its LSTM turns its own cache off): the second time, the first pass serves when it ran on the same arrays.
            boolean reusable = (training || forBackprop) && layer != null && withoutWeightNoise(conf)
                    && prevOutputIsZero(prevOutput, prevCell);
            Operands operands = reusable ? Operands.of(input, inputWeights, recurrentWeights, biases, forwards) : null;
            if (forBackprop && reusable) {
                KeptInJava kept = takeTrainingPass(layer, operands);
                if (kept != null) return kept;
            }
            FwdPassReturn r = inJava(input, recurrentWeights, inputWeights, biases, prevOutput, prevCell, forBackprop || training, forwards,
                    workspaceMgr);
            if (training && !forBackprop && reusable) keepTrainingPass(layer, (KeptInJava) r, operands);
            return r;
        }

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
        // Kept for the backward pass: every step's activated gates, cell state and activated cell state.
        Stored kept = forBackprop ? new Stored(x, kernel, recurrent, Nd4j.create(type, steps, 4 * units, batch),
                Nd4j.create(type, steps, units, batch), Nd4j.create(type, steps, units, batch), h, c, forwards) : null;
        INDArray oneZ = forBackprop ? null : Nd4j.create(type, 4 * units, batch);
        for (int i = 0; i < steps; i++) {
            int t = forwards ? i : steps - 1 - i;
            INDArray z = forBackprop ? step(kept.z, t) : oneZ;
            Nd4j.gemm(kernel, step(x, t), z, false, false, 1.0, 0.0);
            Nd4j.gemm(recurrent, h, z, false, false, 1.0, 1.0);
            INDArray blockInput = rows(z, 0, units);
            INDArray forget = rows(z, units, 2 * units);
            INDArray out = rows(z, 2 * units, 3 * units);
            INDArray inputGate = rows(z, 3 * units, 4 * units);
            if (tanhSigmoid) {
                // tanh(x) = 2·sigmoid(2x) - 1: ND4J's tanh costs five times its sigmoid per element, and so the block
                // input's rows and the gates' take one sigmoid over the whole block
                blockInput.muli(2);
                SIGMOID.getActivation(z, false);
                blockInput.muli(2).subi(1);
            } else {
                afn.getActivation(blockInput, false);
                gateFn.getActivation(rows(z, units, 4 * units), false);
            }
            INDArray ht = step(byStep, t);
            INDArray activatedCell;
            if (forBackprop) {
                INDArray ct = step(kept.c, t);
                ct.assign(c).muli(forget);
                ct.addi(blockInput.mul(inputGate));
                c = ct;
                activatedCell = step(kept.activatedCell, t);
            } else {
                c.muli(forget);
                c.addi(blockInput.muli(inputGate));
                activatedCell = ht;
            }
            activatedCell.assign(c);
            if (tanhSigmoid) {
                activatedCell.muli(2);
                SIGMOID.getActivation(activatedCell, false);
                activatedCell.muli(2).subi(1);
            } else {
                afn.getActivation(activatedCell, false);
            }
            if (activatedCell != ht) ht.assign(activatedCell);
            ht.muli(out);
            h = ht;
        }
        FwdPassReturn r = forBackprop ? kept : new FwdPassReturn();
        r.fwdPassOutput = output;
        r.lastAct = h.transpose();
        r.lastMemCell = c.transpose();
        return r;
    }

    /**
     * Backpropagation through time over what {@link #activate} kept, in the same transposed layout: per step (last
     * first) the gate deltas from the output's and the later step's errors, the kernel's gradient (bias included, as
     * its last column) and the recurrent kernel's accumulated by matrix products, the error passed to the input and to
     * the earlier step. Only for passes this helper made; DL4J's own passes backpropagate through DL4J.
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(NeuralNetConfiguration conf, IActivation gateFn, INDArray input, INDArray recurrentWeights,
                                                      INDArray inputWeights, INDArray epsilon, boolean truncatedBPTT, int tbpttBackwardLength,
                                                      FwdPassReturn fwdPass, boolean forwards, String inputWeightKey, String recurrentWeightKey,
                                                      String biasWeightKey, Map<String, INDArray> gradientViews, INDArray maskArray,
                                                      boolean peepholes, LayerWorkspaceMgr workspaceMgr) {
        if (truncatedBPTT && (fwdPass instanceof Stored || fwdPass instanceof KeptInJava)) {
            throw new UnsupportedOperationException("graft's LSTM does not train with truncated backpropagation through time");
        }
        if (fwdPass instanceof KeptInJava j && maskArray == null) return backwardInJava(j.pass, epsilon, inputWeightKey, recurrentWeightKey,
                biasWeightKey, gradientViews, workspaceMgr);
        if (!(fwdPass instanceof Stored s) || maskArray != null) return null;
        DataType type = s.z.dataType();
        int steps = (int) s.z.size(0);
        long units = s.c.size(1);
        long batch = s.c.size(2);
        long in = s.x.size(1) - 1;
        INDArray errors = epsilon.permute(2, 1, 0);   // [steps, units, batch]
        INDArray inputErrors = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, type, new long[] {batch, in, steps}, 'f');
        INDArray inputErrorsByStep = inputErrors.permute(2, 1, 0);
        INDArray outputs = s.fwdPassOutput.permute(2, 1, 0);
        INDArray kernelGradient = Nd4j.zeros(type, 4 * units, in + 1);
        INDArray recurrentGradient = Nd4j.zeros(type, 4 * units, units);
        INDArray inputKernel = s.kernel.get(NDArrayIndex.all(), NDArrayIndex.interval(0, in));
        INDArray dh = Nd4j.zeros(type, units, batch);
        INDArray dc = Nd4j.zeros(type, units, batch);
        INDArray dz = Nd4j.create(type, 4 * units, batch);
        INDArray dBlockInput = rows(dz, 0, units);
        INDArray dForget = rows(dz, units, 2 * units);
        INDArray dOut = rows(dz, 2 * units, 3 * units);
        INDArray dInputGate = rows(dz, 3 * units, 4 * units);
        for (int i = steps - 1; i >= 0; i--) {
            int t = s.forwards ? i : steps - 1 - i;
            int before = s.forwards ? t - 1 : t + 1;
            INDArray z = step(s.z, t);
            INDArray blockInput = rows(z, 0, units);
            INDArray forget = rows(z, units, 2 * units);
            INDArray out = rows(z, 2 * units, 3 * units);
            INDArray inputGate = rows(z, 3 * units, 4 * units);
            INDArray activatedCell = step(s.activatedCell, t);
            INDArray previousCell = i > 0 ? step(s.c, before) : s.c0;
            INDArray previousOutput = i > 0 ? step(outputs, before) : s.h0;

            dh.addi(step(errors, t));
            // h = o·tanh(c): the output gate's and the cell's share
            dOut.assign(dh).muli(activatedCell).muli(out.rsub(1).muli(out));
            dc.addi(activatedCell.mul(activatedCell).rsubi(1).muli(out).muli(dh));
            // c = f·c' + g·a
            dBlockInput.assign(dc).muli(inputGate).muli(blockInput.mul(blockInput).rsubi(1));
            dInputGate.assign(dc).muli(blockInput).muli(inputGate.rsub(1).muli(inputGate));
            dForget.assign(dc).muli(previousCell).muli(forget.rsub(1).muli(forget));
            dc.muli(forget);

            Nd4j.gemm(dz, step(s.x, t), kernelGradient, false, true, 1.0, 1.0);
            Nd4j.gemm(dz, previousOutput, recurrentGradient, false, true, 1.0, 1.0);
            Nd4j.gemm(inputKernel, dz, step(inputErrorsByStep, t), true, false, 1.0, 0.0);
            Nd4j.gemm(s.recurrent, dz, dh, true, false, 1.0, 0.0);
        }
        INDArray w = gradientViews.get(inputWeightKey);
        INDArray rw = gradientViews.get(recurrentWeightKey);
        INDArray b = gradientViews.get(biasWeightKey);
        w.assign(kernelGradient.get(NDArrayIndex.all(), NDArrayIndex.interval(0, in)).transpose());
        rw.assign(recurrentGradient.transpose());
        b.assign(kernelGradient.get(NDArrayIndex.all(), NDArrayIndex.point(in)).dup().reshape(b.shape()));
        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(inputWeightKey, w);
        g.gradientForVariable().put(recurrentWeightKey, rw);
        g.gradientForVariable().put(biasWeightKey, b);
        return new Pair<>(g, inputErrors);
    }

    /** The float tanh/sigmoid LSTM, forward, in plain Java ({@link JavaLstmPass}). */
    private static FwdPassReturn inJava(INDArray input, INDArray recurrentWeights, INDArray inputWeights, INDArray biases, INDArray prevOutput,
                                        INDArray prevCell, boolean forBackprop, boolean forwards, LayerWorkspaceMgr workspaceMgr) {
        int batch = (int) input.size(0);
        int in = (int) input.size(1);
        int steps = (int) input.size(2);
        int units = (int) recurrentWeights.size(0);
        JavaLstmPass pass = JavaLstmPass.forward(HeapFloats.read(input), batch, in, steps, HeapFloats.read(inputWeights),
                HeapFloats.read(recurrentWeights.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4 * units))),
                HeapFloats.read(biases), HeapFloats.read(prevOutput), HeapFloats.read(prevCell), forwards);
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[] {batch, units, steps}, 'c');
        float[] values = pass.outputs();
        new FloatPointer(output.data().addressPointer()).put(values, 0, values.length);
        FwdPassReturn r = forBackprop ? new KeptInJava(pass) : new FwdPassReturn();
        r.fwdPassOutput = output;
        r.lastAct = Nd4j.create(pass.lastOutput(), new long[] {batch, units}, 'c');
        r.lastMemCell = Nd4j.create(pass.lastCell(), new long[] {batch, units}, 'c');
        return r;
    }

    private Pair<Gradient, INDArray> backwardInJava(JavaLstmPass pass, INDArray epsilon, String inputWeightKey, String recurrentWeightKey,
                                                    String biasWeightKey, Map<String, INDArray> gradientViews, LayerWorkspaceMgr workspaceMgr) {
        JavaLstmPass.Gradients d = pass.backward(HeapFloats.read(epsilon), weightGradients);
        INDArray w = gradientViews.get(inputWeightKey);
        INDArray rw = gradientViews.get(recurrentWeightKey);
        INDArray b = gradientViews.get(biasWeightKey);
        if (weightGradients) {
            w.assign(Nd4j.create(d.kernel(), new long[] {pass.in, 4L * pass.units}, 'c'));
            rw.assign(Nd4j.create(d.recurrent(), new long[] {pass.units, 4L * pass.units}, 'c'));
            b.assign(Nd4j.create(d.bias(), b.shape(), 'c'));
        }
        INDArray inputErrors = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                new long[] {pass.batch, pass.in, pass.steps}, 'c');
        new FloatPointer(inputErrors.data().addressPointer()).put(d.input(), 0, d.input().length);
        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(inputWeightKey, w);
        g.gradientForVariable().put(recurrentWeightKey, rw);
        g.gradientForVariable().put(biasWeightKey, b);
        return new Pair<>(g, inputErrors);
    }

    /** A forward pass computed in Java, kept for {@link #backpropGradient}. */
    private static final class KeptInJava extends FwdPassReturn {
        final JavaLstmPass pass;
        Operands operands;

        KeptInJava(JavaLstmPass pass) {
            this.pass = pass;
        }
    }

    /**
     * Each layer's last training forward pass, until its backward pass takes it. Layers are told apart by identity:
     * DL4J's layers hash their input array's values.
     */
    private static final List<KeptFor> TRAINING_PASSES = new ArrayList<>();

    private record KeptFor(java.lang.ref.WeakReference<Layer> layer, KeptInJava pass) {
    }

    private static void keepTrainingPass(Layer layer, KeptInJava pass, Operands operands) {
        pass.operands = operands;
        synchronized (TRAINING_PASSES) {
            TRAINING_PASSES.removeIf(k -> k.layer.get() == null || k.layer.get() == layer);
            TRAINING_PASSES.add(new KeptFor(new java.lang.ref.WeakReference<>(layer), pass));
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong REUSED = new java.util.concurrent.atomic.AtomicLong();

    private static KeptInJava takeTrainingPass(Layer layer, Operands operands) {
        KeptInJava kept = null;
        synchronized (TRAINING_PASSES) {
            for (java.util.Iterator<KeptFor> i = TRAINING_PASSES.iterator(); i.hasNext(); ) {
                KeptFor k = i.next();
                if (k.layer.get() == layer) {
                    kept = k.pass;
                    i.remove();
                }
            }
        }
        if (kept == null || !operands.equals(kept.operands)) return null;
        REUSED.incrementAndGet();
        return kept;
    }

    /** How many backward passes took their layer's training forward pass instead of computing it again (for tests). */
    static long trainingPassesReused() {
        return REUSED.get();
    }

    /** Weight noise draws new weights for each pass: a pass is then never the same twice. */
    private static boolean withoutWeightNoise(NeuralNetConfiguration conf) {
        return conf.getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b && b.getWeightNoise() == null;
    }

    /** The state a training pass starts from: zeros (not a state carried over from an earlier sequence). */
    private static boolean prevOutputIsZero(INDArray prevOutput, INDArray prevCell) {
        return prevOutput != null && prevCell != null && prevOutput.amaxNumber().doubleValue() == 0 && prevCell.amaxNumber().doubleValue() == 0;
    }

    /** What a forward pass computed from: the very arrays (same memory, same view of it), so the same values within one training step. */
    private record Operands(List<Object> buffers, List<String> views, boolean forwards) {
        static Operands of(INDArray input, INDArray inputWeights, INDArray recurrentWeights, INDArray biases, boolean forwards) {
            List<Object> buffers = new ArrayList<>();
            List<String> views = new ArrayList<>();
            for (INDArray a : new INDArray[] {input, inputWeights, recurrentWeights, biases}) {
                buffers.add(a.data());
                views.add(a.offset() + java.util.Arrays.toString(a.shape()) + java.util.Arrays.toString(a.stride()));
            }
            return new Operands(buffers, views, forwards);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Operands other) || forwards != other.forwards || !views.equals(other.views)) return false;
            for (int i = 0; i < buffers.size(); i++) if (buffers.get(i) != other.buffers.get(i)) return false;
            return true;
        }

        @Override
        public int hashCode() {
            return views.hashCode();
        }
    }

    private static INDArray step(INDArray byStep, long t) {
        return byStep.get(NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all());
    }

    private static INDArray rows(INDArray m, long from, long to) {
        return m.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /** A forward pass kept for {@link #backpropGradient}, every array in the helper's transposed layout. */
    private static final class Stored extends FwdPassReturn {
        final INDArray x;
        final INDArray kernel;
        final INDArray recurrent;
        final INDArray z;
        final INDArray c;
        final INDArray activatedCell;
        final INDArray h0;
        final INDArray c0;
        final boolean forwards;

        Stored(INDArray x, INDArray kernel, INDArray recurrent, INDArray z, INDArray c, INDArray activatedCell, INDArray h0, INDArray c0,
               boolean forwards) {
            this.x = x;
            this.kernel = kernel;
            this.recurrent = recurrent;
            this.z = z;
            this.c = c;
            this.activatedCell = activatedCell;
            this.h0 = h0;
            this.c0 = c0;
            this.forwards = forwards;
        }
    }

    @Override
    public boolean checkSupported(IActivation gateFn, IActivation activationFn, boolean peepholes) {
        return !peepholes && ELEMENTWISE.contains(gateFn.getClass()) && ELEMENTWISE.contains(activationFn.getClass());
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
