package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * The optimizer step on the heap ({@link HeapUpdaterStep}) against the engine's element-wise operations
 * ({@link KerasUpdaterStep} with the heap step switched off) on the same gradients and state: a block that is a row of a
 * bigger flat gradient (as DL4J's updater blocks are), several steps so that the state carries over, the step and every
 * state array compared to float rounding (1e-6 relative: the same operations in the same order, an ND4J scalar op on
 * float data rounding as the heap's float arithmetic does).
 */
class HeapUpdaterStepTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "ADAM, ''",
            "ADAM, amsgrad",
            "ADAMW, ''",
            "SGD, ''",
            "SGD, momentum",
            "SGD, nesterov",
            "RMSPROP, ''",
            "RMSPROP, centered"})
    void stepsAsTheEngineDoes(OptimizerKind kind, String variant) {
        KerasUpdater c = new KerasUpdater();
        c.kind = kind;
        c.learningRate = 0.01;
        c.amsgrad = variant.equals("amsgrad");
        c.momentum = variant.equals("momentum") || variant.equals("nesterov") || variant.equals("centered") ? 0.9 : 0;
        c.nesterov = variant.equals("nesterov");
        c.centered = variant.equals("centered");
        int n = 1000, offset = 37;
        Nd4j.getRandom().setSeed(7);
        INDArray heapState = Nd4j.zeros(DataType.FLOAT, 1, c.stateSize(n));
        INDArray engineState = heapState.dup();
        GradientUpdater heap = c.instantiate(heapState, true);
        GradientUpdater engine = c.instantiate(engineState, true);
        for (int step = 0; step < 4; step++) {
            INDArray all = Nd4j.rand(DataType.FLOAT, 1, n + 2 * offset).subi(0.5).muli(step + 1);
            INDArray heapGradient = all.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + n)).reshape(1, n);
            INDArray engineGradient = heapGradient.dup();
            INDArray untouched = all.dup();
            heap.applyUpdater(heapGradient, step, 0);
            System.setProperty(HeapUpdaterStep.OFF, "true");
            try {
                engine.applyUpdater(engineGradient, step, 0);
            } finally {
                System.clearProperty(HeapUpdaterStep.OFF);
            }
            assertClose(engineGradient, heapGradient, "step " + step);
            assertClose(engineState, heapState, "state after step " + step);
            assertEquals(untouched.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, offset)), all.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, offset)),
                    "values before the block untouched");
            assertEquals(untouched.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset + n, n + 2 * offset)),
                    all.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset + n, n + 2 * offset)), "values after the block untouched");
        }
        INDArray[] views = new INDArray[c.stateArrays()];
        INDArray fresh = Nd4j.zeros(DataType.FLOAT, 1, c.stateSize(n));
        for (int i = 0; i < views.length; i++) views[i] = fresh.get(NDArrayIndex.point(0), NDArrayIndex.interval((long) i * n, (long) (i + 1) * n));
        assertTrue(new HeapUpdaterStep(c).update(Nd4j.rand(DataType.FLOAT, 1, n), views, 0), "computed on the heap, not by the engine");
        assertTrue(c.stateArrays() == 0 || heapState.norm1Number().doubleValue() > 0, "a state that moved");
    }

    @Test
    void leavesToTheEngineWhatItDoesNotCompute() {
        KerasUpdater nadam = new KerasUpdater();
        nadam.kind = OptimizerKind.NADAM;
        INDArray state = Nd4j.zeros(DataType.FLOAT, 2, 10);
        assertFalse(new HeapUpdaterStep(nadam).update(Nd4j.rand(DataType.FLOAT, 1, 10), new INDArray[] {state.getRow(0), state.getRow(1)}, 0), "Nadam");
        KerasUpdater adam = new KerasUpdater();
        INDArray doubles = Nd4j.rand(DataType.DOUBLE, 1, 10);
        assertFalse(new HeapUpdaterStep(adam).update(doubles, new INDArray[] {state.getRow(0), state.getRow(1)}, 0), "float64");
        INDArray strided = Nd4j.rand(DataType.FLOAT, 10, 2).getColumn(0);
        assertFalse(new HeapUpdaterStep(adam).update(strided, new INDArray[] {state.getRow(0), state.getRow(1)}, 0), "a strided view");
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        float[] e = expected.dup('c').data().asFloat(), a = actual.dup('c').data().asFloat();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            double tolerance = 1e-6 * Math.max(1e-6, Math.abs(e[i]));
            assertEquals(e[i], a[i], tolerance, what + ", value " + i);
        }
    }
}
