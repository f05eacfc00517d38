package dev.graft.engine.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Keras 3.15's {@code update_step} of each optimizer, operation for operation
 * ({@code keras/src/optimizers/*.py}): turns a variable's gradient, in place, into the amount the
 * engine subtracts from the variable. {@code iteration} is Keras's {@code optimizer.iterations}
 * (0 at the first step), so Keras's {@code local_step} is {@code iteration + 1}.
 *
 * <p>The engine may hand several variables at once (one contiguous block with one configuration):
 * every rule here is element-wise, so that is the same as one variable at a time.
 */
final class KerasUpdaterStep implements GradientUpdater<KerasUpdater> {
    private static final String[] NAMES = {"s0", "s1", "s2"};

    private final KerasUpdater c;
    private INDArray[] state = new INDArray[0];
    /** The same step on the heap, in one pass, where it computes it. */
    private final HeapUpdaterStep heap;
    /** Nadam's running product of its momentum schedule, and the step it belongs to. */
    private double uProduct = 1;
    private int uProductStep;

    KerasUpdaterStep(KerasUpdater config) {
        this.c = config;
        this.heap = new HeapUpdaterStep(config);
    }

    @Override
    public KerasUpdater getConfig() {
        return c;
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        int n = c.stateArrays();
        state = new INDArray[n];
        if (n == 0) return;
        INDArray flat = viewArray.reshape(viewArray.length());
        long size = flat.length() / n;
        for (int i = 0; i < n; i++) {
            INDArray part = flat.get(NDArrayIndex.interval(i * size, (i + 1) * size));
            state[i] = part; // rank 1: applyUpdater works on the gradient as one row of numbers
        }
        if (initialize) {
            for (INDArray s : state) s.assign(0);
            if (c.kind == OptimizerKind.ADAGRAD) state[0].assign(c.initialAccumulatorValue);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int i = 0; i < state.length; i++) m.put(NAMES[i], state[i]);
        return m;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        state = new INDArray[c.stateArrays()];
        for (int i = 0; i < state.length; i++) state[i] = stateMap.get(NAMES[i]);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (heap.update(gradient, state, iteration)) return;
        double lr = c.learningRate;
        int t = iteration + 1;
        INDArray g = gradient.reshape(gradient.length());
        INDArray update;
        switch (c.kind) {
            case SGD: update = sgd(g, lr); break;
            case ADAM: case ADAMW: update = adam(g, lr, t); break;
            case RMSPROP: update = rmsprop(g, lr); break;
            case ADAGRAD: update = adagrad(g, lr); break;
            case ADADELTA: update = adadelta(g, lr); break;
            case ADAMAX: update = adamax(g, lr, t); break;
            case NADAM: update = nadam(g, lr, t); break;
            default: throw new IllegalStateException(String.valueOf(c.kind));
        }
        gradient.assign(update.reshape(gradient.shape()));
    }

    /** m = momentum·m − lr·g; the variable moves by m (or, Nesterov, by momentum·m − lr·g). */
    private INDArray sgd(INDArray g, double lr) {
        if (c.momentum == 0) return g.mul(lr);
        INDArray m = state[0];
        INDArray lrG = g.mul(lr);
        m.muli(c.momentum).subi(lrG);
        return c.nesterov ? lrG.subi(m.mul(c.momentum)) : m.neg();
    }

    /** Keras's Adam: epsilon added to sqrt(v) after the bias correction is folded into the rate. */
    private INDArray adam(INDArray g, double lr, int t) {
        INDArray m = state[0], v = state[1];
        double alpha = lr * Math.sqrt(1 - Math.pow(c.beta2, t)) / (1 - Math.pow(c.beta1, t));
        m.addi(g.sub(m).muli(1 - c.beta1));
        v.addi(g.mul(g).subi(v).muli(1 - c.beta2));
        INDArray vv = v;
        if (c.amsgrad) {
            Transforms.max(state[2], v, false);
            vv = state[2];
        }
        return m.mul(alpha).divi(Transforms.sqrt(vv, true).addi(c.epsilon));
    }

    /** Keras's RMSprop: epsilon inside the square root. */
    private INDArray rmsprop(INDArray g, double lr) {
        INDArray vel = state[0];
        vel.muli(c.rho).addi(g.mul(g).muli(1 - c.rho));
        INDArray denominator = vel.add(c.epsilon);
        int next = 1;
        if (c.centered) {
            INDArray avg = state[c.momentum > 0 ? 2 : 1];
            avg.muli(c.rho).addi(g.mul(1 - c.rho));
            denominator.subi(avg.mul(avg));
        }
        INDArray increment = g.mul(lr).divi(Transforms.sqrt(denominator, false));
        if (c.momentum > 0) {
            INDArray mom = state[next];
            mom.muli(c.momentum).addi(increment);
            return mom.dup();
        }
        return increment;
    }

    /** Keras's Adagrad: the accumulator starts at initial_accumulator_value; epsilon inside the root. */
    private INDArray adagrad(INDArray g, double lr) {
        INDArray acc = state[0];
        acc.addi(g.mul(g));
        return g.mul(lr).divi(Transforms.sqrt(acc.add(c.epsilon), false));
    }

    /** Keras's Adadelta, learning rate included (Keras scales the step by it; its default is 0.001). */
    private INDArray adadelta(INDArray g, double lr) {
        INDArray accGrad = state[0], accDelta = state[1];
        accGrad.muli(c.rho).addi(g.mul(g).muli(1 - c.rho));
        INDArray delta = Transforms.sqrt(accDelta.add(c.epsilon), false).muli(g).divi(Transforms.sqrt(accGrad.add(c.epsilon), false));
        accDelta.muli(c.rho).addi(delta.mul(delta).muli(1 - c.rho));
        return delta.muli(lr);
    }

    private INDArray adamax(INDArray g, double lr, int t) {
        INDArray m = state[0], u = state[1];
        m.addi(g.sub(m).muli(1 - c.beta1));
        u.muli(c.beta2);
        Transforms.max(u, Transforms.abs(g, true), false);
        return m.mul(lr).divi(u.add(c.epsilon).muli(1 - Math.pow(c.beta1, t)));
    }

    /** Keras's Nadam: momentum schedule u_t = beta_1 (1 − 0.5·0.96^t), and its running product. */
    private INDArray nadam(INDArray g, double lr, int t) {
        double uT = c.beta1 * (1 - 0.5 * Math.pow(0.96, t));
        double uT1 = c.beta1 * (1 - 0.5 * Math.pow(0.96, t + 1));
        double productT = uProductAt(t);
        double productT1 = productT * uT1;
        INDArray m = state[0], v = state[1];
        m.addi(g.sub(m).muli(1 - c.beta1));
        v.addi(g.mul(g).subi(v).muli(1 - c.beta2));
        INDArray mHat = m.mul(uT1 / (1 - productT1)).addi(g.mul((1 - uT) / (1 - productT)));
        INDArray vHat = v.div(1 - Math.pow(c.beta2, t));
        return mHat.muli(lr).divi(Transforms.sqrt(vHat, false).addi(c.epsilon));
    }

    private double uProductAt(int t) {
        if (t < uProductStep) {
            uProduct = 1;
            uProductStep = 0;
        }
        while (uProductStep < t) {
            uProductStep++;
            uProduct *= c.beta1 * (1 - 0.5 * Math.pow(0.96, uProductStep));
        }
        return uProduct;
    }

    /**
     * The update rules of Adam, SGD and RMSprop on one variable held on the heap, for the training steps graft
     * computes in plain Java ({@link HeapChainTrainer}): the same operations as above in the same order, each
     * rounded to float as the engine's element-wise operations round them (a scalar argument is taken as a
     * float, as the engine takes it), so the numbers are those of the engine's path.
     */
    static final class Floats {
        private final KerasUpdater c;
        private final float[][] state;

        Floats(KerasUpdater config, int size) {
            this.c = config;
            state = new float[config.stateArrays()][size];
        }

        /** Whether {@link #update} computes this optimizer. */
        static boolean computes(KerasUpdater c) {
            return c.kind == OptimizerKind.SGD || c.kind == OptimizerKind.ADAM || c.kind == OptimizerKind.ADAMW || c.kind == OptimizerKind.RMSPROP;
        }

        /** Turns the gradient {@code g}, in place, into the amount subtracted from the variable; {@code iteration} as in {@link #applyUpdater}. */
        void update(float[] g, int iteration) {
            update(c, state, g, iteration);
        }

        /**
         * As {@link #update(float[], int)}, for the optimizer {@code c} with the state arrays {@code state} (as many as
         * {@link KerasUpdater#stateArrays}, each the variable's length, in {@link KerasUpdaterStep}'s order), updated in place.
         */
        static void update(KerasUpdater c, float[][] state, float[] g, int iteration) {
            double lr = c.learningRate;
            switch (c.kind) {
                case SGD: sgd(c, state, g, lr); break;
                case ADAM: case ADAMW: adam(c, state, g, lr, iteration + 1); break;
                case RMSPROP: rmsprop(c, state, g, lr); break;
                default: throw new IllegalStateException(String.valueOf(c.kind));
            }
        }

        private static void sgd(KerasUpdater c, float[][] state, float[] g, double lr) {
            float rate = (float) lr;
            if (c.momentum == 0) {
                for (int i = 0; i < g.length; i++) g[i] = g[i] * rate;
                return;
            }
            float[] m = state[0];
            float mom = (float) c.momentum;
            for (int i = 0; i < g.length; i++) {
                float lrG = g[i] * rate;
                m[i] = m[i] * mom - lrG;
                g[i] = c.nesterov ? lrG - m[i] * mom : -m[i];
            }
        }

        private static void adam(KerasUpdater c, float[][] state, float[] g, double lr, int t) {
            float[] m = state[0], v = state[1], vMax = c.amsgrad ? state[2] : null;
            float alpha = (float) (lr * Math.sqrt(1 - Math.pow(c.beta2, t)) / (1 - Math.pow(c.beta1, t)));
            float oneMinusBeta1 = (float) (1 - c.beta1), oneMinusBeta2 = (float) (1 - c.beta2), eps = (float) c.epsilon;
            for (int i = 0; i < g.length; i++) {
                float gi = g[i];
                m[i] = m[i] + (gi - m[i]) * oneMinusBeta1;
                v[i] = v[i] + (gi * gi - v[i]) * oneMinusBeta2;
                float vv = v[i];
                if (vMax != null) {
                    vMax[i] = Math.max(vMax[i], v[i]);
                    vv = vMax[i];
                }
                g[i] = m[i] * alpha / ((float) Math.sqrt(vv) + eps);
            }
        }

        private static void rmsprop(KerasUpdater c, float[][] state, float[] g, double lr) {
            float[] vel = state[0];
            float[] mom = c.momentum > 0 ? state[1] : null;
            float[] avg = c.centered ? state[c.momentum > 0 ? 2 : 1] : null;
            float rho = (float) c.rho, oneMinusRho = (float) (1 - c.rho), eps = (float) c.epsilon, rate = (float) lr, momentum = (float) c.momentum;
            for (int i = 0; i < g.length; i++) {
                float gi = g[i];
                vel[i] = vel[i] * rho + gi * gi * oneMinusRho;
                float denominator = vel[i] + eps;
                if (avg != null) {
                    avg[i] = avg[i] * rho + gi * oneMinusRho;
                    denominator = denominator - avg[i] * avg[i];
                }
                float increment = gi * rate / (float) Math.sqrt(denominator);
                if (mom != null) {
                    mom[i] = mom[i] * momentum + increment;
                    increment = mom[i];
                }
                g[i] = increment;
            }
        }
    }
}
