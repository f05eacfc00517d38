package dev.graft.format.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.graft.model.HostArray;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills while graft writes an HDF5 file, on a small tmpfs of our own (root only;
 * skipped elsewhere). libhdf5 crashed the JVM when a write failed under it; now the file's blocks
 * are reserved before libhdf5 writes, so another process filling the disk afterwards changes
 * nothing, and a disk without room for the reservation is a Java exception before libhdf5 writes.
 */
class FullDiskWriteTest {
    @TempDir
    Path dir;
    private Path mount;

    @AfterEach
    void unmount() throws Exception {
        // Lazily: jhdf maps the files it reads, and a mapping keeps the mount busy until it is collected.
        if (mount != null) run("umount", "-l", mount.toString());
    }

    @Test
    void diskFilledByAnotherWriterAfterTheReservationDoesNotReachLibhdf5() throws Exception {
        mountTmpfs("4m");
        float[] values = new float[200_000];
        for (int i = 0; i < values.length; i++) values[i] = i * 0.5f - 3;
        float[] copied = new float[50_000];
        for (int i = 0; i < copied.length; i++) copied[i] = -i;
        Path source = dir.resolve("source.h5");
        try (H5File s = H5File.create(source)) {
            s.writeDataset("w", HostArray.ofFloats(new long[] {250, 200}, copied));
        }
        Path file = mount.resolve("out.h5");
        try (H5File in = H5File.openReadOnly(source); H5File out = H5File.create(file, 4L * (values.length + copied.length))) {
            long filled = fill(mount.resolve("filler"));
            assertTrue(filled > 0, "the filler took the rest of the disk");
            assertEquals(0, Files.getFileStore(mount).getUsableSpace(), "the disk is full");
            out.writeStringAttribute("model_config", "{\"layers\": []}", false);
            try (H5Group g = out.createGroup("model_weights/dense")) {
                g.writeDataset("kernel:0", HostArray.ofFloats(new long[] {values.length}, values));
                g.copyDatasetFrom(in, "/w", "copied:0");
            }
        }
        try (H5File back = H5File.openReadOnly(file)) {
            assertTrue(HostArray.ofFloats(new long[] {values.length}, values).bitEquals(back.readDataset("model_weights/dense/kernel:0")));
            HostArray c = back.readDataset("model_weights/dense/copied:0");
            assertArrayEquals(new long[] {250, 200}, c.shape());
            assertTrue(HostArray.ofFloats(new long[] {250, 200}, copied).bitEquals(c));
        }
        assertTrue(Files.size(file) < 4L * (values.length + copied.length) + 64 * 1024,
                "libhdf5 cut the reservation back to the file's end: " + Files.size(file));
    }

    @Test
    void diskWithoutRoomForTheReservationIsOneJavaExceptionBeforeLibhdf5Writes() throws Exception {
        mountTmpfs("2m");
        Path file = mount.resolve("out.h5");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> H5File.create(file, 4_000_000));
        assertTrue(e.getCause().getMessage().startsWith("not enough free space in " + mount), e.getCause().getMessage());
        assertFalse(Files.exists(file), "nothing left behind");
        // The lock was released: the next file is created as usual.
        try (H5File ok = H5File.create(mount.resolve("small.h5"), 1000)) {
            ok.writeStringAttribute("a", "b", false);
        }
        assertEquals("b", readAttribute(mount.resolve("small.h5")));
    }

    private static String readAttribute(Path file) {
        try (H5File f = H5File.openReadOnly(file)) {
            return f.stringAttribute("a");
        }
    }

    /** Writes zeros until the disk is full; returns how many. */
    private static long fill(Path filler) throws IOException {
        long n = 0;
        byte[] block = new byte[4096];
        try (OutputStream o = Files.newOutputStream(filler)) {
            while (true) {
                o.write(block);
                n += block.length;
            }
        } catch (IOException full) {
            return n;
        }
    }

    private void mountTmpfs(String size) throws Exception {
        Path m = Files.createDirectories(dir.resolve("mnt"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", m.toString()) == 0, "cannot mount a tmpfs here (needs root); skipping");
        mount = m;
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
