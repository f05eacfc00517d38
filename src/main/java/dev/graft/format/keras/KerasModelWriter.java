package dev.graft.format.keras;

import dev.graft.GraftException;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.OutputTarget;
import java.io.IOException;

/**
 * The one place that writes a Keras file in the format a command's output asks for: a Keras 2
 * legacy {@code .h5} or a Keras 3 {@code .keras} archive. merge, adapt, train and convert all
 * write through it, so each gains every Keras format at once.
 */
public final class KerasModelWriter {
    private KerasModelWriter() {
    }

    public static void write(ModelGraph model, OutputTarget target) {
        try {
            switch (target.format()) {
                case H5: KerasH5Writer.write(model, target.path()); break;
                case KERAS: KerasZipWriter.write(model, target.path()); break;
                default: throw new IllegalArgumentException("not a Keras format: " + target.format());
            }
        } catch (IOException e) {
            throw new GraftException(target.path() + ": cannot write: " + e.getMessage(), e);
        }
    }
}
