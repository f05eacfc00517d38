package dev.graft.format.dl4j;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J arrays as graft's host arrays: a row-major copy, of the element type graft reports. */
final class NdArrays {
    private NdArrays() {
    }

    /** The type a parameter of this ND4J type is reported (and copied) as; bfloat16 widens to float32. */
    static DType dtypeOf(DataType t) {
        switch (t) {
            case DOUBLE: return DType.FLOAT64;
            case FLOAT: case BFLOAT16: return DType.FLOAT32;
            case HALF: return DType.FLOAT16;
            case INT: return DType.INT32;
            case LONG: return DType.INT64;
            case UBYTE: return DType.UINT8;
            case BOOL: return DType.BOOL;
            default: throw new IllegalArgumentException("graft has no element type for ND4J " + t);
        }
    }

    static HostArray copy(INDArray a) {
        long[] shape = a.shape();
        // DL4J keeps most weights in 'f' order; flattened in 'c' order they are the row-major sequence
        // HostArray holds. (Not ravel('c') nor reshape('c', n): in ND4J M2.1 these end up in
        // reshape(long...), taking the char for a dimension of 99.)
        INDArray flat = Nd4j.toFlattened('c', a);
        DType dtype = dtypeOf(a.dataType());
        switch (dtype) {
            case FLOAT64: return HostArray.ofDoubles(shape, flat.toDoubleVector());
            case FLOAT32: return HostArray.ofFloats(shape, flat.toFloatVector());
            case FLOAT16: return HostArray.ofHalfs(shape, flat.toFloatVector());
            default: return HostArray.ofLongs(dtype, shape, flat.toLongVector());
        }
    }
}
