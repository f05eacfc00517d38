package dev.graft.format.hdf5;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import io.jhdf.object.message.DataLayout;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reading through jhdf, the pure-Java HDF5 reader. Every size a file declares is checked against
 * the file's length and graft's limits before anything is allocated, and every failure inside the
 * parser (a corrupt structure ends in whatever exception the parser meets) becomes an
 * {@link H5Exception} naming the object.
 */
final class JhdfReads {
    /** Arrays graft holds are Java arrays: at most this many elements. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 16;
    /** A compressed dataset may expand to at most this many times the file's length. */
    static final long MAX_EXPANSION = 1000;

    private JhdfReads() {
    }

    /** Runs a parser call, turning whatever a corrupt structure makes it throw into an H5Exception. */
    static <T> T guarded(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (H5Exception e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            String m = e.getMessage();
            String why = e instanceof io.jhdf.exceptions.HdfException && m != null
                    ? firstLine(m)
                    : "damaged structure: " + e.getClass().getSimpleName() + (m == null ? "" : ": " + firstLine(m));
            throw new H5Exception(what + " (" + why + ")");
        }
    }

    private static String firstLine(String m) {
        String s = m.split("\n", 2)[0];
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    static Node node(Group root, String where, String relPath) {
        return guarded("cannot open " + where, () -> {
            String p = relPath.startsWith("/") ? relPath.substring(1) : relPath;
            return p.isEmpty() ? root : root.getByPath(p);
        });
    }

    static boolean exists(Group g, String relPath) {
        try {
            node(g, relPath, relPath);
            return true;
        } catch (H5Exception e) {
            return false;
        }
    }

    /** Child names in byte order, as libhdf5 lists them by name. */
    static List<String> children(Group g, String where) {
        List<String> names = guarded("cannot list " + where, () -> new ArrayList<>(g.getChildren().keySet()));
        names.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        return names;
    }

    static boolean hasAttribute(Node n, String name, String where) {
        return guarded("cannot read the attributes of " + where, () -> n.getAttributes().containsKey(name));
    }

    /** A string attribute's values; null when it is not a string; empty for an empty numeric array. */
    static List<String> strings(Node n, String name, String where, long fileLength) {
        String what = "cannot read attribute " + name + " of " + where;
        return guarded(what, () -> {
            Attribute a = n.getAttribute(name);
            if (a == null) return null;
            DataType t = a.getDataType();
            long count = a.isScalar() ? 1 : a.getSize();
            if (!(t instanceof StringData) && !(t instanceof io.jhdf.object.datatype.VariableLength)) {
                return count == 0 || a.isEmpty() ? List.of() : null;
            }
            if (t instanceof io.jhdf.object.datatype.VariableLength vl && !vl.getJavaType().equals(String.class)) return null;
            if (count < 0 || count > fileLength) throw new H5Exception(what + ": it declares " + count + " strings in a " + fileLength + "-byte file");
            if (t instanceof StringData && count * (long) t.getSize() > fileLength) {
                throw new H5Exception(what + ": it declares " + count * (long) t.getSize() + " bytes in a " + fileLength + "-byte file");
            }
            Object data = a.getData();
            List<String> out = new ArrayList<>();
            flattenStrings(data, out);
            return out;
        });
    }

    private static void flattenStrings(Object data, List<String> out) {
        if (data == null) return;
        if (data instanceof String s) {
            out.add(s);
        } else if (data.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(data); i++) flattenStrings(Array.get(data, i), out);
        } else {
            out.add(String.valueOf(data));
        }
    }

    static Dataset dataset(Group g, String relPath, String where) {
        Node n = node(g, where, relPath);
        if (!(n instanceof Dataset d)) throw new H5Exception("no dataset " + where);
        return d;
    }

    static H5DatasetInfo info(Dataset d, String where, long fileLength) {
        return guarded("cannot read dataset " + where, () -> {
            long[] shape = shapeOf(d);
            DType dtype = dtypeOf(d.getDataType(), where);
            checkDeclaredSize(d, shape, dtype, where, fileLength);
            return new H5DatasetInfo(where, shape, dtype);
        });
    }

    private static long[] shapeOf(Dataset d) {
        int[] dims = d.getDimensions();
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) throw new H5Exception("negative dimension " + dims[i]);
            shape[i] = dims[i];
        }
        return shape;
    }

    /**
     * A dataset may not declare more elements than graft can hold, nor more bytes than the file
     * could store: uncompressed data lies in the file, and compression is bounded by a ratio.
     */
    static void checkDeclaredSize(Dataset d, long[] shape, DType dtype, String where, long fileLength) {
        long n = 1;
        for (long dim : shape) {
            if (dim != 0 && n > MAX_ELEMENTS / dim) {
                throw new H5Exception(where + " declares a shape " + Arrays.toString(shape) + " with more elements than graft reads ("
                        + MAX_ELEMENTS + ")");
            }
            n *= dim;
        }
        long elementBytes = Math.max(1, d.getDataType().getSize());
        long bytes = n * elementBytes;
        boolean compressed = d.getDataLayout() == DataLayout.CHUNKED && !d.getFilters().isEmpty();
        long room = compressed ? fileLength * MAX_EXPANSION : fileLength;
        if (bytes > room) {
            throw new H5Exception(where + " declares " + n + " elements (" + bytes + " bytes) but the file holds only " + fileLength
                    + " bytes");
        }
    }

    static DType dtypeOf(DataType t, String where) {
        int size = t.getSize();
        if (t instanceof FloatingPoint) {
            if (size == 2) return DType.FLOAT16;
            if (size == 4) return DType.FLOAT32;
            if (size == 8) return DType.FLOAT64;
        } else if (t instanceof FixedPoint fp) {
            if (size == 1) return fp.isSigned() ? DType.INT32 : DType.UINT8;
            if (size <= 4) return DType.INT32;
            if (size == 8) return DType.INT64;
        } else if (t instanceof EnumDataType && size == 1) {
            return DType.BOOL; // h5py stores numpy bool as a 1-byte enum
        } else if (t instanceof StringData) {
            return DType.STRING;
        }
        throw new H5Exception(where + ": unsupported element type (HDF5 class " + t.getDataClass() + ", " + size + " bytes)");
    }

    /** Reads a numeric dataset whole, after checking its declared size. */
    static HostArray read(Dataset d, String where, long fileLength) {
        H5DatasetInfo info = info(d, where, fileLength);
        long[] shape = info.shape();
        DType dtype = info.dtype();
        if (dtype == DType.STRING) throw new H5Exception(where + " holds strings, not numbers");
        int n = (int) info.size();
        return guarded("cannot read dataset " + where, () -> {
            Object flat = n == 0 ? null : d.getDataFlat();
            switch (dtype) {
                case FLOAT64:
                    return HostArray.ofDoubles(shape, n == 0 ? new double[0] : (double[]) asArray(flat, double.class, n, where));
                case FLOAT32:
                    return HostArray.ofFloats(shape, n == 0 ? new float[0] : (float[]) asArray(flat, float.class, n, where));
                case FLOAT16:
                    return HostArray.ofHalfs(shape, n == 0 ? new float[0] : (float[]) asArray(flat, float.class, n, where));
                case BOOL:
                    return HostArray.ofLongs(dtype, shape, n == 0 ? new long[0] : booleans(flat, n, where));
                default:
                    return HostArray.ofLongs(dtype, shape, n == 0 ? new long[0] : longs(flat, n, where, dtype == DType.UINT8));
            }
        });
    }

    /** True when the stored elements are little-endian and laid out exactly as graft writes {@code dtype}. */
    static boolean storedAs(DataType t, DType dtype) {
        if (t.getSize() != dtype.bytes()) return false;
        if (t instanceof FloatingPoint fp) {
            // IEEE layouts only (a bfloat16 is also two bytes).
            int[] expMant = dtype == DType.FLOAT16 ? new int[] {5, 10} : dtype == DType.FLOAT32 ? new int[] {8, 23}
                    : dtype == DType.FLOAT64 ? new int[] {11, 52} : null;
            return expMant != null && fp.getByteOrder() == java.nio.ByteOrder.LITTLE_ENDIAN && fp.getExponentSize() == expMant[0]
                    && fp.getMantissaSize() == expMant[1];
        }
        if (t instanceof FixedPoint fx) {
            if (fx.getByteOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) return false;
            return fx.isSigned() ? dtype == DType.INT32 || dtype == DType.INT64 : dtype == DType.UINT8;
        }
        return false;
    }

    /** A block of a dataset (its declared size already checked), read by jhdf's slicing, flattened. */
    static HostArray slice(Dataset d, long[] start, int[] dims, DType dtype, String where) {
        long[] shape = new long[dims.length];
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
            n *= dims[i];
        }
        int size = (int) n;
        return guarded("cannot read dataset " + where, () -> {
            Object data = d.getData(start, dims);
            switch (dtype) {
                case FLOAT64: {
                    double[] out = new double[size];
                    int filled = flatten(data, out, 0);
                    if (filled != size) throw new H5Exception("cannot read dataset " + where + ": unexpected block size");
                    return HostArray.ofDoubles(shape, out);
                }
                case FLOAT32:
                case FLOAT16: {
                    float[] out = new float[size];
                    int filled = flatten(data, out, 0);
                    if (filled != size) throw new H5Exception("cannot read dataset " + where + ": unexpected block size");
                    return dtype == DType.FLOAT16 ? HostArray.ofHalfs(shape, out) : HostArray.ofFloats(shape, out);
                }
                default: {
                    List<Object> values = new ArrayList<>();
                    collect(data, values);
                    if (values.size() != size) throw new H5Exception("cannot read dataset " + where + ": unexpected block size");
                    Object flat = values.toArray();
                    return HostArray.ofLongs(dtype, shape, dtype == DType.BOOL ? booleans(flat, size, where)
                            : longs(flat, size, where, dtype == DType.UINT8));
                }
            }
        });
    }

    /** Copies a (possibly multi-dimensional) primitive array into {@code out} from {@code at}; returns the next index. */
    private static int flatten(Object data, Object out, int at) {
        Class<?> c = data.getClass().getComponentType();
        if (c != null && c.isPrimitive()) {
            int n = Array.getLength(data);
            if (out instanceof float[] f && data instanceof float[] src) {
                System.arraycopy(src, 0, f, at, n);
            } else if (out instanceof double[] o && data instanceof double[] src) {
                System.arraycopy(src, 0, o, at, n);
            } else {
                for (int i = 0; i < n; i++) {
                    Number v = (Number) Array.get(data, i);
                    if (out instanceof float[] f) f[at + i] = v.floatValue();
                    else ((double[]) out)[at + i] = v.doubleValue();
                }
            }
            return at + n;
        }
        for (int i = 0; i < Array.getLength(data); i++) at = flatten(Array.get(data, i), out, at);
        return at;
    }

    private static void collect(Object data, List<Object> out) {
        if (data != null && data.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(data); i++) collect(Array.get(data, i), out);
        } else {
            out.add(data);
        }
    }

    private static Object asArray(Object flat, Class<?> component, int n, String where) {
        if (flat != null && !flat.getClass().isArray() && n == 1) {
            Object one = Array.newInstance(component, 1);
            Array.set(one, 0, flat);
            return one;
        }
        if (flat == null || flat.getClass().getComponentType() != component || Array.getLength(flat) != n) {
            throw new H5Exception("cannot read dataset " + where + ": unexpected element layout");
        }
        return flat;
    }

    private static long[] longs(Object flat, int n, String where, boolean unsigned) {
        long[] out = new long[n];
        boolean array = flat != null && flat.getClass().isArray();
        if ((array ? Array.getLength(flat) : 1) != n) throw new H5Exception("cannot read dataset " + where + ": unexpected element count");
        for (int i = 0; i < n; i++) {
            Object v = array ? Array.get(flat, i) : flat;
            long x;
            if (v instanceof Number num) {
                x = num instanceof java.math.BigInteger big ? big.longValue() : num.longValue();
            } else {
                throw new H5Exception("cannot read dataset " + where + ": unexpected element type");
            }
            out[i] = unsigned && v instanceof Byte ? x & 0xff : x;
        }
        return out;
    }

    private static long[] booleans(Object flat, int n, String where) {
        long[] out = new long[n];
        boolean array = flat != null && flat.getClass().isArray();
        if ((array ? Array.getLength(flat) : 1) != n) throw new H5Exception("cannot read dataset " + where + ": unexpected element count");
        for (int i = 0; i < n; i++) {
            Object v = array ? Array.get(flat, i) : flat;
            if (v instanceof Boolean b) {
                out[i] = b ? 1 : 0;
            } else if (v instanceof Number num) {
                out[i] = num.longValue() != 0 ? 1 : 0;
            } else {
                String s = String.valueOf(v).toUpperCase(java.util.Locale.ROOT);
                out[i] = s.equals("TRUE") || s.equals("1") ? 1 : 0;
            }
        }
        return out;
    }
}
