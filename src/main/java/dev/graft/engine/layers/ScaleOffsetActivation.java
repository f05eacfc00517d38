package dev.graft.engine.layers;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code x * scale + offset} element-wise, as a DL4J activation: what Keras's {@code Rescaling} computes. In place, like DL4J's own. */
public class ScaleOffsetActivation extends BaseActivationFunction {
    private double scale = 1;
    private double offset;

    /** For JSON deserialisation (DL4J configurations and zips). */
    protected ScaleOffsetActivation() {
    }

    public ScaleOffsetActivation(double scale, double offset) {
        this.scale = scale;
        this.offset = offset;
    }

    public double getScale() { return scale; }
    public void setScale(double scale) { this.scale = scale; }
    public double getOffset() { return offset; }
    public void setOffset(double offset) { this.offset = offset; }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return in.muli(scale).addi(offset);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        in.assign(epsilon.mul(scale));
        return new Pair<>(in, null);
    }

    @Override
    public String toString() {
        return "scale_offset(" + scale + ", " + offset + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaleOffsetActivation s && s.scale == scale && s.offset == offset;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(scale) * 31 + Double.hashCode(offset);
    }
}
