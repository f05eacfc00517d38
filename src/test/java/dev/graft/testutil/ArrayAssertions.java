package dev.graft.testutil;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import java.nio.file.Path;
import java.util.Arrays;

/** Numeric checks the tests share. */
public final class ArrayAssertions {
    private ArrayAssertions() {
    }

    /** Same shape, and every element within {@code tolerance} (absolute). */
    public static void assertClose(HostArray expected, HostArray actual, double tolerance) {
        assertTrue(Arrays.equals(expected.shape(), actual.shape()),
                "shape " + Arrays.toString(actual.shape()) + " vs expected " + Arrays.toString(expected.shape()));
        double worst = 0;
        for (long i = 0; i < expected.size(); i++) worst = Math.max(worst, Math.abs(expected.getDouble(i) - actual.getDouble(i)));
        assertTrue(worst <= tolerance, "max abs difference " + worst + " > " + tolerance);
    }

    /** A binary classifier's accuracy (threshold 0.5) on inputs and 0/1 labels. */
    public static double binaryAccuracy(Path model, HostArray x, HostArray y) {
        float[] p = EngineModel.ofKeras(ModelFiles.read(model)).predict(x)[0].toFloatArray();
        float[] l = y.toFloatArray();
        int hits = 0;
        for (int i = 0; i < p.length; i++) hits += (p[i] > 0.5f) == (l[i] > 0.5f) ? 1 : 0;
        return (double) hits / p.length;
    }
}
