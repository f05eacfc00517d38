package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code SpatialDropout1D/2D/3D} in training: whole channels dropped, each sample's channel kept with probability
 * {@code p} (scaled by 1/p, as inverted dropout) or zeroed at every position. DL4J's {@code SpatialDropout} drops along axis
 * 1, which is the channel axis of its own channels-first tensors but the rows (or steps) of the channels-last ones graft's
 * engine holds for Keras's channels-last layers; this one drops along the axis the tensor holds its channels in.
 *
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON.
 */
public class ChannelAxisDropout implements IDropout {
    /** The probability of keeping a channel. */
    public double p;
    /** The channel axis of the tensor as the engine holds it (batch first, 0). */
    public int axis;
    private transient INDArray mask;

    public ChannelAxisDropout() {
    }

    public ChannelAxisDropout(double p, int axis) {
        if (!(p > 0 && p <= 1) || axis < 1) throw new IllegalArgumentException("channel dropout keeping " + p + " along axis " + axis);
        this.p = p;
        this.axis = axis;
    }

    @Override
    public INDArray applyDropout(INDArray inputActivations, INDArray output, int iteration, int epoch, LayerWorkspaceMgr workspaceMgr) {
        if (axis >= inputActivations.rank()) {
            throw new IllegalStateException("channel dropout along axis " + axis + " of a rank-" + inputActivations.rank() + " tensor");
        }
        // outside the workspaces: the backward pass reads it, and a forward pass in training mode outside fit opens no input workspace
        mask = Nd4j.createUninitializedDetached(output.dataType(), inputActivations.size(0), inputActivations.size(axis)).assign(1.0);
        Nd4j.getExecutioner().exec(new DropOutInverted(mask, p));
        Broadcast.mul(inputActivations, mask, output, 0, axis);
        return output;
    }

    @Override
    public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        Broadcast.mul(gradAtOutput, mask, gradAtInput, 0, axis);
        mask = null;
        return gradAtInput;
    }

    @Override
    public void clear() {
        mask = null;
    }

    @Override
    public ChannelAxisDropout clone() {
        return new ChannelAxisDropout(p, axis);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelAxisDropout c && c.p == p && c.axis == axis;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(p) * 31 + axis;
    }
}
