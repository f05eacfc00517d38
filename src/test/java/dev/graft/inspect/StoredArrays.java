package dev.graft.inspect;

import dev.graft.format.hdf5.H5File;
import dev.graft.format.hdf5.H5Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipFile;

/**
 * Counts the elements of every weight array a Keras file stores by walking its HDF5 tree,
 * independently of how graft's readers interpret the configuration: the ground truth for
 * "parameter count equals the sum of the sizes of the weight arrays".
 */
final class StoredArrays {
    private StoredArrays() {
    }

    static long elements(Path file) throws IOException {
        if (isZip(file)) {
            Path tmp = Files.createTempFile("count", ".h5");
            try (ZipFile zip = new ZipFile(file.toFile()); InputStream in = zip.getInputStream(zip.getEntry("model.weights.h5"))) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                try (H5File h5 = H5File.openReadOnly(tmp)) {
                    return h5.isGroup("layers") ? sum(h5, "layers") : 0;
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        try (H5File h5 = H5File.openReadOnly(file)) {
            return h5.isGroup("model_weights") ? sum(h5, "model_weights") : 0;
        }
    }

    private static long sum(H5Node node, String path) {
        long n = 0;
        try (var g = node.group(path)) {
            for (String child : g.children()) {
                if (g.isDataset(child)) n += g.datasetInfo(child).size();
                // A nested model saved in a .keras archive keeps its own optimizer state: not weights.
                else if (g.isGroup(child) && !child.equals("optimizer")) n += sum(g, child);
            }
        }
        return n;
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(2);
            return b.length == 2 && b[0] == 'P' && b[1] == 'K';
        }
    }
}
