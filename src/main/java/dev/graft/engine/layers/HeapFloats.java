package dev.graft.engine.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float arrays between ND4J's memory and the heap in one bulk copy each way, for the inference paths that compute on
 * the heap: ND4J's own {@code asFloat()} and {@code createFromArray} move element by element through an indexer (JFR:
 * a tenth of a transformer block's predict time), and an array made inside a DL4J workspace is copied once more when
 * the layer hands it on.
 */
final class HeapFloats {
    private HeapFloats() {
    }

    /** The elements of float array {@code x} in row-major order (one copy, after a row-major copy of a view). */
    static float[] read(INDArray x) {
        return read(x, null);
    }

    /** As {@link #read(INDArray)}, into {@code into} when it has exactly their number (a buffer reused across batches). */
    static float[] read(INDArray x, float[] into) {
        int n = Math.toIntExact(x.length());
        float[] values = into != null && into.length == n ? into : new float[n];
        // also a view of a bigger buffer (a layer's parameters, a slice of the batch): read from its offset
        INDArray c = contiguous(x) ? x : x.dup('c');
        java.nio.FloatBuffer b = c.data().asNioFloat();
        b.position((int) c.offset());
        b.get(values, 0, n);
        return values;
    }

    /**
     * A float array of this shape holding {@code values} in row-major order, in the workspace DL4J has open (a layer
     * hands it on with {@code leverageTo}, one copy within workspace memory), else detached: a detached array of a
     * batch's activations is a fresh native allocation per pass (JFR: a sixth of a transformer block's predict time).
     */
    static INDArray array(float[] values, long... shape) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        a.data().asNioFloat().put(values);
        return a;
    }

    /** As {@link #array(float[], long...)}, made where DL4J keeps arrays of this type (no copy when the layer hands it on). */
    static INDArray array(LayerWorkspaceMgr workspaces, ArrayType type, float[] values, long... shape) {
        INDArray a = workspaces.createUninitialized(type, DataType.FLOAT, shape, 'c');
        a.data().asNioFloat().put(values);
        return a;
    }

    /**
     * Whether {@code x}'s elements lie in row-major order, one after the other, in its buffer from its offset: its
     * strides are the default ones wherever a dimension counts (a permuted array shares its buffer unchanged, so its
     * ordering flag says nothing).
     */
    static boolean contiguous(INDArray x) {
        if (x.data().dataType() != DataType.FLOAT || x.offset() + x.length() > x.data().length()) return false;
        long[] shape = x.shape(), stride = x.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; expected *= shape[d], d--) {
            if (shape[d] != 1 && stride[d] != expected) return false;
        }
        return true;
    }
}
