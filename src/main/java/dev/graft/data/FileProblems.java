package dev.graft.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens input files and turns I/O failures into the one-line messages users see. */
final class FileProblems {
    private FileProblems() {
    }

    /** How a path is named in messages: as the user gave it. */
    static String name(Path file) {
        return file.toString();
    }

    static FileChannel openChannel(Path file) {
        requireReadableFile(file);
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw of(file, e);
        }
    }

    static InputStream openStream(Path file) {
        requireReadableFile(file);
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw of(file, e);
        }
    }

    /**
     * Fails with the usual message unless the file exists, is readable and is not a directory
     * (opening a directory succeeds on Linux and fails later with a bare "Is a directory").
     */
    static void requireReadableFile(Path file) {
        if (Files.isDirectory(file)) throw new DataFileException(name(file), "is a directory, not a data file");
        if (!Files.exists(file)) throw new DataFileException(name(file), "no such file");
        if (!Files.isRegularFile(file)) {
            // A FIFO would block the open until someone writes to it; a device may never end.
            throw new DataFileException(name(file), "is not a regular file (a FIFO, socket or device); graft reads data from regular files");
        }
        if (!Files.isReadable(file)) throw new DataFileException(name(file), "permission denied");
    }

    static DataFileException of(Path file, IOException e) {
        return of(name(file), e);
    }

    static DataFileException of(String source, IOException e) {
        if (e instanceof NoSuchFileException) return new DataFileException(source, "no such file", e);
        if (e instanceof AccessDeniedException) return new DataFileException(source, "permission denied", e);
        if (e instanceof FileSystemException) {
            // The JDK puts the path first and the reason last; the path is already in our message.
            String reason = ((FileSystemException) e).getReason();
            return new DataFileException(source, reason != null ? reason : e.getClass().getSimpleName(), e);
        }
        String detail = e.getMessage();
        return new DataFileException(source, "I/O error: " + (detail != null ? detail : e.getClass().getSimpleName()), e);
    }
}
