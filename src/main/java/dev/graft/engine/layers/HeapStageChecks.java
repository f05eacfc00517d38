package dev.graft.engine.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every heap stage family asks of a layer before computing it: the settings whose arithmetic no stage computes
 * (dropout that drops anything, weight noise, regularizers, constraints, gradient normalisation) are absent, the vertex
 * has no preprocessor, the parameters are float. A stage family returns null for any layer that fails these.
 */
public final class HeapStageChecks {
    private HeapStageChecks() {
    }

    /** A layer vertex without a preprocessor (the engine would reshape or mask the input before the layer). */
    static boolean plainVertex(GraphVertex vertex) {
        return vertex instanceof LayerVertex v && v.getPreProcessor() == null;
    }

    /**
     * No dropout on the layer's input that drops anything (DL4J's importer gives layers a dropout of p = 1, which keeps
     * every value), no weight noise, constraint, regularizer or gradient normalisation.
     */
    public static boolean plain(BaseLayer b) {
        return keepsEverything(b.getIDropout()) && plainApartFromDropout(b);
    }

    /** {@link #plain(BaseLayer)} but for the dropout: a DropoutLayer's own, which its stage computes. */
    public static boolean plainApartFromDropout(BaseLayer b) {
        if (b.getWeightNoise() != null) return false;
        if (b.getConstraints() != null && !b.getConstraints().isEmpty()) return false;
        if (b.getRegularization() != null && !b.getRegularization().isEmpty()) return false;
        if (b.getRegularizationBias() != null && !b.getRegularizationBias().isEmpty()) return false;
        return b.getGradientNormalization() == null || b.getGradientNormalization() == GradientNormalization.None;
    }

    /**
     * {@link #plain(BaseLayer)} for any layer: a layer without parameters (pooling, a wrapper) has no weight noise,
     * regularizer or gradient normalisation to ask about, but may still have an input dropout or constraints.
     */
    public static boolean plain(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof BaseLayer b) return plain(b);
        return keepsEverything(layer.getIDropout()) && (layer.getConstraints() == null || layer.getConstraints().isEmpty());
    }

    /** No dropout, or DL4J's plain dropout with p = 1 and no schedule. */
    public static boolean keepsEverything(IDropout dropout) {
        return dropout == null || dropout instanceof Dropout d && d.getClass() == Dropout.class && d.getP() == 1.0 && d.getPSchedule() == null;
    }

    /** libnd4j's plain ReLU, {@code max(0, z)} with derivative 1 where {@code z > 0}: no cap, threshold or slope. */
    static boolean plainRelu(IActivation a) {
        return a instanceof ActivationReLU r && (r.getMax() == null || Double.isInfinite(r.getMax()))
                && (r.getThreshold() == null || r.getThreshold() == 0) && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0);
    }

    /** The parameter of that name when it is a float array of that many dimensions; else null. */
    static INDArray floatParameter(Map<String, INDArray> params, String key, int rank) {
        INDArray p = params.get(key);
        return p != null && p.dataType() == DataType.FLOAT && p.rank() == rank ? p : null;
    }

    /** A copy of {@code values} written into the engine's array {@code param}, as its shape says (whatever its order). */
    static void copyInto(INDArray param, float[] values, int from) {
        float[] part = from == 0 && values.length == param.length() ? values
                : java.util.Arrays.copyOfRange(values, from, from + Math.toIntExact(param.length()));
        param.assign(org.nd4j.linalg.factory.Nd4j.create(part, param.shape(), 'c'));
    }
}
