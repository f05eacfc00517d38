package dev.graft.engine.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float arrays between ND4J's memory and the heap in one bulk copy each way, for the inference paths that compute on
 * the heap: ND4J's own {@code asFloat()} and {@code createFromArray} move element by element through an indexer (JFR:
 * a tenth of a transformer block's predict time), and an array made inside a DL4J workspace is copied once more when
 * the layer hands it on. Arrays made here are detached from every workspace, which DL4J takes as they are.
 */
final class HeapFloats {
    private HeapFloats() {
    }

    /** The elements of float array {@code x} in row-major order (one copy, after a row-major copy of a view). */
    static float[] read(INDArray x) {
        INDArray c = plain(x) ? x : x.dup('c');
        float[] values = new float[(int) c.length()];
        c.data().asNioFloat().get(values);
        return values;
    }

    /** A float array of this shape holding {@code values} in row-major order, outside every workspace. */
    static INDArray array(float[] values, long... shape) {
        INDArray a;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        }
        a.data().asNioFloat().put(values);
        return a;
    }

    /** Whether {@code x}'s buffer holds exactly its elements in row-major order from its start. */
    static boolean plain(INDArray x) {
        return x.ordering() == 'c' && x.offset() == 0 && x.data().length() == x.length() && Shape.hasDefaultStridesForShape(x);
    }
}
