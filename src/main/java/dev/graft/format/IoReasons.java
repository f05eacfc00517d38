package dev.graft.format;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Why an I/O operation failed, in words: the JDK's messages for file-system errors are often just
 * the path ("cannot be read: /x/model.h5" says nothing the user did not know).
 */
public final class IoReasons {
    private IoReasons() {
    }

    public static String of(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f) {
            String reason = f.getReason();
            return reason != null ? reason : e.getClass().getSimpleName();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.split("\n", 2)[0];
    }
}
