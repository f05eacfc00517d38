package dev.graft.engine.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.convolution.Convolution1DLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's stock channels-last {@code Conv1D} with one kernel tap and stride 1 (what the engine makes of a Keras
 * {@code Dense} on a sequence when nothing trains, so that zips open in any DL4J), computed in an inference pass as
 * what it is: one Dense on every step. DL4J's runtime permutes the sequence to NCW, runs ND4J's general convolution
 * and permutes back, then applies the activation to a strided view; JFR put two fifths of a transformer block's
 * predict time there. Here the {@code [batch·steps, in]} rows are multiplied by the kernel as feature columns
 * ({@link RowProducts}) and the layer's own activation function is applied to the contiguous result (identity and
 * plain relu on the heap).
 *
 * <p>DL4J's runtime object is swapped for this subclass of it by {@link #whileInferring} for one forward pass (the
 * same configuration and parameter arrays) and swapped back after; training passes, masks, other data types and any
 * configuration with more than one tap or a padding go to DL4J's own code. Networks keep DL4J's stock classes.
 */
public final class PointwiseConv1DInference extends Convolution1DLayer {
    /** The stand-in of each stock layer, made once (DL4J's constructor looks for native helpers). */
    private static final Map<Layer, PointwiseConv1DInference> STAND_INS = new WeakHashMap<>();
    /** Activations applied here rather than by an ND4J op: identity, and DL4J's relu without a cap, threshold or slope. */
    private static final IActivation IDENTITY = new ActivationIdentity();
    private static final IActivation RELU = new ActivationReLU();
    /** Whether this class computes DL4J's numbers for this layer: checked on the first pass. */
    private Boolean agrees;

    private PointwiseConv1DInference(Convolution1DLayer stock) {
        super(stock.conf(), stock.getParam(ConvolutionParamInitializer.WEIGHT_KEY).dataType());
        setIndex(stock.getIndex());
        setParamTable(stock.paramTable());
        setListeners(stock.getListeners());
    }

    /** Runs {@code pass} with every suitable stock 1-d convolution of the graph computed by this class. */
    public static <T> T whileInferring(ComputationGraph graph, Supplier<T> pass) {
        List<LayerVertex> swapped = new ArrayList<>();
        List<Layer> stock = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        try {
            GraphVertex[] vertices = graph.getVertices();
            Layer[] layers = graph.getLayers();
            if (vertices != null && layers != null) {
                for (GraphVertex v : vertices) {
                    if (!(v instanceof LayerVertex lv) || lv.getLayer() == null || lv.getLayer().getClass() != Convolution1DLayer.class) continue;
                    Convolution1DLayer c = (Convolution1DLayer) lv.getLayer();
                    if (!pointwise(c.layerConf())) continue;
                    int index = indexOf(layers, c);   // the graph's layer list, which is not indexed by the layer's own index
                    if (index < 0) continue;
                    PointwiseConv1DInference standIn;
                    synchronized (STAND_INS) {
                        standIn = STAND_INS.computeIfAbsent(c, k -> new PointwiseConv1DInference(c));
                    }
                    standIn.setParamTable(c.paramTable());   // the stock layer's current arrays (DL4J may have replaced its map)
                    lv.setLayer(standIn);
                    layers[index] = standIn;
                    swapped.add(lv);
                    stock.add(c);
                    slots.add(index);
                }
            }
            return pass.get();
        } finally {
            Layer[] layers = graph.getLayers();
            for (int i = 0; i < swapped.size(); i++) {
                swapped.get(i).setLayer(stock.get(i));
                layers[slots.get(i)] = stock.get(i);
            }
        }
    }

    /**
     * Stock layer {@code c} as a step of {@link HeapGraphInference} on {@code [steps, in]} samples in batch columns: the
     * same Dense on every step as {@link #direct}, with its identity or relu; null for any layer this class leaves to DL4J
     * (or whose activation is another).
     */
    static HeapGraphInference.Step columnStep(Convolution1DLayer c) {
        if (c.getClass() != Convolution1DLayer.class || !pointwise(c.layerConf())) return null;
        IActivation activation = c.layerConf().getActivationFn();
        boolean relu = RELU.equals(activation);
        if (!relu && !IDENTITY.equals(activation)) return null;
        PointwiseConv1DInference standIn;
        synchronized (STAND_INS) {
            standIn = STAND_INS.computeIfAbsent(c, k -> new PointwiseConv1DInference(c));
        }
        standIn.setParamTable(c.paramTable());
        if (!standIn.agreesWithStock()) return null;
        int in = (int) c.layerConf().getNIn();
        int n = (int) c.layerConf().getNOut();
        float[] kernel = RowProducts.floatValues(c.getParam(ConvolutionParamInitializer.WEIGHT_KEY));   // [in, out] in memory order
        float[] bias = c.layerConf().hasBias() ? RowProducts.floatValues(c.getParam(ConvolutionParamInitializer.BIAS_KEY)) : null;
        if (kernel == null || kernel.length != (long) in * n || (c.layerConf().hasBias() && (bias == null || bias.length != n))) return null;
        return x -> {
            HeapGraphInference.BatchColumns s = x[0];
            if (s.features() != in) return null;
            float[][] out = BatchColumnAttention.project(s.columns(), s.steps(), in, kernel, bias, n);
            if (relu) for (float[] o : out) ColumnKernels.relu(o, o.length);
            return new HeapGraphInference.BatchColumns(out, s.steps(), n, s.batch());
        };
    }

    private static int indexOf(Layer[] layers, Layer l) {
        for (int i = 0; i < layers.length; i++) if (layers[i] == l) return i;
        return -1;
    }

    /** One tap, stride 1, no padding, channels last: a Dense on every step (dilation changes nothing with one tap). */
    static boolean pointwise(org.deeplearning4j.nn.conf.layers.Convolution1DLayer conf) {
        int[] k = conf.getKernelSize();
        int[] s = conf.getStride();
        int[] p = conf.getPadding();
        boolean noPadding = conf.getConvolutionMode() == ConvolutionMode.Same || conf.getConvolutionMode() == ConvolutionMode.Causal
                || p == null || p.length == 0 || p[0] == 0;
        return k != null && k.length > 0 && k[0] == 1 && s != null && s.length > 0 && s[0] == 1 && noPadding
                && conf.getRnnDataFormat() == RNNFormat.NWC;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = training || maskArray != null || !agreesWithStock() ? null : direct(input, workspaceMgr);
        if (out == null) return super.activate(training, workspaceMgr);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    /**
     * Whether this class computes what DL4J's runtime does with this layer's parameters, checked once on a probe
     * sequence: DL4J's NWC convolution reads its {@code [out, in, 1, 1]} kernel array in memory order as
     * {@code [1, in, out]} (which is how the Keras import fills it), and should another DL4J read it otherwise, this
     * class leaves every pass to it rather than compute another number.
     */
    boolean agreesWithStock() {
        if (agrees == null) {
            int in = (int) layerConf().getNIn();
            INDArray probe = Nd4j.linspace(DataType.FLOAT, -1, 2.0 / (3 * in), 3 * in).reshape('c', 1, 3, in);
            INDArray kept = input;
            try (org.nd4j.linalg.api.memory.MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                setInput(probe, LayerWorkspaceMgr.noWorkspaces());
                INDArray stock = super.activate(false, LayerWorkspaceMgr.noWorkspaces()).dup('c');
                INDArray mine = direct(probe, LayerWorkspaceMgr.noWorkspaces());
                agrees = mine != null && java.util.Arrays.equals(stock.shape(), mine.shape())
                        && stock.equalsWithEps(mine, 1e-5 * Math.max(1.0, stock.amaxNumber().doubleValue()));
            } catch (RuntimeException e) {
                agrees = false;
            } finally {
                input = kept;
            }
        }
        return agrees;
    }

    /** The output for a float {@code [batch, steps, in]} input, or null for anything else. */
    private INDArray direct(INDArray x, LayerWorkspaceMgr workspaceMgr) {
        INDArray w = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray b = layerConf().hasBias() ? getParam(ConvolutionParamInitializer.BIAS_KEY) : null;
        int in = (int) layerConf().getNIn();
        int n = (int) layerConf().getNOut();
        if (x == null || x.dataType() != DataType.FLOAT || w.dataType() != DataType.FLOAT || x.rank() != 3 || x.size(2) != in) return null;
        if (w.length() != (long) in * n || (b != null && b.length() != n)) return null;
        int batch = (int) x.size(0);
        int steps = (int) x.size(1);
        float[] kernel = HeapFloats.read(w);   // [in, out] in memory order, as DL4J's NWC convolution reads it
        float[][] columns = RowProducts.times(RowProducts.columns(HeapFloats.read(x), batch * steps, in), kernel,
                b == null ? null : HeapFloats.read(b), n);
        IActivation activation = layerConf().getActivationFn();
        boolean inJava = IDENTITY.equals(activation) || RELU.equals(activation);
        if (RELU.equals(activation)) for (float[] c : columns) for (int r = 0; r < c.length; r++) c[r] = Math.max(c[r], 0f);
        INDArray pre = HeapFloats.array(workspaceMgr, ArrayType.ACTIVATIONS, RowProducts.rows(columns), (long) batch * steps, n);
        INDArray activated = inJava ? pre : activation.getActivation(pre, false);
        return activated.reshape('c', batch, steps, n);
    }
}
