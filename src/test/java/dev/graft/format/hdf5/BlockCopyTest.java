package dev.graft.format.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.DType;
import dev.graft.model.HostArray;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Datasets copied out of a file read by jhdf: whole when small, in blocks along the first axis
 * when large (the threshold is lowered here so small arrays take the block path). Either way the
 * copy holds the same bits in the same element type, NaN payloads and float16 included.
 */
class BlockCopyTest {
    @TempDir
    Path dir;
    private final long threshold = H5Node.streamAboveElements;

    @AfterEach
    void restore() {
        H5Node.streamAboveElements = threshold;
    }

    @Test
    void largeDatasetsAreCopiedInBlocksBitForBit() {
        SplittableRandom r = new SplittableRandom(5);
        float[] f = new float[103 * 7];
        for (int i = 0; i < f.length; i++) f[i] = (float) r.nextGaussian();
        f[17] = Float.intBitsToFloat(0x7fc01234); // a NaN with a payload
        double[] d = new double[50];
        for (int i = 0; i < d.length; i++) d[i] = r.nextDouble();
        float[] h = new float[64 * 3];
        for (int i = 0; i < h.length; i++) h[i] = (i % 17) * 0.25f;
        long[] ints = new long[40 * 2];
        for (int i = 0; i < ints.length; i++) ints[i] = i * 1000003L - 7;
        HostArray[] arrays = {HostArray.ofFloats(new long[] {103, 7}, f), HostArray.ofDoubles(new long[] {50}, d),
            HostArray.ofHalfs(new long[] {64, 3}, h), HostArray.ofLongs(DType.INT64, new long[] {40, 2}, ints)};
        Path source = dir.resolve("source.h5");
        try (H5File out = H5File.create(source)) {
            for (int i = 0; i < arrays.length; i++) out.writeDataset("w/" + i, arrays[i]);
        }
        // The same file as the compressed weights member of a .keras archive: read from memory, sliced by jhdf.
        Path archive = dir.resolve("model.keras");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(archive))) {
            z.putNextEntry(new java.util.zip.ZipEntry("model.weights.h5"));
            z.write(java.nio.file.Files.readAllBytes(source));
            z.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (Path from : new Path[] {source, archive}) for (long limit : new long[] {threshold, 10}) {
            H5Node.streamAboveElements = limit;
            Path copy = dir.resolve("copy" + limit + from.getFileName() + ".h5");
            try (H5File in = H5File.openReadOnly(from); H5File out = H5File.create(copy)) {
                for (int i = 0; i < arrays.length; i++) out.copyDatasetFrom(in, "/w/" + i, "c/" + i);
            }
            try (H5File back = H5File.openReadOnly(copy)) {
                for (int i = 0; i < arrays.length; i++) {
                    HostArray got = back.readDataset("c/" + i);
                    assertEquals(arrays[i].dtype(), got.dtype(), "dtype of " + i);
                    assertArrayEquals(arrays[i].shape(), got.shape());
                    assertTrue(arrays[i].bitEquals(got), "dataset " + i + " from " + from.getFileName() + " with block limit " + limit);
                }
            }
        }
    }
}
