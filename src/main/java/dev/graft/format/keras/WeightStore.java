package dev.graft.format.keras;

import dev.graft.format.hdf5.H5DatasetSource;
import dev.graft.format.hdf5.H5File;
import dev.graft.format.hdf5.H5Group;
import dev.graft.model.Weight;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts weights into the HDF5 file a Keras writer builds, wherever its layout wants them: a weight
 * read from HDF5 is copied dataset to dataset (bit for bit, never through the heap), one held in
 * memory is written. The legacy {@code .h5} writer and the {@code .keras} writer differ only in the
 * paths they give. Source files stay open until the store is closed.
 */
final class WeightStore implements AutoCloseable {
    private final Map<Path, H5File> sources = new HashMap<>();

    void put(H5Group group, String path, Weight w) {
        if (w.source() instanceof H5DatasetSource src) {
            H5File from = sources.computeIfAbsent(src.file(), H5File::openReadOnly);
            group.copyDatasetFrom(from, src.datasetPath(), path);
        } else {
            group.writeDataset(path, w.read());
        }
    }

    @Override
    public void close() {
        sources.values().forEach(H5File::close);
        sources.clear();
    }
}
