package dev.graft.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file through a temporary file in the same folder, renamed into place at the end, so an
 * interrupted or failed write leaves the previous file (or none), never half of one.
 */
final class AtomicFileWriter {
    private AtomicFileWriter() {
    }

    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    static void write(Path target, Body body) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (!Files.isDirectory(dir)) throw new DataFileException(FileProblems.name(target), "folder " + dir + " does not exist");
        if (Files.isDirectory(absolute)) throw new DataFileException(FileProblems.name(target), "is a directory");
        // Not Files.createTempFile: it creates the file with mode 600, and the renamed output
        // would keep it. CREATE_NEW with our own random name gets the user's normal umask.
        Path temp = dev.graft.format.TempFiles.beside(absolute, "part");
        boolean moved = false;
        try {
            try (OutputStream out = new BufferedOutputStream(
                    Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
                body.writeTo(out);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            dev.graft.format.TempFiles.renamed(temp);
        } catch (IOException e) {
            throw FileProblems.of(target, e);
        } finally {
            if (!moved) {
                dev.graft.format.TempFiles.release(temp);
            }
        }
    }
}
