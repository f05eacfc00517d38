package dev.graft.inspect;

import java.io.IOException;
import java.nio.file.Path;

/** Opens {@link StoredArrays} to tests in other packages. */
public final class StoredArraysAccess {
    private StoredArraysAccess() {
    }

    public static long elements(Path file) throws IOException {
        return StoredArrays.elements(file);
    }
}
