package dev.graft.engine;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Converts between graft's heap arrays and ND4J arrays (row-major on both sides). */
public final class Tensors {
    private Tensors() {
    }

    public static INDArray toNd4j(HostArray a, DataType type) {
        long[] shape = a.shape();
        if (type == DataType.DOUBLE) return Nd4j.create(a.toDoubleArray(), shape, 'c');
        if (type == DataType.FLOAT && a.floatData() != null) {
            // one bulk copy into ND4J's memory: Nd4j.create(float[]) moves element by element
            INDArray x = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
            x.data().asNioFloat().put(a.floatData());
            return x;
        }
        return Nd4j.create(a.toFloatArray(), shape, 'c');
    }

    public static HostArray fromNd4j(INDArray a) {
        // Layers hand out permuted views whose buffers are not in row-major order: copy always.
        INDArray c = a.dup('c');
        long[] shape = c.shape();
        if (c.dataType() == DataType.DOUBLE) return HostArray.ofDoubles(shape, c.data().asDouble());
        if (c.dataType() == DataType.FLOAT) {
            float[] values = new float[Math.toIntExact(c.length())];
            c.data().asNioFloat().get(values);   // one bulk copy: asFloat() moves element by element
            return HostArray.ofFloats(shape, values);
        }
        return HostArray.ofFloats(shape, c.castTo(DataType.FLOAT).data().asFloat());
    }

    public static DType dtypeOf(DataType t) {
        return t == DataType.DOUBLE ? DType.FLOAT64 : t == DataType.HALF ? DType.FLOAT16 : DType.FLOAT32;
    }
}
