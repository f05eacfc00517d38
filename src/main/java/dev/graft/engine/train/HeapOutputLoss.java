package dev.graft.engine.train;

import dev.graft.engine.layers.DenseStage;
import java.util.function.Supplier;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * An output layer's loss in heap training: from its pre-activation output (rows of {@code width} values), the batch's
 * loss (summed over the rows, as the engine's {@code computeScore(..., average = false)}) and its gradient by the
 * pre-activations. Binary cross-entropy after a sigmoid and categorical cross-entropy after a softmax are computed on the
 * heap; every other loss is the output layer's
 * own {@link ILossFunction}, called as the engine's output layer calls it.
 */
abstract class HeapOutputLoss {
    /** The loss's sum over the rows; fills {@code gradient} (rows × width) with its gradient by the pre-activations. */
    abstract double scoreAndGradient(float[] preOutput, int rows, int width, Supplier<INDArray> labels, Supplier<float[]> labelValues, float[] gradient);

    static HeapOutputLoss of(ILossFunction loss, IActivation activation) {
        HeapOutputLoss heap = SigmoidCrossentropy.of(loss, activation);
        if (heap == null) heap = SoftmaxCrossentropy.of(loss, activation);
        return heap != null ? heap : new Engine(loss, activation);
    }

    /** The output layer's own loss function on arrays, as the engine's output layer calls it. */
    private static final class Engine extends HeapOutputLoss {
        private final ILossFunction loss;
        private final IActivation activation;

        Engine(ILossFunction loss, IActivation activation) {
            this.loss = loss;
            this.activation = activation;
        }

        @Override
        double scoreAndGradient(float[] preOutput, int rows, int width, Supplier<INDArray> labels, Supplier<float[]> labelValues, float[] gradient) {
            INDArray pre = Nd4j.create(preOutput, new long[] {rows, width}, 'c');
            INDArray lab = labels.get();
            // (a loss may apply the activation to the array it is given in place: each call gets its own, as the engine's calls do)
            INDArray g = loss.computeGradient(lab, pre.dup(), activation, null);
            double score = loss.computeScore(lab, pre, activation, null, false);
            float[] values = g.dup('c').data().asFloat();
            System.arraycopy(values, 0, gradient, 0, gradient.length);
            return score;
        }
    }

    /**
     * The engine's binary cross-entropy ({@code LossBinaryXENT}) after a sigmoid, as it computes it: the output
     * clipped to [eps, 1 - eps]; each element's score y·log(o) + (1 − y)·log(1 − o), times the output's weight, the
     * batch's loss minus their sum; the gradient (o − y) / (o·(1 − o)) through the sigmoid's derivative s·(1 − s) of
     * the unclipped output, times the weight. Each operation rounded to float as the engine's are.
     */
    private static final class SigmoidCrossentropy extends HeapOutputLoss {
        private final float low, high;
        private final float[] weights;

        private SigmoidCrossentropy(double clipEps, float[] weights) {
            this.low = (float) clipEps;
            this.high = (float) (1 - clipEps);
            this.weights = weights;
        }

        static SigmoidCrossentropy of(ILossFunction loss, IActivation activation) {
            if (loss.getClass() != LossBinaryXENT.class || !(activation instanceof ActivationSigmoid)) return null;
            LossBinaryXENT x = (LossBinaryXENT) loss;
            if (!(x.getClipEps() > 0)) return null;
            return new SigmoidCrossentropy(x.getClipEps(), x.getWeights() == null ? null : x.getWeights().castTo(DataType.FLOAT).dup('c').data().asFloat());
        }

        @Override
        double scoreAndGradient(float[] z, int rows, int width, Supplier<INDArray> labels, Supplier<float[]> labelValues, float[] grad) {
            float[] y = labelValues.get();
            if (weights != null && weights.length != width) throw new IllegalStateException("loss weights for " + weights.length + " outputs, " + width + " given");
            if (y.length != rows * width) throw new IllegalStateException(y.length + " labels for " + rows + " rows of " + width + " outputs");
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < width; j++) {
                    int i = r * width + j;
                    float s = DenseStage.sigmoid(z[i]);
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

    /**
     * The engine's categorical cross-entropy ({@code LossMCXENT}, also what Keras's {@code categorical_crossentropy},
     * {@link KerasProbabilityLoss}, is on a softmax output) after a softmax, as it computes it: the softmax
     * {@code exp(z - max) / sum}, clipped to [eps, 1 - eps] for the score only, the batch's loss minus the sum of
     * {@code y·log(p)}; the gradient by the pre-activations {@code p − y} of the unclipped softmax.
     */
    private static final class SoftmaxCrossentropy extends HeapOutputLoss {
        private final float low, high;

        private SoftmaxCrossentropy(double clipEps) {
            this.low = (float) clipEps;
            this.high = (float) (1 - clipEps);
        }

        static SoftmaxCrossentropy of(ILossFunction loss, IActivation activation) {
            if (!(activation instanceof ActivationSoftmax)) return null;
            ILossFunction engine = loss instanceof KerasProbabilityLoss k && !k.sparse ? k.engine() : loss;
            if (engine.getClass() != LossMCXENT.class) return null;
            LossMCXENT x = (LossMCXENT) engine;
            return x.getWeights() == null && x.getSoftmaxClipEps() >= 0 ? new SoftmaxCrossentropy(x.getSoftmaxClipEps()) : null;
        }

        @Override
        double scoreAndGradient(float[] z, int rows, int width, Supplier<INDArray> labels, Supplier<float[]> labelValues, float[] grad) {
            float[] y = labelValues.get();
            if (y.length != rows * width) throw new IllegalStateException(y.length + " labels for " + rows + " rows of " + width + " outputs");
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                int base = r * width;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < width; j++) max = Math.max(max, z[base + j]);
                float total = 0f;
                for (int j = 0; j < width; j++) {
                    float e = (float) Math.exp(z[base + j] - max);
                    grad[base + j] = e;
                    total += e;
                }
                for (int j = 0; j < width; j++) {
                    float p = grad[base + j] / total;
                    float yj = y[base + j];
                    if (low > 0) sum += (float) Math.log(Math.min(Math.max(p, low), high)) * yj;
                    else sum += (float) Math.log(p) * yj;
                    grad[base + j] = p - yj;
                }
            }
            return -sum;
        }
    }
}
