package dev.graft.format.hdf5;

import static org.bytedeco.hdf5.global.hdf5.*;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A group (or the root) of an open HDF5 file: attributes, children, datasets. Paths are relative
 * to this group and may contain '/'. Every failure is an {@link H5Exception} naming the object.
 *
 * <p>A node of a file opened for reading is parsed by jhdf, in Java ({@link JhdfReads}): files
 * strangers made never reach libhdf5, which crashes, corrupts the heap or loops forever on
 * crafted or damaged files. A node of a file graft creates is libhdf5's, which writes the exact
 * layout Keras and DL4J expect.
 */
public class H5Node {
    protected final long id;
    protected final String path;
    /** The jhdf group when this node belongs to a file opened for reading; null for a file being written. */
    final io.jhdf.api.Group jg;
    /** Length of the HDF5 bytes being read: the bound for every size the file declares. */
    final long sourceLength;
    /** The file being written's byte copies, run once libhdf5 has closed it; null for a file being read. */
    final DeferredCopies deferred;

    H5Node(long id, String path, DeferredCopies deferred) {
        this.id = id;
        this.path = path;
        this.jg = null;
        this.sourceLength = -1;
        this.deferred = deferred;
    }

    H5Node(io.jhdf.api.Group jg, String path, long sourceLength) {
        this.id = -1;
        this.path = path;
        this.jg = jg;
        this.sourceLength = sourceLength;
        this.deferred = null;
    }

    public String path() {
        return path;
    }

    String child(String name) {
        return path.endsWith("/") ? path + name : path + "/" + name;
    }

    // ---- navigation -------------------------------------------------------------------------

    public boolean exists(String relPath) {
        if (jg != null) return JhdfReads.exists(jg, relPath);
        // H5Lexists fails (rather than answering false) when an intermediate group is missing.
        String[] parts = relPath.split("/");
        StringBuilder sofar = new StringBuilder();
        for (String p : parts) {
            if (p.isEmpty()) continue;
            if (sofar.length() > 0) sofar.append('/');
            sofar.append(p);
            if (H5Lexists(id, sofar.toString(), H5.DEFAULT) <= 0) return false;
        }
        return true;
    }

    public boolean isGroup(String relPath) {
        if (jg != null) return exists(relPath) && JhdfReads.node(jg, child(relPath), relPath) instanceof io.jhdf.api.Group;
        return exists(relPath) && objectType(relPath) == H5O_TYPE_GROUP;
    }

    public boolean isDataset(String relPath) {
        if (jg != null) return exists(relPath) && JhdfReads.node(jg, child(relPath), relPath) instanceof io.jhdf.api.Dataset;
        return exists(relPath) && objectType(relPath) == H5O_TYPE_DATASET;
    }

    private int objectType(String relPath) {
        long oid = H5.check(H5Oopen(id, relPath, H5.DEFAULT), "cannot open " + child(relPath));
        try {
            long gid = H5Gopen2(id, relPath, H5.DEFAULT);
            if (gid >= 0) {
                H5Gclose(gid);
                return H5O_TYPE_GROUP;
            }
            return H5O_TYPE_DATASET;
        } finally {
            H5Oclose(oid);
        }
    }

    public H5Group group(String relPath) {
        if (jg != null) {
            if (!(JhdfReads.node(jg, child(relPath), relPath) instanceof io.jhdf.api.Group g)) throw new H5Exception("no group " + child(relPath));
            return new H5Group(g, child(relPath), sourceLength);
        }
        long gid = H5.check(H5Gopen2(id, relPath, H5.DEFAULT), "no group " + child(relPath));
        return new H5Group(gid, child(relPath), deferred);
    }

    /** Names of the direct children, in the file's creation or name order. */
    public List<String> children() {
        if (jg != null) return JhdfReads.children(jg, path);
        List<String> names = new ArrayList<>();
        for (long i = 0; ; i++) {
            long len = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, (BytePointer) null, 0, H5.DEFAULT);
            if (len < 0) break;
            BytePointer buf = new BytePointer(len + 1);
            try {
                H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, buf, len + 1, H5.DEFAULT);
                names.add(cString(buf, len));
            } finally {
                buf.close();
            }
        }
        return names;
    }

    /** The name HDF5 wrote into {@code buf}: exactly {@code len} bytes, without the terminator. */
    private static String cString(BytePointer buf, long len) {
        byte[] b = new byte[(int) len];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- attributes -------------------------------------------------------------------------

    public boolean hasAttribute(String name) {
        if (jg != null) return JhdfReads.hasAttribute(jg, name, path);
        return H5Aexists(id, name) > 0;
    }

    /** A string attribute (scalar, or the first element of an array); null when absent or not a string. */
    public String stringAttribute(String name) {
        List<String> all = stringsAttribute(name);
        return all == null || all.isEmpty() ? null : all.get(0);
    }

    /**
     * All strings of a string attribute, fixed- or variable-length. Null when absent or not a
     * string; an empty list for the empty numeric arrays h5py writes for "no names".
     */
    public List<String> stringsAttribute(String name) {
        if (jg != null) return JhdfReads.strings(jg, name, path, sourceLength);
        if (!hasAttribute(name)) return null;
        long aid = H5.check(H5Aopen(id, name, H5.DEFAULT), "cannot open attribute " + name + " of " + path);
        long type = -1, space = -1;
        try {
            type = H5.check(H5Aget_type(aid), "attribute type " + name);
            space = H5.check(H5Aget_space(aid), "attribute space " + name);
            long n = elementCount(space);
            if (H5Tget_class(type) != H5T_STRING) return n == 0 ? List.of() : null;
            return H5Tis_variable_str(type) > 0 ? readVariableStrings(aid, H5Tget_cset(type), n, name) : readFixedStrings(aid, type, n);
        } finally {
            if (space >= 0) H5Sclose(space);
            if (type >= 0) H5Tclose(type);
            H5Aclose(aid);
        }
    }

    private List<String> readVariableStrings(long aid, int cset, long n, String name) {
        long mem = H5.check(H5Tcopy(H5.cString()), "string type");
        PointerPointer<BytePointer> ptrs = new PointerPointer<>(n);
        try {
            H5Tset_size(mem, H5T_VARIABLE);
            // HDF5 will not convert between character sets, so read in the one the file used.
            H5Tset_cset(mem, cset);
            H5.check(H5Aread(aid, mem, ptrs), "cannot read attribute " + name + " of " + path);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                BytePointer p = ptrs.get(BytePointer.class, i);
                out.add(p == null || p.isNull() ? "" : p.getString(StandardCharsets.UTF_8));
            }
            long space = H5Aget_space(aid);
            H5Treclaim(mem, space, H5.DEFAULT, ptrs);
            H5Sclose(space);
            return out;
        } finally {
            ptrs.close();
            H5Tclose(mem);
        }
    }

    private List<String> readFixedStrings(long aid, long type, long n) {
        int size = (int) H5Tget_size(type);
        BytePointer buf = new BytePointer(Math.max(1, n * size));
        try {
            H5.check(H5Aread(aid, type, buf), "cannot read attribute of " + path);
            byte[] all = new byte[(int) (n * size)];
            buf.get(all);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int end = i * size;
                while (end < (i + 1) * size && all[end] != 0) end++;
                out.add(new String(all, i * size, end - i * size, StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            buf.close();
        }
    }

    // ---- datasets ---------------------------------------------------------------------------

    public H5DatasetInfo datasetInfo(String relPath) {
        if (jg != null) return JhdfReads.info(JhdfReads.dataset(jg, relPath, child(relPath)), child(relPath), sourceLength);
        long did = H5.check(H5Dopen2(id, relPath, H5.DEFAULT), "no dataset " + child(relPath));
        long type = -1, space = -1;
        try {
            type = H5.check(H5Dget_type(did), "dataset type " + child(relPath));
            space = H5.check(H5Dget_space(did), "dataset space " + child(relPath));
            return new H5DatasetInfo(child(relPath), dims(space), dtypeOf(type, child(relPath)));
        } finally {
            if (space >= 0) H5Sclose(space);
            if (type >= 0) H5Tclose(type);
            H5Dclose(did);
        }
    }

    /** Reads a numeric dataset whole. float16 is widened to float (exactly). */
    public HostArray readDataset(String relPath) {
        if (jg != null) return JhdfReads.read(JhdfReads.dataset(jg, relPath, child(relPath)), child(relPath), sourceLength);
        long did = H5.check(H5Dopen2(id, relPath, H5.DEFAULT), "no dataset " + child(relPath));
        long type = -1, space = -1;
        try {
            type = H5.check(H5Dget_type(did), "dataset type " + child(relPath));
            space = H5.check(H5Dget_space(did), "dataset space " + child(relPath));
            long[] shape = dims(space);
            int n = Math.toIntExact(HostArray.size(shape));
            DType dtype = dtypeOf(type, child(relPath));
            String what = "cannot read dataset " + child(relPath);
            switch (dtype) {
                case FLOAT64: {
                    DoublePointer p = new DoublePointer(Math.max(1, n));
                    try {
                        if (n > 0) H5.check(H5Dread(did, H5.f64(), H5.ALL, H5.ALL, H5.DEFAULT, p), what);
                        double[] d = new double[n];
                        p.get(d);
                        return HostArray.ofDoubles(shape, d);
                    } finally {
                        p.close();
                    }
                }
                case FLOAT32:
                case FLOAT16: {
                    FloatPointer p = new FloatPointer(Math.max(1, n));
                    try {
                        if (n > 0) H5.check(H5Dread(did, H5.f32(), H5.ALL, H5.ALL, H5.DEFAULT, p), what);
                        float[] f = new float[n];
                        p.get(f);
                        return dtype == DType.FLOAT16 ? HostArray.ofHalfs(shape, f) : HostArray.ofFloats(shape, f);
                    } finally {
                        p.close();
                    }
                }
                case STRING:
                    throw new H5Exception(child(relPath) + " holds strings, not numbers");
                default: {
                    LongPointer p = new LongPointer(Math.max(1, n));
                    try {
                        if (n > 0) H5.check(H5Dread(did, H5.i64(), H5.ALL, H5.ALL, H5.DEFAULT, p), what);
                        long[] l = new long[n];
                        p.get(l);
                        return HostArray.ofLongs(dtype, shape, l);
                    } finally {
                        p.close();
                    }
                }
            }
        } finally {
            if (space >= 0) H5Sclose(space);
            if (type >= 0) H5Tclose(type);
            H5Dclose(did);
        }
    }

    static long[] dims(long space) {
        int rank = H5Sget_simple_extent_ndims(space);
        if (rank <= 0) return new long[0];
        long[] d = new long[rank];
        H5Sget_simple_extent_dims(space, d, null);
        return d;
    }

    private static long elementCount(long space) {
        long n = 1;
        for (long d : dims(space)) n *= d;
        return n;
    }

    static DType dtypeOf(long type, String where) {
        int cls = H5Tget_class(type);
        long size = H5Tget_size(type);
        if (cls == H5T_FLOAT) {
            if (size == 2) return DType.FLOAT16;
            if (size == 4) return DType.FLOAT32;
            if (size == 8) return DType.FLOAT64;
        } else if (cls == H5T_INTEGER) {
            boolean unsigned = H5Tget_sign(type) == H5T_SGN_NONE;
            if (size == 1) return unsigned ? DType.UINT8 : DType.INT32;
            if (size <= 4) return DType.INT32;
            return DType.INT64;
        } else if (cls == H5T_ENUM && size == 1) {
            return DType.BOOL; // h5py stores numpy bool as a 1-byte enum
        } else if (cls == H5T_STRING) {
            return DType.STRING;
        }
        throw new H5Exception(where + ": unsupported element type (HDF5 class " + cls + ", " + size + " bytes)");
    }

    // ---- writing ----------------------------------------------------------------------------

    /** Creates a child group (and any missing intermediate groups). */
    public H5Group createGroup(String relPath) {
        ensureParents(relPath);
        long lcpl = linkCreateWithParents();
        long gcpl = H5.untimed(H5.groupCreateClass());
        try {
            long gid = H5.check(H5Gcreate2(id, relPath, lcpl, gcpl, H5.DEFAULT), "cannot create group " + child(relPath));
            return new H5Group(gid, child(relPath), deferred);
        } finally {
            H5Pclose(gcpl);
            H5Pclose(lcpl);
        }
    }

    /** A scalar variable-length string attribute, as h5py writes a Python {@code str}. */
    public void writeStringAttribute(String name, String value, boolean utf8) {
        long type = H5.check(H5Tcopy(H5.cString()), "string type");
        long space = H5.check(H5Screate(H5S_SCALAR), "scalar space");
        BytePointer str = new BytePointer(value, StandardCharsets.UTF_8);
        PointerPointer<BytePointer> ptr = new PointerPointer<>(1);
        ptr.put(0, str);
        try {
            H5Tset_size(type, H5T_VARIABLE);
            H5Tset_cset(type, utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
            H5Tset_strpad(type, H5T_STR_NULLTERM);
            writeAttribute(name, type, space, ptr);
        } finally {
            ptr.close();
            str.close();
            H5Sclose(space);
            H5Tclose(type);
        }
    }

    /**
     * A 1-d array of fixed-length, null-padded strings, as h5py writes a list of Python
     * {@code bytes} (Keras 2's {@code layer_names} and {@code weight_names}). An empty list is
     * written as the empty float64 array h5py makes of {@code np.array([])}.
     */
    public void writeFixedStringsAttribute(String name, List<String> values) {
        if (values.isEmpty()) {
            long space = H5.check(H5Screate_simple(1, new long[] {0}, null), "empty space");
            try {
                writeAttribute(name, H5.f64(), space, new DoublePointer(1));
            } finally {
                H5Sclose(space);
            }
            return;
        }
        List<byte[]> encoded = new ArrayList<>();
        int width = 1;
        for (String v : values) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            encoded.add(b);
            width = Math.max(width, b.length);
        }
        byte[] all = new byte[width * values.size()];
        for (int i = 0; i < encoded.size(); i++) System.arraycopy(encoded.get(i), 0, all, i * width, encoded.get(i).length);
        long type = H5.check(H5Tcopy(H5.cString()), "string type");
        long space = H5.check(H5Screate_simple(1, new long[] {values.size()}, null), "string array space");
        BytePointer buf = new BytePointer(all);
        try {
            H5Tset_size(type, width);
            H5Tset_strpad(type, H5T_STR_NULLPAD);
            H5Tset_cset(type, H5T_CSET_ASCII);
            writeAttribute(name, type, space, buf);
        } finally {
            buf.close();
            H5Sclose(space);
            H5Tclose(type);
        }
    }

    private void writeAttribute(String name, long type, long space, Pointer data) {
        if (hasAttribute(name)) H5Adelete(id, name);
        long aid = H5.check(H5Acreate2(id, name, type, space, H5.DEFAULT, H5.DEFAULT), "cannot create attribute " + name + " on " + path);
        try {
            H5.check(H5Awrite(aid, type, data), "cannot write attribute " + name + " on " + path);
        } finally {
            H5Aclose(aid);
        }
    }

    /** Writes an array as a dataset in its own element type (float16 stays float16 in the file). */
    public void writeDataset(String relPath, HostArray array) {
        long[] shape = array.shape();
        ensureParents(relPath);
        long space = H5.check(shape.length == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(shape.length, shape, null), "dataspace");
        long lcpl = linkCreateWithParents();
        long dcpl = H5.untimed(H5.datasetCreateClass());
        long fileType = fileTypeOf(array.dtype());
        String what = "cannot write dataset " + child(relPath);
        try {
            long did = H5.check(H5Dcreate2(id, relPath, fileType, space, lcpl, dcpl, H5.DEFAULT), what);
            try {
                int n = Math.toIntExact(array.size());
                if (n == 0) return;
                if (array.floatData() != null) {
                    try (FloatPointer p = new FloatPointer(array.floatData())) {
                        H5.check(H5Dwrite(did, H5.f32(), H5.ALL, H5.ALL, H5.DEFAULT, p), what);
                    }
                } else if (array.doubleData() != null) {
                    try (DoublePointer p = new DoublePointer(array.doubleData())) {
                        H5.check(H5Dwrite(did, H5.f64(), H5.ALL, H5.ALL, H5.DEFAULT, p), what);
                    }
                } else {
                    try (LongPointer p = new LongPointer(array.longData())) {
                        H5.check(H5Dwrite(did, H5.i64(), H5.ALL, H5.ALL, H5.DEFAULT, p), what);
                    }
                }
            } finally {
                H5Dclose(did);
            }
        } finally {
            if (array.dtype() == DType.FLOAT16) H5Tclose(fileType);
            H5Pclose(dcpl);
            H5Pclose(lcpl);
            H5Sclose(space);
        }
    }

    /**
     * Copies a dataset from another open file, value for value in its own element type, creating
     * missing groups on the way. A source opened for reading was parsed by jhdf and its declared
     * size checked, so its values are read in Java and written here; libhdf5's object copy
     * (no pass through the Java heap) is kept for sources graft itself is writing.
     */
    public void copyDatasetFrom(H5Node source, String sourcePath, String relPath) {
        if (jg != null) throw new H5Exception("cannot write into " + path + ": the file is open for reading");
        if (source.jg != null) {
            H5DatasetInfo info = source.datasetInfo(sourcePath);
            if (deferred != null && info.shape().length > 0 && info.size() > 0 && deferRawCopy(source, sourcePath, relPath, info)) return;
            if (info.size() <= streamAboveElements || info.shape().length == 0) {
                writeDataset(relPath, source.readDataset(sourcePath));
            } else {
                copyInBlocks(source, sourcePath, relPath, info);
            }
            return;
        }
        ensureParents(relPath);
        long lcpl = linkCreateWithParents();
        try {
            H5.check(H5Ocopy(source.id, sourcePath, id, relPath, H5.DEFAULT, lcpl),
                    "cannot copy " + source.child(sourcePath) + " to " + child(relPath));
        } finally {
            H5Pclose(lcpl);
        }
    }

    /**
     * The fast case of a copy from a file read by jhdf: the dataset is contiguous, unfiltered, stored
     * in the element type graft writes and lies inside its file (all checked here), so its bytes are
     * copied as they are after libhdf5 has closed the new file ({@link DeferredCopies}). libhdf5 only
     * lays out the new dataset: space allocated at creation, never filled. False when the case does
     * not apply (nothing created then).
     */
    private boolean deferRawCopy(H5Node source, String sourcePath, String relPath, H5DatasetInfo info) {
        io.jhdf.api.Dataset d = JhdfReads.dataset(source.jg, sourcePath, source.child(sourcePath));
        DType dtype = info.dtype();
        if (dtype == DType.STRING || dtype == DType.FLOAT16) return false;
        if (!(d instanceof io.jhdf.api.dataset.ContiguousDataset c) || !d.getFilters().isEmpty()) return false;
        if (!JhdfReads.storedAs(d.getDataType(), dtype)) return false;
        java.nio.file.Path file;
        long address;
        long fileSize;
        try {
            file = d.getFileAsPath();
            if (file == null) return false;
            address = c.getDataAddress() + d.getHdfFile().getUserBlockSize();
            fileSize = java.nio.file.Files.size(file);
        } catch (RuntimeException | java.io.IOException e) {
            return false; // an in-memory file (a .keras member): the other paths copy it
        }
        long bytes = info.size() * dtype.bytes();
        String what = "cannot write dataset " + child(relPath);
        if (address < 0 || bytes < 0 || address > fileSize - bytes) {
            throw new H5Exception(source.child(sourcePath) + ": its data lies beyond the end of the file");
        }
        long[] shape = info.shape();
        ensureParents(relPath);
        long space = H5.check(H5Screate_simple(shape.length, shape, null), "dataspace");
        long lcpl = linkCreateWithParents();
        long dcpl = H5.untimed(H5.datasetCreateClass());
        try {
            H5.check(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), what);
            H5.check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER), what);
            long did = H5.check(H5Dcreate2(id, relPath, fileTypeOf(dtype), space, lcpl, dcpl, H5.DEFAULT), what);
            try {
                long offset = H5Dget_offset(did);
                if (offset < 0) throw new H5Exception(what + ": libhdf5 gave it no place in the file");
                deferred.add(new DeferredCopies.Copy(file, address, bytes, offset, what));
            } finally {
                H5Dclose(did);
            }
        } finally {
            H5Pclose(dcpl);
            H5Pclose(lcpl);
            H5Sclose(space);
        }
        return true;
    }

    /** Datasets larger than this (elements) are copied in blocks of about this size: memory stays bounded. */
    static long streamAboveElements = 4L << 20; // not final: a test lowers it to exercise block copies on small files

    /**
     * Copies a large dataset of a file read by jhdf block by block along its first axis: each
     * block is read in Java (sliced by jhdf) and written into a hyperslab of the new dataset, so
     * a 400 MB kernel never sits in memory whole.
     */
    private void copyInBlocks(H5Node source, String sourcePath, String relPath, H5DatasetInfo info) {
        io.jhdf.api.Dataset d = JhdfReads.dataset(source.jg, sourcePath, source.child(sourcePath));
        long[] shape = info.shape();
        DType dtype = info.dtype();
        if (dtype == DType.STRING) throw new H5Exception(source.child(sourcePath) + " holds strings, not numbers");
        long rowElements = 1;
        for (int i = 1; i < shape.length; i++) rowElements *= shape[i];
        long rowsPerBlock = Math.max(1, streamAboveElements / Math.max(1, rowElements));
        ensureParents(relPath);
        long space = H5.check(H5Screate_simple(shape.length, shape, null), "dataspace");
        long lcpl = linkCreateWithParents();
        long dcpl = H5.untimed(H5.datasetCreateClass());
        long fileType = fileTypeOf(dtype);
        String what = "cannot write dataset " + child(relPath);
        try {
            long did = H5.check(H5Dcreate2(id, relPath, fileType, space, lcpl, dcpl, H5.DEFAULT), what);
            try {
                if (copyRawBlocks(d, did, shape, rowElements, rowsPerBlock, dtype, fileType, what)) return;
                for (long row = 0; row < shape[0]; row += rowsPerBlock) {
                    long[] start = new long[shape.length];
                    start[0] = row;
                    long[] count = shape.clone();
                    count[0] = Math.min(rowsPerBlock, shape[0] - row);
                    int[] dims = new int[shape.length];
                    for (int i = 0; i < dims.length; i++) dims[i] = (int) count[i];
                    HostArray block = JhdfReads.slice(d, start, dims, dtype, source.child(sourcePath));
                    long fspace = H5.check(H5Dget_space(did), what);
                    long mspace = H5.check(H5Screate_simple(count.length, count, null), what);
                    try {
                        H5.check(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, null, count, null), what);
                        writeBlock(did, mspace, fspace, block, what);
                    } finally {
                        H5Sclose(mspace);
                        H5Sclose(fspace);
                    }
                }
            } finally {
                H5Dclose(did);
            }
        } finally {
            if (dtype == DType.FLOAT16) H5Tclose(fileType);
            H5Pclose(dcpl);
            H5Pclose(lcpl);
            H5Sclose(space);
        }
    }

    /**
     * The common case, an uncompressed dataset stored in the element type graft writes: its bytes
     * are read from the file block by block (no mapping, no conversion) and written as they are,
     * so the copy is the same bits and memory holds one block. False when the case does not apply.
     */
    private static boolean copyRawBlocks(io.jhdf.api.Dataset d, long did, long[] shape, long rowElements, long rowsPerBlock, DType dtype,
                                         long fileType, String what) {
        if (!(d instanceof io.jhdf.api.dataset.ContiguousDataset c) || !d.getFilters().isEmpty()) return false;
        if (!JhdfReads.storedAs(d.getDataType(), dtype)) return false;
        java.nio.file.Path file;
        long address;
        try {
            file = d.getFileAsPath();
            address = c.getDataAddress() + d.getHdfFile().getUserBlockSize();
        } catch (RuntimeException e) {
            return false; // an in-memory file (a compressed .keras member): the sliced path copies it
        }
        if (file == null) return false;
        long rowBytes = rowElements * dtype.bytes();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            if (address < 0 || address + shape[0] * rowBytes > ch.size()) throw new H5Exception(what + ": its data lies beyond the end of the file");
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 16, rowsPerBlock * rowBytes));
            try (BytePointer ptr = new BytePointer(buf)) {
                for (long row = 0; row < shape[0]; row += rowsPerBlock) {
                    long[] start = new long[shape.length];
                    start[0] = row;
                    long[] count = shape.clone();
                    count[0] = Math.min(rowsPerBlock, shape[0] - row);
                    buf.clear();
                    buf.limit((int) (count[0] * rowBytes));
                    long at = address + row * rowBytes;
                    while (buf.hasRemaining()) {
                        if (ch.read(buf, at + buf.position()) < 0) throw new H5Exception(what + ": the file ends inside the data");
                    }
                    long fspace = H5.check(H5Dget_space(did), what);
                    long mspace = H5.check(H5Screate_simple(count.length, count, null), what);
                    try {
                        H5.check(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, null, count, null), what);
                        H5.check(H5Dwrite(did, fileType, mspace, fspace, H5.DEFAULT, ptr), what);
                    } finally {
                        H5Sclose(mspace);
                        H5Sclose(fspace);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new H5Exception(what + " (" + e.getMessage() + ")");
        }
        return true;
    }

    private static void writeBlock(long did, long mspace, long fspace, HostArray block, String what) {
        if (block.floatData() != null) {
            try (FloatPointer p = new FloatPointer(block.floatData())) {
                H5.check(H5Dwrite(did, H5.f32(), mspace, fspace, H5.DEFAULT, p), what);
            }
        } else if (block.doubleData() != null) {
            try (DoublePointer p = new DoublePointer(block.doubleData())) {
                H5.check(H5Dwrite(did, H5.f64(), mspace, fspace, H5.DEFAULT, p), what);
            }
        } else {
            try (LongPointer p = new LongPointer(block.longData())) {
                H5.check(H5Dwrite(did, H5.i64(), mspace, fspace, H5.DEFAULT, p), what);
            }
        }
    }

    private static long fileTypeOf(DType dtype) {
        switch (dtype) {
            case FLOAT64: return H5.f64();
            case FLOAT32: return H5.f32();
            case FLOAT16: {
                // IEEE half precision, laid out as numpy's '<f2' (what h5py writes for float16).
                long t = H5Tcopy(H5.f32());
                H5Tset_fields(t, 15, 10, 5, 0, 10);
                H5Tset_size(t, 2);
                H5Tset_ebias(t, 15);
                return t;
            }
            case INT32: return H5T_STD_I32LE_g();
            case UINT8: return H5T_STD_U8LE_g();
            case BOOL: return H5T_STD_U8LE_g();
            default: return H5.i64();
        }
    }

    /** Creates the missing groups on a path (untimed; HDF5's implicit intermediate groups record times). */
    private void ensureParents(String relPath) {
        int slash = relPath.lastIndexOf('/');
        if (slash <= 0) return;
        String parent = relPath.substring(0, slash);
        if (exists(parent)) return;
        ensureParents(parent);
        createGroup(parent).close();
    }

    private static long linkCreateWithParents() {
        long lcpl = H5.check(H5Pcreate(H5.linkCreateClass()), "link property list");
        H5Pset_create_intermediate_group(lcpl, 1);
        return lcpl;
    }
}
