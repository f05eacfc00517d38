package dev.graft.engine.train;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * A Keras 3 optimizer as the engine's updater configuration: the hyper-parameters of one
 * {@link OptimizerSettings}, and the number of state arrays Keras keeps per variable. The update
 * itself is {@link KerasUpdaterStep}. Weight decay and gradient clipping act on whole variables
 * (and on all of them at once), so they are not here but in {@link KerasGradientHooks}.
 *
 * <p>Public fields and a no-argument constructor: the engine copies configurations through JSON.
 */
public final class KerasUpdater implements IUpdater {
    public OptimizerKind kind = OptimizerKind.ADAM;
    public double learningRate = 0.001;
    public double beta1 = 0.9;
    public double beta2 = 0.999;
    public double epsilon = 1e-7;
    public double rho = 0.9;
    public double momentum;
    public boolean nesterov;
    public boolean centered;
    public boolean amsgrad;
    public double initialAccumulatorValue = 0.1;

    public KerasUpdater() {
    }

    public static KerasUpdater of(OptimizerSettings s) {
        KerasUpdater u = new KerasUpdater();
        u.kind = s.kind();
        u.learningRate = s.learningRate();
        Map<String, Object> v = s.values();
        if (v.containsKey("beta_1")) u.beta1 = s.number("beta_1");
        if (v.containsKey("beta_2")) u.beta2 = s.number("beta_2");
        if (v.containsKey("epsilon")) u.epsilon = s.number("epsilon");
        if (v.containsKey("rho")) u.rho = s.number("rho");
        if (v.containsKey("momentum")) u.momentum = s.number("momentum");
        if (v.containsKey("initial_accumulator_value")) u.initialAccumulatorValue = s.number("initial_accumulator_value");
        u.nesterov = s.flag("nesterov");
        u.centered = s.flag("centered");
        u.amsgrad = s.flag("amsgrad");
        return u;
    }

    /** How many arrays the size of the variable Keras keeps for it. */
    int stateArrays() {
        switch (kind) {
            case SGD: return momentum != 0 ? 1 : 0;
            case ADAM: case ADAMW: return amsgrad ? 3 : 2;
            case RMSPROP: return 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0);
            case ADAGRAD: return 1;
            default: return 2; // Adadelta, Adamax, Nadam
        }
    }

    @Override
    public long stateSize(long numParams) {
        return stateArrays() * numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        KerasUpdaterStep step = new KerasUpdaterStep(this);
        // The engine hands a row of all state arrays for a block of parameters; each array is a row the block's length.
        int n = stateArrays();
        if (viewArray != null && n > 0) step.setStateViewArray(viewArray, new long[] {1, viewArray.length() / n}, 'c', initializeViewArray);
        return step;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        KerasUpdaterStep step = new KerasUpdaterStep(this);
        step.setState(updaterState, initializeStateArrays);
        return step;
    }

    @Override
    public KerasUpdater clone() {
        KerasUpdater u = new KerasUpdater();
        u.kind = kind;
        u.learningRate = learningRate;
        u.beta1 = beta1;
        u.beta2 = beta2;
        u.epsilon = epsilon;
        u.rho = rho;
        u.momentum = momentum;
        u.nesterov = nesterov;
        u.centered = centered;
        u.amsgrad = amsgrad;
        u.initialAccumulatorValue = initialAccumulatorValue;
        return u;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        if (lrSchedule != null) throw new UnsupportedOperationException("Keras optimizers in graft take no learning-rate schedule");
        this.learningRate = lr;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasUpdater u && u.kind == kind && u.learningRate == learningRate && u.beta1 == beta1 && u.beta2 == beta2
                && u.epsilon == epsilon && u.rho == rho && u.momentum == momentum && u.nesterov == nesterov && u.centered == centered
                && u.amsgrad == amsgrad && u.initialAccumulatorValue == initialAccumulatorValue;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, learningRate, beta1, beta2, epsilon, rho, momentum, nesterov, centered, amsgrad, initialAccumulatorValue);
    }

    @Override
    public String toString() {
        return "Keras " + kind.kerasClass() + "(learning_rate=" + learningRate + ")";
    }
}
