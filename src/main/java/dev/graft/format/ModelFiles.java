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
        ModelFormat format = FormatSniffer.detect(file);
        try {
            switch (format) {
                case KERAS_H5: return KerasH5Reader.read(file);
                case KERAS_ZIP: return KerasZipReader.read(file);
                case DL4J_ZIP: return Dl4jZipReader.read(file);
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
