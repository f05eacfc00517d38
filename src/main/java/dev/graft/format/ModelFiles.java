package dev.graft.format;

import dev.graft.format.dl4j.Dl4jZipReader;
import dev.graft.format.hdf5.H5Exception;
import dev.graft.format.keras.KerasH5Reader;
import dev.graft.format.keras.KerasZipReader;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads any model file graft supports, choosing the reader by the file's content. */
public final class ModelFiles {
    private ModelFiles() {
    }

    public static ModelGraph read(Path file) {
        return read(file, false).model();
    }

    /**
     * A model, and for a DL4J zip also its network as the engine computes it, restored from the same reading of the file
     * (null for Keras files, which the engine builds from the model).
     */
    public record WithNetwork(ModelGraph model, dev.graft.format.dl4j.Dl4jNetworks.Network network) {
    }

    /** {@link #read} with a DL4J zip's engine network from the same reading ({@code train}). */
    public static WithNetwork readWithNetwork(Path file) {
        return read(file, true);
    }

    private static WithNetwork read(Path file, boolean withNetwork) {
        ModelFormat format = FormatSniffer.detect(file);
        try {
            switch (format) {
                case KERAS_H5: return new WithNetwork(KerasH5Reader.read(file), null);
                case KERAS_ZIP: return new WithNetwork(KerasZipReader.read(file), null);
                case DL4J_ZIP:
                    if (!withNetwork) return new WithNetwork(Dl4jZipReader.read(file), null);
                    Dl4jZipReader.WithNetwork r = Dl4jZipReader.readWithNetwork(file);
                    return new WithNetwork(r.model(), r.network());
                default: throw new IllegalStateException(format.toString());
            }
        } catch (H5Exception e) {
            if (!Files.isReadable(file)) throw new ModelFileException(file, "cannot be read (permission denied)");
            throw new ModelFileException(file, "is a corrupt or truncated HDF5 file (" + e.getMessage() + ")", e);
        } catch (dev.graft.GraftException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // Whatever a damaged file makes a reader meet, the user learns which file it was.
            throw new ModelFileException(file, "is damaged or not a model graft can read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().split("\n", 2)[0]) + ")", e);
        }
    }
}
