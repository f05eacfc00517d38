package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.ModelFileException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Writes an engine network as a DL4J ModelSerializer zip that any DL4J since 1.0.0-beta can
 * restore. The zip is written to a temporary file in the target's folder and renamed into place,
 * so an interrupted write never leaves a partial model under the target name (nor replaces a good
 * one with it). No updater state is saved: graft does not train.
 */
public final class Dl4jZipWriter {
    private Dl4jZipWriter() {
    }

    public static void write(ComputationGraph net, Path target) {
        write(net, target, null);
    }

    /** A MultiLayerNetwork, written the same way (the sample DL4J model is one). */
    public static void write(org.deeplearning4j.nn.multilayer.MultiLayerNetwork net, Path target) {
        if (net.params() == null) throw new ModelFileException(target, "cannot be written: the network has no parameters (it was never initialized)");
        serialize(net, target, null, null);
    }

    /** Writes the network with graft's provenance (null for none) recorded beside DL4J's entries. */
    public static void write(ComputationGraph net, Path target, ObjectNode provenance) {
        write(net, target, provenance, null);
    }

    /**
     * Writes the network with graft's provenance and the Keras shape and layout of its inputs and
     * outputs (either null for none) recorded beside DL4J's entries; {@link Dl4jNetworks#recordedTensors} reads the latter back.
     */
    public static void write(ComputationGraph net, Path target, ObjectNode provenance, ObjectNode tensors) {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        if (folder == null || !Files.isDirectory(folder)) throw new ModelFileException(target, "cannot be written: no such folder");
        if (Files.isDirectory(absolute)) throw new ModelFileException(target, "cannot be written: it is a directory");
        // ModelSerializer would write a network that was never initialized as a zip without parameters.
        if (net.getVertices() == null) {
            throw new ModelFileException(target, "cannot be written: the network has no parameters (it was never initialized)");
        }
        // The parameters are written twice at once (DL4J's zip, then graft's copy of it): check for room first.
        String room = dev.graft.format.WriteRoom.problem(target, 2 * 4 * Math.max(0, net.numParams()));
        if (room != null) throw new ModelFileException(target, "cannot be written: " + room);
        serialize(net, target, provenance, tensors);
    }

    private static void serialize(org.deeplearning4j.nn.api.Model net, Path target, ObjectNode provenance, ObjectNode tensors) {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Path temp = null;
        Path serialized = null;
        try {
            // Hidden names in the same folder, so the final rename stays on one file system.
            // Named, not createTempFile: that makes owner-only files, and the output should get the usual permissions.
            serialized = dev.graft.format.TempFiles.beside(absolute, "dl4j");
            ModelSerializer.writeModel(net, serialized.toFile(), false);
            temp = dev.graft.format.TempFiles.beside(absolute, "part");
            ZipExtras.rewrite(serialized, temp, provenance, tensors);
            moveIntoPlace(temp, absolute);
            dev.graft.format.TempFiles.renamed(temp);
            temp = null;
        } catch (IOException e) {
            throw new ModelFileException(target, "cannot be written: " + Dl4jProblems.oneLine(String.valueOf(e.getMessage())), e);
        } catch (RuntimeException e) {
            throw new ModelFileException(target, "cannot be written: " + Dl4jProblems.rootCause(e), e);
        } finally {
            if (temp != null) dev.graft.format.TempFiles.release(temp);
            if (serialized != null) dev.graft.format.TempFiles.release(serialized);
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
