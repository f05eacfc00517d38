package dev.graft.format.hdf5;

import dev.graft.model.HostArray;
import dev.graft.model.WeightSource;
import java.nio.file.Path;

/**
 * A weight stored as a dataset of an HDF5 file, read when asked for. Writers that see this
 * source copy the dataset file-to-file instead of reading it.
 */
public record H5DatasetSource(Path file, String datasetPath) implements WeightSource {
    @Override
    public HostArray read() {
        try (H5File f = H5File.openReadOnly(file)) {
            return f.readDataset(datasetPath);
        }
    }
}
