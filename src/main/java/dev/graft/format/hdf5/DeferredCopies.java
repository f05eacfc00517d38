package dev.graft.format.hdf5;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Dataset values copied byte for byte from an input file into the file being written, once libhdf5
 * has closed it: libhdf5 lays out the dataset (its space allocated at creation, never filled) and
 * the kernel copies the bytes file to file ({@link FileChannel#transferTo}), as {@code cp} does. The
 * values never pass through libhdf5 nor the Java heap, and a write that fails is a Java exception,
 * never a failure inside libhdf5. Only datasets graft has checked qualify: contiguous, unfiltered,
 * stored in the element type graft writes, and lying inside the input file.
 */
final class DeferredCopies {
    /** {@code length} bytes at {@code from} in {@code source} go to {@code to} in the file written. */
    record Copy(Path source, long from, long length, long to, String what) {
    }

    private final List<Copy> copies = new ArrayList<>();

    void add(Copy c) {
        copies.add(c);
    }

    /** Copies everything recorded into {@code target} (closed by libhdf5 by now). */
    void run(Path target) {
        if (copies.isEmpty()) return;
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
            Path openSource = null;
            FileChannel in = null;
            try {
                for (Copy c : copies) {
                    if (!c.source().equals(openSource)) {
                        if (in != null) in.close();
                        in = FileChannel.open(c.source(), StandardOpenOption.READ);
                        openSource = c.source();
                    }
                    if (c.from() + c.length() > in.size()) throw new H5Exception(c.what() + ": its data lies beyond the end of " + c.source());
                    long done = 0;
                    while (done < c.length()) {
                        out.position(c.to() + done);
                        long n = in.transferTo(c.from() + done, c.length() - done, out);
                        if (n <= 0) throw new H5Exception(c.what() + ": " + c.source() + " ends inside the data");
                        done += n;
                    }
                }
            } finally {
                if (in != null) in.close();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // the output's writer reports it (AtomicFile): a full disk, say
        } finally {
            copies.clear();
        }
    }
}
