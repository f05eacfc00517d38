package dev.graft.engine.layers;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The backward pass of a PReLU, {@code f(x) = x} for {@code x > 0} and {@code alpha * x} otherwise, for an
 * {@code alpha} of the per-sample shape with size 1 on the shared axes (DL4J's {@code PReLULayer} parameter, which
 * its forward pass broadcasts over the batch and those axes). ND4J 1.0.0-M2.1's {@code prelu_bp} refuses inputs
 * longer than 64 times alpha (a PReLU sharing its alpha over an image's rows and columns), so graft computes it here:
 * {@code dL/dx = g} where {@code x > 0}, else {@code alpha * g}; {@code dL/dalpha} = the sum of {@code g * x} where
 * {@code x <= 0} over the batch and the shared axes.
 */
public final class PReLUGradients {
    /** The gradients with respect to the input (the input's shape) and to alpha (alpha's shape). */
    public record Result(INDArray input, INDArray alpha) {
    }

    private PReLUGradients() {
    }

    /**
     * @param x       the layer's input, {@code (batch, d1, ..., dk)}
     * @param alpha   {@code (d1, ..., dk)} with 1 on the shared axes
     * @param epsilon the loss gradient with respect to the output, x's shape
     */
    public static Result of(INDArray x, INDArray alpha, INDArray epsilon) {
        long[] shape = x.shape();
        if (alpha.rank() != shape.length - 1) {
            throw new IllegalArgumentException("PReLU alpha of shape " + Arrays.toString(alpha.shape())
                    + " for an input of shape " + Arrays.toString(shape));
        }
        long[] broadcastShape = new long[shape.length];
        broadcastShape[0] = 1;
        for (int i = 1; i < shape.length; i++) broadcastShape[i] = alpha.size(i - 1);
        INDArray alphaEverywhere = alpha.reshape(broadcastShape).broadcast(shape);
        INDArray positive = x.gt(0).castTo(x.dataType());
        // g where x > 0, alpha * g elsewhere: g * (positive + (1 - positive) * alpha)
        INDArray slope = positive.rsub(1.0).muli(alphaEverywhere).addi(positive);
        INDArray inputGradient = epsilon.mul(slope);
        // g * x where x <= 0 (x * (1 - positive)), summed over the batch and every axis alpha is shared along
        INDArray negativePart = x.mul(positive.rsub(1.0));
        INDArray perElement = epsilon.mul(negativePart);
        int[] summed = summedAxes(shape, broadcastShape);
        INDArray alphaGradient = perElement.sum(true, summed).reshape(alpha.shape());
        return new Result(inputGradient, alphaGradient.castTo(alpha.dataType()));
    }

    /** The batch axis and every axis where alpha has size 1 and the input does not. */
    private static int[] summedAxes(long[] shape, long[] broadcastShape) {
        return IntStream.range(0, shape.length)
                .filter(i -> i == 0 || (broadcastShape[i] == 1 && shape[i] != 1)).toArray();
    }
}
