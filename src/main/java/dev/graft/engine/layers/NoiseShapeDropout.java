package dev.graft.engine.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code Dropout(rate, noise_shape=...)} in training: one keep-or-drop draw per element of a mask shaped
 * {@code noise_shape} (a None entry taking the input's size there), broadcast over the axes given as 1, the kept values
 * scaled by 1/(1 - rate) (the backends' {@code random.dropout}). With {@code noise_shape=(None, 1, C)} a
 * sequence's feature keeps or drops at every step together. DL4J's Keras import keeps Keras's arrays as they are (its
 * formats only label them: {@link KerasArrayAxes}), so the mask's axes are Keras's; the forward pass checks that the
 * array it gets has Keras's rank and known sizes, and fails rather than mask other axes.
 *
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON.
 */
public class NoiseShapeDropout implements IDropout {
    /** The probability of keeping a mask element. */
    public double p;
    /** Keras's noise_shape, batch first; -1 for a None entry (the input's size). */
    public long[] noiseShape;
    /** Keras's input shape, batch first; -1 where it is not known before the batch comes. */
    public long[] inputShape;
    private transient INDArray mask;

    public NoiseShapeDropout() {
    }

    public NoiseShapeDropout(double p, long[] noiseShape, long[] inputShape) {
        if (!(p > 0 && p <= 1) || noiseShape.length != inputShape.length) {
            throw new IllegalArgumentException("dropout keeping " + p + " with noise shape " + Arrays.toString(noiseShape) + " on " + Arrays.toString(inputShape));
        }
        this.p = p;
        this.noiseShape = noiseShape.clone();
        this.inputShape = inputShape.clone();
    }

    /** Keras's {@code noise_shape} as numbers, -1 for None; null when it is not a list of those. */
    public static long[] parse(com.fasterxml.jackson.databind.JsonNode noise) {
        if (noise == null || !noise.isArray()) return null;
        long[] out = new long[noise.size()];
        for (int i = 0; i < out.length; i++) {
            com.fasterxml.jackson.databind.JsonNode v = noise.get(i);
            if (v.isNull()) out[i] = -1;
            else if (v.isIntegralNumber() && v.asLong() > 0) out[i] = v.asLong();
            else return null;
        }
        return out;
    }

    /**
     * Whether Keras's mask of this noise shape broadcasts to inputs of this shape whatever the batch: each entry None,
     * 1 or the input's known size (the batch's None or 1).
     */
    public static boolean broadcasts(long[] noise, long[] input) {
        if (noise.length != input.length) return false;
        for (int i = 0; i < noise.length; i++) {
            if (noise[i] == -1 || noise[i] == 1) continue;
            if (i == 0 || input[i] <= 0 || noise[i] != input[i]) return false;
        }
        return true;
    }

    /** The mask's shape for an input of this shape: the input's size where the noise shape says None or that size, 1 where it says 1. */
    long[] maskShape(long[] input) {
        if (input.length != noiseShape.length) throw new IllegalStateException("dropout noise shape " + Arrays.toString(noiseShape) + " on a rank-" + input.length + " array");
        long[] out = new long[input.length];
        for (int i = 0; i < input.length; i++) {
            if (i > 0 && inputShape[i] > 0 && input[i] != inputShape[i]) {
                throw new IllegalStateException("dropout noise shape " + Arrays.toString(noiseShape) + " for Keras's " + Arrays.toString(inputShape)
                        + " on an array shaped " + Arrays.toString(input));
            }
            long n = noiseShape[i];
            if (n == 1) out[i] = 1;
            else if (n < 0 || n == input[i]) out[i] = input[i];
            else throw new IllegalStateException("dropout noise shape " + Arrays.toString(noiseShape) + " does not broadcast to " + Arrays.toString(input));
        }
        return out;
    }

    @Override
    public INDArray applyDropout(INDArray inputActivations, INDArray output, int iteration, int epoch, LayerWorkspaceMgr workspaceMgr) {
        // outside the workspaces: the backward pass reads it
        mask = Nd4j.createUninitializedDetached(output.dataType(), maskShape(inputActivations.shape())).assign(1.0);
        Nd4j.getExecutioner().exec(new DropOutInverted(mask, p));
        output.assign(inputActivations.mul(mask.broadcast(inputActivations.shape())));
        return output;
    }

    @Override
    public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        gradAtInput.assign(gradAtOutput.mul(mask.broadcast(gradAtOutput.shape())));
        mask = null;
        return gradAtInput;
    }

    @Override
    public void clear() {
        mask = null;
    }

    @Override
    public NoiseShapeDropout clone() {
        return new NoiseShapeDropout(p, noiseShape, inputShape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseShapeDropout d && d.p == p && Arrays.equals(d.noiseShape, noiseShape) && Arrays.equals(d.inputShape, inputShape);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(p) * 31 + Arrays.hashCode(noiseShape);
    }
}
