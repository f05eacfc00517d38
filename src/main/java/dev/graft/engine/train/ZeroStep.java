package dev.graft.engine.train;

import java.util.Collections;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The updater of a frozen vertex the error must pass through (graft's attention layers, the LSTM with states, after a
 * layer that learns): its step is exactly zero, so {@code params - 0} leaves the weights bit for bit as they were while
 * the vertex still runs its backward pass for the layers before it. DL4J's {@code FrozenVertex} would keep the weights
 * too but passes no error back; its {@code NoOp} leaves the gradient as the step. It has no learning rate (a schedule
 * does not touch it) and equals only itself, so the engine never groups its parameters with another updater's.
 */
final class ZeroStep implements IUpdater {
    @Override
    public long stateSize(long numParams) {
        return 0;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        return new Step(this);
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        return new Step(this);
    }

    @Override
    public ZeroStep clone() {
        return new ZeroStep();
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return Double.NaN;
    }

    @Override
    public boolean hasLearningRate() {
        return false;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        throw new UnsupportedOperationException("a frozen vertex has no learning rate");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZeroStep;
    }

    @Override
    public int hashCode() {
        return ZeroStep.class.hashCode();
    }

    private record Step(ZeroStep config) implements GradientUpdater<ZeroStep> {
        @Override
        public ZeroStep getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        }

        @Override
        public Map<String, INDArray> getState() {
            return Collections.emptyMap();
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        }

        /** The update the engine subtracts from the parameters: zero, whatever the gradient. */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            gradient.assign(0);
        }
    }
}
